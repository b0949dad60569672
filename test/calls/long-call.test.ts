// The flows' TwiML Redirect widgets wait up to 14400 s for a return, and Studio follows a
// widget's `timeout` transition when that passes. homephone's home calls never return to the flow
// (the Functions' TwiML carries the call to its end), and 14400 s is also Twilio's call time limit
// (4 h), so a long call is never cut short by the flow: it ends when the caller hangs up, or at the
// call limit, and no flow widget takes the call back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsTo, find, GRANDMA, household, of, SIP, type Household } from './helpers.js';

let h: Household;
beforeAll(async () => {
  h = await household({ start: '2026-11-20 15:00' });
});
afterAll(async () => {
  await h.close();
});

const elapsed = (r: Awaited<ReturnType<Household['call']>>, e: { atMs: number } | undefined) => (e ? (e.atMs - r.events[0]!.atMs) / 1000 : NaN);

describe('a long call to the home phone', () => {
  it('of three hours ends when the caller hangs up, with the phone still connected until then', async () => {
    const r = await h.call({ to: 'home', from: GRANDMA, hangupAfter: 3 * 3600 });
    expect(find(of(r, callsTo(r, SIP)[0]!.sid), 'answered')).toBeDefined();
    expect(elapsed(r, find(of(r, r.callSid), 'hangup'))).toBe(3 * 3600);
    expect(r.events.some((e) => e.type === 'studio' && e.data.event === 'timeout')).toBe(false);
  });

  it('of five hours ends at the 4-hour call limit, not through the flow', async () => {
    const r = await h.call({ to: 'home', from: GRANDMA, hangupAfter: 5 * 3600 });
    const hangup = find(of(r, r.callSid), 'hangup')!;
    expect(elapsed(r, hangup)).toBe(14_400);
    expect(hangup.text).toContain('call time limit');
    // The flow's timeout (at the same instant) has no transition to take: the caller hears nothing from it.
    expect(of(r, r.callSid, 'say')).toEqual([]);
  });
});
