// Bedtime through the deployed Functions, at chosen instants of virtual time: windows that cross
// midnight, their last minute, both daylight-saving changes in America/New_York, and contacts
// with and without OverrideBedtime. The Functions use lib/bedtime.js, the CLI's own code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBedtime } from '../../src/household/bedtime.js';
import { BOB, callsTo, GRANDMA, household, householdConfig, local, OWNER, said, SIP, TZ, type Household } from './helpers.js';

const BEDTIME_MESSAGE = 'It is bedtime at our house. Please call again tomorrow. Goodbye.';

let h: Household;

beforeAll(async () => {
  h = await household({ start: '2026-03-06 12:00' });
});
afterAll(async () => {
  await h.close();
});

/** Calls from Uncle Bob (no OverrideBedtime) at a local time: did the phone ring? */
async function bobAt(when: string) {
  await h.moveTo(when);
  const r = await h.call({ to: 'home', from: BOB, hangupAfter: 10 });
  return { r, rang: callsTo(r, SIP).length > 0 };
}

// Chronological: one twin, its virtual clock moved forward between calls.
describe('bedtime windows, in order through two weekends', () => {
  it('Friday 21:59 is before the Fri-Sat 22:00 window: Bob rings through', async () => {
    const { r, rang } = await bobAt('2026-03-06 21:59');
    expect(rang).toBe(true);
    expect(r.decision).toMatchObject({ path: 'ring', bedtime: { active: false, localTime: 'Fri 21:59' } });
  });

  it('Friday 23:30 is bedtime: Bob hears the bedtime message and the phone is not called', async () => {
    const { r, rang } = await bobAt('2026-03-06 23:30');
    expect(rang).toBe(false);
    expect(r.decision).toMatchObject({ path: 'bedtime', whitelisted: true, overrideBedtime: false, bedtime: { active: true, window: 'Fri,Sat 22:00-08:00', localTime: 'Fri 23:30' } });
    expect(said(r)).toEqual([BEDTIME_MESSAGE]);
  });

  it('Friday 23:31: Grandma (OverrideBedtime) rings through', async () => {
    await h.moveTo('2026-03-06 23:31');
    const r = await h.call({ to: 'home', from: GRANDMA, hangupAfter: 10 });
    expect(r.decision).toMatchObject({ path: 'ring', overrideBedtime: true, bedtime: { active: true } });
    expect(r.decision!.reason).toContain('may ring through at bedtime');
    expect(callsTo(r, SIP)).toHaveLength(1);
  });

  it('Saturday 07:59, after midnight, is still Friday night’s bedtime; 08:00 is not', async () => {
    expect((await bobAt('2026-03-07 07:59')).rang).toBe(false);
    const { r, rang } = await bobAt('2026-03-07 08:00');
    expect(rang).toBe(true);
    expect(r.decision).toMatchObject({ bedtime: { active: false, localTime: 'Sat 08:00' } });
  });

  it('the spring-forward night (Sat 22:00 to Sun 08:00 across 2026-03-08 02:00 EST→EDT) covers its wall-clock times', async () => {
    expect((await bobAt('2026-03-08 01:59')).rang).toBe(false);
    const { r } = await bobAt('2026-03-08 03:00'); // the first minute after the skipped hour
    expect(r.decision).toMatchObject({ path: 'bedtime', bedtime: { localTime: 'Sun 03:00' } });
    expect((await bobAt('2026-03-08 07:59')).rang).toBe(false);
    expect((await bobAt('2026-03-08 08:00')).rang).toBe(true);
  });

  it('Sunday 20:00 starts the Sun-Thu window; the owner rings through whatever bedtime says', async () => {
    expect((await bobAt('2026-03-08 19:59')).rang).toBe(true);
    expect((await bobAt('2026-03-08 20:00')).rang).toBe(false);
    await h.moveTo('2026-03-08 23:00');
    const owner = await h.call({ to: 'home', from: OWNER, hangupAfter: 10 });
    expect(owner.decisions.map((d) => d.path)).toEqual(['owner', 'owner']);
    expect(callsTo(owner, SIP)).toHaveLength(1);
    expect((await bobAt('2026-03-09 06:59')).rang).toBe(false);
    expect((await bobAt('2026-03-09 07:00')).rang).toBe(true);
  });
});

describe('the fall-back night and voicemail at bedtime', () => {
  let fall: Household;
  beforeAll(async () => {
    fall = await household({ start: '2026-10-31 21:00', config: householdConfig({ voicemail: true }) });
  });
  afterAll(async () => {
    await fall.close();
  });

  it('2026-11-01: 01:30 happens twice and is bedtime both times; 07:59 is bedtime, 08:00 is not', async () => {
    const call = async (when: string) => {
      await fall.moveTo(when);
      return fall.call({ to: 'home', from: BOB, hangupAfter: 10 });
    };
    // The first 01:30 (EDT), then an hour of virtual time later the second 01:30 (EST).
    const first = await call('2026-11-01 01:30');
    await fall.twin.engine.advance(3600 - (fall.twin.clock.nowMs() - local('2026-11-01 01:30').getTime()) / 1000);
    const second = await fall.call({ to: 'home', from: BOB, hangupAfter: 10 });
    for (const r of [first, second]) expect(r.decision).toMatchObject({ path: 'bedtime', bedtime: { localTime: 'Sun 01:30' } });
    expect(second.events[0]!.atMs - first.events[0]!.atMs).toBe(3600_000);
    expect((await call('2026-11-01 07:59')).decision?.path).toBe('bedtime');
    expect((await call('2026-11-01 08:00')).decision?.path).toBe('ring');
  });

  it('with voicemail on, a bedtime caller hears the message and may leave one', async () => {
    await fall.moveTo('2026-11-01 21:00');
    const r = await fall.call({ to: 'home', from: BOB, press: [{ digits: '#' }] });
    expect(r.decision).toMatchObject({ path: 'bedtime', voicemail: true });
    expect(said(r)[0]).toBe(BEDTIME_MESSAGE);
    expect(r.events.find((e) => e.type === 'sms')?.data.body).toMatch(/^homephone: voicemail from Uncle Bob \(\+15555550100\), \d+ s: https:/);
    expect(callsTo(r, SIP)).toEqual([]);
  });
});

it('the deployed Functions and the CLI agree every 97 minutes across the spring-forward weekend', async () => {
  // The same library decides in both places; this checks the deployed copy reads the policy asset
  // the way the CLI reads the configuration, across the spring-forward week.
  const config = householdConfig();
  const schedule = config.household!.bedtime!;
  const twin = await household({ start: '2026-03-06 18:00' });
  try {
    for (let t = local('2026-03-06 18:00').getTime(); t < local('2026-03-09 09:00').getTime(); t += 97 * 60_000) {
      await twin.twin.engine.advance((t - twin.twin.clock.nowMs()) / 1000);
      const r = await twin.call({ to: 'home', from: BOB, hangupAfter: 5 });
      expect(r.decision!.path === 'bedtime', new Date(t).toISOString()).toBe(isBedtime(schedule, TZ, t));
    }
  } finally {
    await twin.close();
  }
});
