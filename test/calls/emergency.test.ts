// Emergency numbers work in every country: the list comes from the country (libphonenumber's
// short-number metadata, computed at deploy time into the Functions' policy), 112 and 911 work
// everywhere, odd forms a phone may send are read leniently, and an emergency call is never
// refused, redirected to the owner, or held back by bedtime.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesired } from '../../src/deploy/desired.js';
import { ALL_LENGTHS, emergencyNumbersFor } from '../../src/household/emergency.js';
import { callsTo, find, HOME, household, householdConfig, joined, of, OWNER, said, WHITELIST, type Household } from './helpers.js';

const require = createRequire(import.meta.url);
type Policy = { defaultCountry?: string | null; emergencyNumbers?: string[] };
const callerPolicy = require('../../templates/functions/lib/caller-policy.js') as {
  decideOutbound(input: { to: string; whitelist: unknown[]; policy: Policy; ownerCell?: string }): { path: string; number: string | null; reason: string };
};

/** The policy deploy writes for a household in `country` (the very bytes of /policy.json). */
function deployedPolicy(country: string, extra?: string[]): Policy {
  const config = householdConfig({ defaultCountry: country, emergencyNumbers: extra });
  if (!extra) delete config.household!.emergencyNumbers;
  const desired = buildDesired({ accountSid: `AC${'0'.repeat(32)}`, config, whitelist: WHITELIST, sipPassword: 'Secret-Pass-1234xyz' });
  const file = desired.files.find((f) => f.path === '/policy.json')!;
  return JSON.parse(file.content({ flowWebhooks: {} }).toString()) as Policy;
}

const dial = (policy: Policy, to: string) => callerPolicy.decideOutbound({ to, whitelist: WHITELIST, policy, ownerCell: OWNER });

// Each country the docs name (docs/home-phone.md's table: every country whose national dialling
// the SIP phone understands), with a local emergency number known independently of the metadata.
const LOCAL: Record<string, string[]> = {
  US: ['911'], CA: ['911'], PR: ['911'], GU: ['911'], VI: ['911'], AS: ['911'], MP: ['911'], BS: ['911'], BB: ['211'], JM: ['119'],
  TT: ['999'], DO: ['911'], BM: ['911'], KY: ['911'], AG: ['911'], DM: ['999'], GD: ['911'], KN: ['911'], LC: ['911'], VC: ['911'],
  AI: ['911'], VG: ['999'], MS: ['999'], TC: ['911'], SX: ['911'],
  GB: ['999'], IE: ['999'], FR: ['15', '17', '18'], DE: ['110'], AT: ['133', '144'], CH: ['117', '144'], BE: ['100', '101'],
  NL: ['112'], SE: ['112'], FI: ['112'], NZ: ['111'], AU: ['000'], IN: ['100', '108'], IT: ['113', '118'], ES: ['112'],
  PT: ['112'], DK: ['112'], NO: ['110', '113'], MX: ['911'],
};

describe("every country's emergency numbers reach the policy and are dialled directly", () => {
  it('the table covers every country the SIP phone can dial nationally', () => {
    const dialled = require('../../templates/functions/lib/dialled-number.js') as { dialPlan(c: string): unknown };
    for (const c of Object.keys(LOCAL)) expect(dialled.dialPlan(c), c).toBeDefined();
  });

  it.each(Object.entries(LOCAL))('%s: %j, 112 and 911 are emergency numbers', (country, local) => {
    const policy = deployedPolicy(country);
    for (const n of [...local, '112', '911']) {
      expect(policy.emergencyNumbers, `${country} ${n}`).toContain(n);
      expect(dial(policy, `sip:${n}@myhome.sip.twilio.com`), `${country} ${n}`).toMatchObject({ path: 'emergency', number: n });
    }
  });

  it('finds the longest emergency numbers the metadata lists (six digits in Niger)', () => {
    expect(emergencyNumbersFor('NE')).toContain('723141');
    expect(emergencyNumbersFor('OM')).toEqual(['112', '911', '1444', '9999']);
    expect(Math.max(...ALL_LENGTHS)).toBe(6);
  });

  it('a country the metadata has no emergency numbers for still has 112 and 911', () => {
    expect(emergencyNumbersFor('GN')).toEqual(['112', '911']);
  });

  it('a change of country changes the list: a GB household moving to the US loses 999', () => {
    expect(deployedPolicy('GB').emergencyNumbers).toContain('999');
    expect(deployedPolicy('US').emergencyNumbers).toEqual(['112', '911']);
    // Extra numbers configured are added, never instead of the country's.
    expect(deployedPolicy('US', ['311']).emergencyNumbers).toEqual(['112', '311', '911']);
  });
});

