// Studio's TwiML Redirect widget: when its timeout passes with no return, the flow follows the
// widget's `timeout` transition (Twilio docs, "TwiML Redirect Widget": its transitions are return,
// timeout and fail). A widget that needs the call takes it back from the TwiML it was sent to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';

let h: Harness;
let app: App;

const trigger = { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall', next: 'away' }, { event: 'incomingRequest' }], properties: {} };

function flow(appUrl: string, timeoutNext: string | undefined) {
  return {
    description: 'redirect timeout',
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
    states: [
      trigger,
      {
        name: 'away',
        type: 'add-twiml-redirect',
        transitions: [{ event: 'return', next: 'back' }, { event: 'timeout', ...(timeoutNext ? { next: timeoutNext } : {}) }, { event: 'fail' }],
        properties: { url: `${appUrl}/hold`, method: 'POST', timeout: '30' },
      },
      { name: 'note', type: 'set-variables', transitions: [{ event: 'next', next: 'late' }], properties: { variables: [{ key: 'why', value: 'timed out' }] } },
      { name: 'late', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'Back in the flow: {{flow.variables.why}}', loop: 1 } },
      { name: 'back', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'Returned in time', loop: 1 } },
    ],
  };
}

async function withFlow(timeoutNext: string | undefined): Promise<void> {
  const f = await h.client.studio.v2.flows.create({ friendlyName: `timeout ${timeoutNext ?? 'none'}`, status: 'published', definition: flow(app.url, timeoutNext) });
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: f.webhookUrl });
}

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
  // The redirected-to TwiML keeps the caller busy for 60 s: longer than the widget's 30 s timeout.
  app.route('/hold', twiml('<Pause length="60"/><Say>Still on hold</Say>'));
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

const says = (events: Array<{ type: string; data: Record<string, unknown> }>) => events.filter((e) => e.type === 'say').map((e) => e.data.text);

describe('TwiML Redirect timeout', () => {
  it('follows the timeout transition after the timeout: the next call widget takes the call back', async () => {
    await withFlow('note');
    const r = await h.twin.engine.placeCall({ from: '+15550001111', to: HOME, script: { hangupAfter: 120 } });
    const timedOut = r.events.find((e) => e.type === 'studio' && e.data.event === 'timeout')!;
    expect(timedOut.data.widget).toBe('away');
    expect(timedOut.atMs - r.events[0]!.atMs).toBe(30_000);
    expect(says(r.events)).toEqual(['Back in the flow: timed out']);
    expect(r.events.find((e) => e.type === 'say')!.atMs).toBe(timedOut.atMs);
  });

  it('with no timeout transition, ends the execution and leaves the call on the TwiML it has', async () => {
    await withFlow(undefined);
    const r = await h.twin.engine.placeCall({ from: '+15550001111', to: HOME, script: { hangupAfter: 120 } });
    const ended = r.events.find((e) => e.type === 'studio' && String(e.text).startsWith('flow ended'))!;
    expect(ended.data.reason).toBe('no next transition');
    expect(says(r.events)).toEqual(['Still on hold']);
  });
});
