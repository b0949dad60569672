// The SIP phone does not answer: not registered (32009), busy, or no answer within the ring
// timeout. The caller goes to the fallback — the owner's cell, then (voicemail on) a voicemail —
// within the ring timeout, and is never left waiting in a silent room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, BOB, callsTo, find, household, householdConfig, of, OWNER, said, SIP, type Household } from './helpers.js';
import type { HomeCallResult } from '../../src/simulate/home-call.js';

let h: Household;
let vm: Household;

beforeAll(async () => {
  h = await household({ start: '2026-11-20 15:00' });
  vm = await household({ start: '2026-11-20 15:00', config: householdConfig({ voicemail: true, ringTimeout: 20 }) });
});
afterAll(async () => {
  await h.close();
  await vm.close();
});
const clear = (x: Household) => x.twin.engine.phones.clear();

/** When the caller left its room, and when the owner's cell started ringing. */
function moved(r: HomeCallResult) {
  const left = find(of(r, r.callSid), 'conference-leave');
  const [cell] = callsTo(r, OWNER);
  return { left: at(r, left), cellRings: cell ? at(r, find(of(r, cell.sid), 'ringing')) : NaN, cell };
}

describe.each([
  { phone: 'unregistered' as const, status: 'failed', code: '32009', after: 0 },
  { phone: 'busy' as const, status: 'busy', code: undefined, after: 1 },
  { phone: 'no-answer' as const, status: 'no-answer', code: undefined, after: 25 },
])('the phone: $phone', ({ phone, status, code, after }) => {
  it(`the caller is moved to the owner's cell after ${after}s (ring timeout 25s) and talks to the owner`, async () => {
    clear(h);
    const r = await h.call({ to: 'home', from: BOB, phone, hangupAfter: 90 });
    const [sip] = callsTo(r, SIP);
    expect(find(of(r, sip!.sid), 'hangup')?.data.status).toBe(status);
    if (code) expect(find(of(r, sip!.sid), 'error')?.data.code).toBe(Number(code));
    const m = moved(r);
    expect(m.left).toBe(after);
    expect(m.cellRings).toBe(after);
    expect(m.cell!.from).toBe(BOB); // the owner sees who called
    expect(find(of(r, r.callSid), 'dial', `connected to ${OWNER}`)).toBeDefined();
    const redirect = find(of(r, r.callSid), 'redirect', 'fallback-owner')!;
    expect(redirect.data.url).toBe(`https://${h.domain}/fallback-owner?reason=${status}${code ? `&code=${code}` : ''}`);
    // Never silent: ringback until it left the room, then the owner's cell ringing (answerOnBridge).
    expect(find(of(r, r.callSid), 'play', 'ringback.wav')!.atMs).toBeLessThanOrEqual(find(of(r, r.callSid), 'conference-leave')!.atMs);
  });
});

it('the owner does not answer either and voicemail is on: the caller leaves a voicemail, texted to the owner', async () => {
  clear(vm);
  vm.twin.engine.phones.set(OWNER, { behaviour: 'no-answer' });
  const r = await vm.call({ to: 'home', from: BOB, phone: 'no-answer', press: [{ digits: '#' }] });
  const m = moved(r);
  expect(m.left).toBe(20); // household.ringTimeout 20
  expect(find(of(r, m.cell!.sid), 'hangup')?.data.status).toBe('no-answer');
  expect(said(r)).toEqual([
    'Sorry, nobody can take your call right now. Please try again later.',
    'Please leave a message after the tone, then hang up or press the pound key.',
    'Thank you. Your message was recorded. Goodbye.',
  ]);
  expect(at(r, find(of(r, r.callSid), 'say'))).toBe(40); // 20 s for the phone, 20 s for the cell
  expect(find(r.events, 'sms')?.data).toMatchObject({ to: OWNER, body: expect.stringContaining('voicemail from Uncle Bob (+15555550100)') });
});

it('the owner calls and the phone is not registered: the owner hears the message, never their own cell', async () => {
  clear(h);
  const r = await h.call({ to: 'home', from: OWNER, phone: 'unregistered' });
  expect(r.decisions.map((d) => d.path)).toEqual(['owner', 'owner']);
  expect(callsTo(r, OWNER)).toEqual([]);
  expect(said(r)).toEqual(['Sorry, nobody can take your call right now. Please try again later.']);
  expect(r.status).toBe('completed');
});