describe('odd forms of an emergency number', () => {
  const us = deployedPolicy('US');
  const gb = deployedPolicy('GB');
  it.each([
    ['sip:911@myhome.sip.twilio.com', us, '911'],
    ['sip:911%23@myhome.sip.twilio.com', us, '911'],
    ['sip:911#@myhome.sip.twilio.com', us, '911'],
    ['911#', us, '911'],
    ['sip:911##@myhome.sip.twilio.com', us, '911'],
    ['sip:+911@myhome.sip.twilio.com', us, '911'],
    ['sip:*112@myhome.sip.twilio.com', us, '112'],
    ['sip:*67911@myhome.sip.twilio.com', us, '911'],
    ['sip:9%201%201@myhome.sip.twilio.com', us, '911'],
    ['sip:9-1-1@myhome.sip.twilio.com', us, '911'],
    ['sip: 112 @myhome.sip.twilio.com', us, '112'],
    ['"Home" <sip:999@myhome.sip.twilio.com;user=phone>', gb, '999'],
    ['sips:999@myhome.sip.twilio.com:5061', gb, '999'],
    ['tel:112', gb, '112'],
    ['sip:112@myhome.sip.twilio.com', us, '112'],
    ['sip:911@myhome.sip.twilio.com', gb, '911'],
  ])('%s is the emergency number %s', (to, policy, number) => {
    expect(dial(policy as Policy, to)).toMatchObject({ path: 'emergency', number });
  });

  it.each([
    ['sip:9111@myhome.sip.twilio.com'],
    ['sip:999@myhome.sip.twilio.com'], // not an emergency number in the US
    ['sip:+9115551234@myhome.sip.twilio.com'],
  ])('%s is not an emergency number in the US', (to) => {
    expect(dial(us, to).path).not.toBe('emergency');
  });
});

describe('through a deployed household', () => {
  // [country, time zone, what the phone dials, whether the twin connects it]. The twin connects
  // only the emergency numbers its ledger lists; NZ's 111 is not among them (unconfirmed there),
  // so for NZ the test stops at the dial the Function asked for.
  const cases: Array<[string, string, string[], boolean]> = [
    ['GB', 'Europe/London', ['999', '112', '911#'], true],
    ['US', 'America/New_York', ['911#', '112', '911'], true],
    ['AU', 'Australia/Sydney', ['000'], true],
    ['IE', 'Europe/Dublin', ['999#'], true],
    ['NZ', 'Pacific/Auckland', ['111'], false],
    ['FR', 'Europe/Paris', ['18', '112'], true],
  ];
  /** Twilio connects a two-digit emergency number only with the country code in front. */
  const target = (country: string, number: string) => (number.length === 2 ? `+${{ FR: '33' }[country]}${number}` : number);
  let homes: Household[] = [];
  beforeAll(async () => {
    homes = await Promise.all(
      cases.map(([country, timeZone]) => {
        const config = householdConfig({ defaultCountry: country, timeZone, bedtime: [{ days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], start: '00:00', end: '23:59' }] });
        delete config.household!.emergencyNumbers; // as init writes it now: the country decides
        return household({ start: '2026-11-19 23:00', config });
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(homes.map((h) => h.close()));
  });

  it.each(cases.map((c, i) => [c[0], c[2], c[3], i] as const))('%s: %j are dialled directly from the home number, at bedtime, with no message and no room', async (country, numbers, connects, i) => {
    const h = homes[i]!;
    for (const dialled of numbers) {
      const r = await h.call({ to: 'phone', dial: dialled, hangupAfter: 10 });
      const number = dialled.replace(/#$/, '');
      expect(r.decision, dialled).toMatchObject({ path: 'emergency', number });
      expect(find(of(r, r.callSid), 'dial', 'dialling')!.data).toMatchObject({ targets: [target(country, number)], callerId: HOME });
      if (connects) expect(find(of(r, r.callSid), 'dial', `connected to ${target(country, number)}`), dialled).toBeDefined();
      expect(said(r)).toEqual([]);
      expect(joined(r, r.callSid)).toEqual([]);
      expect(callsTo(r, OWNER)).toEqual([]);
    }
  });
});
