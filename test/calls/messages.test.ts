// Messages are spoken literally, both where the Functions say them (TwiML <Say>, escaped by the
// SDK) and where Studio says them (the Say widget of the flows), and a message edited into the
// configuration by hand is refused by deploy like by `config set`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesired } from '../../src/deploy/desired.js';
import { InputError } from '../../src/errors.js';
import { household, householdConfig, said, STRANGER, WHITELIST, type Household } from './helpers.js';

const LITERAL = `Tom & Jerry's "house": <not> 100% {asleep}, call back after 5 o'clock!`.replace(' <not>', '');

let h: Household;
beforeAll(async () => {
  h = await household({ start: '2026-11-20 15:00', config: householdConfig({ messages: { notWhitelisted: LITERAL, phoneUnavailable: LITERAL } }) });
});
afterAll(async () => {
  await h.close();
});

describe('messages', () => {
  it('a caller not on the whitelist hears the message exactly as written', async () => {
    const r = await h.call({ to: 'home', from: STRANGER });
    expect(said(r)).toEqual([LITERAL]);
  });

  it("the flows carry the message as written in their Say widget", () => {
    const flows = [...h.twin.state.flows.values()];
    for (const f of flows) {
      const states = (f.json.definition as { states: Array<{ name: string; properties: { say?: string } }> }).states;
      expect(states.find((s) => s.name === 'unavailable')?.properties.say, f.json.friendly_name).toBe(LITERAL);
    }
  });

  it('deploy refuses a hand-edited message with Liquid or markup (exit 2), naming it', () => {
    for (const bad of ['Hi {{trigger.call.From}}', '<say-as>1</say-as>']) {
      const config = householdConfig({ messages: { bedtime: bad } });
      const build = () => buildDesired({ accountSid: `AC${'0'.repeat(32)}`, config, whitelist: WHITELIST, sipPassword: 'Secret-Pass-1234xyz' });
      expect(build).toThrow(InputError);
      expect(build).toThrow(/household\.messages\.bedtime cannot be deployed/);
    }
  });
});
