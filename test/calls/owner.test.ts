// The owner calls the home number: with no call in progress the home phone rings; with one, the
// monitor code is asked first (checked against its hash, three wrong tries ending the call, and a
// lockout across calls kept in a Sync Document); only then is the owner told who is on the line
// and offered 1 (join) or 8 (listen silently); with several calls, the most recent is chosen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUNT, BOB, callsTo, CODE, find, GRANDMA, household, joined, of, OWNER, said, SIP, type Household } from './helpers.js';

let h: Household;

beforeAll(async () => {
  h = await household({ start: '2026-11-20 15:00' });
});
afterAll(async () => {
  await h.close();
});

const roomOf = (callSid: string) => `hp-${callSid}`;
/** The SID of the in-progress call from `number` (the one placed before the owner called). */
function callFrom(number: string): string {
  const calls = [...h.twin.state.calls.values()].filter((c) => c.json.from === number && c.json.direction === 'inbound');
  return calls.at(-1)!.json.sid;
}

describe('no call in progress', () => {
  it('the owner is connected to the home phone, in a room of the owner’s call', async () => {
    const r = await h.call({ to: 'home', from: OWNER, hangupAfter: 20 });
    expect(r.decisions.map((d) => [d.call, d.path])).toEqual([
      ['owner', 'owner'],
      ['inbound', 'owner'],
    ]);
    expect(callsTo(r, SIP)).toHaveLength(1);
    expect(joined(r, r.callSid)).toEqual([{ room: roomOf(r.callSid), muted: false }]);
    expect(find(r.events, 'conference-start')).toBeDefined();
    expect(said(r)).toEqual([]);
  });
});

describe('a call in progress', () => {
  it('press 8 and the right code: the owner listens silently (muted) in that call’s room', async () => {
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 40 });
    const room = roomOf(callFrom(BOB));
    expect(r.decision).toMatchObject({ call: 'owner', path: 'owner-menu', count: 1, room });
    expect(said(r).slice(0, 2)).toEqual([
      'Enter your monitor code, then press the pound key.',
      'There is one call in progress, with Uncle Bob. Press 1 to join it, or 8 to listen silently.',
    ]);
    expect(joined(r, r.callSid)).toEqual([{ room, muted: true }]);
    expect(callsTo(r, SIP).filter((c) => c.from === OWNER)).toEqual([]); // the phone is already in that room
    // The owner leaving does not end the call: it ends when Bob hangs up.
    const ownerLeft = find(of(r, r.callSid), 'conference-leave')!;
    const end = find(r.events, 'conference-end', room)!;
    expect(end.callSid).toBe(callFrom(BOB));
    expect(end.atMs).toBeGreaterThan(ownerLeft.atMs);
    const widgets = r.events.filter((e) => e.type === 'studio' && typeof e.data.type === 'string').map((e) => e.data.widget);
    expect(widgets).toEqual(['is_owner', 'find_calls', 'any_calls', 'ask_code', 'count_try', 'check_code', 'code_result', 'owner_menu', 'menu_choice', 'mode_listen', 'enter_room']);
    expect(r.hops.functionPaths).toEqual(['/calls-in-progress', '/check-code', '/monitor']);
  });

  it('press 1 and the right code: the owner joins and can talk (not muted)', async () => {
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [GRANDMA], press: [{ digits: `${CODE}#` }, { digits: '1' }], hangupAfter: 40 });
    expect(joined(r, r.callSid)).toEqual([{ room: roomOf(callFrom(GRANDMA)), muted: false }]);
    expect(said(r)).toContain('Joining the call.');
  });

  it('a wrong code, then the right one: the second try gets in', async () => {
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: '1111#' }, { digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 60 });
    expect(said(r)).toContain('That code is not right.');
    expect(joined(r, r.callSid)).toEqual([{ room: roomOf(callFrom(BOB)), muted: true }]);
  });

  it('three wrong codes end the call, and the owner never enters the room', async () => {
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: '1111#' }, { digits: '9999#' }, { digits: '0000#' }, { digits: `${CODE}#` }], hangupAfter: 120 });
    expect(said(r).filter((s) => s === 'That code is not right.')).toHaveLength(2);
    // Nothing about the call in progress is said to a caller who has not given the code.
    expect(said(r).join(' ')).not.toMatch(/in progress|Uncle Bob/);
    expect(said(r).at(-1)).toBe('That code is not right, and there are no tries left. Goodbye.');
    expect(joined(r, r.callSid)).toEqual([]);
    expect(r.events.filter((e) => e.type === 'function' && e.data.path === '/check-code')).toHaveLength(3);
    expect(find(of(r, r.callSid), 'hangup')?.data.by).not.toBe('far end hung up'); // the flow hung up
    expect(find(of(r, r.callSid), 'gather', /^listening/)).toBeDefined();
    // The fourth try is never asked for: the right code comes too late.
    expect(r.events.filter((e) => e.callSid === r.callSid && e.type === 'gather' && e.text.startsWith('listening'))).toHaveLength(3);
  });

  it('no code typed: three silent prompts end the call, and nothing joined or said about the call', async () => {
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [BOB] });
    expect(said(r).at(-1)).toBe('That code is not right, and there are no tries left. Goodbye.');
    expect(said(r).join(' ')).not.toMatch(/in progress|Uncle Bob/);
    expect(joined(r, r.callSid)).toEqual([]);
  });

  it('the right code, then no key at the menu: goodbye, and nothing joined', async () => {
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: `${CODE}#` }] });
    expect(said(r).at(-1)).toBe('Goodbye.');
    expect(joined(r, r.callSid)).toEqual([]);
  });
});

describe('several calls in progress', () => {
  it('the owner is told how many, and monitoring joins the most recent', async () => {
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [GRANDMA, AUNT, BOB], press: [{ digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 40 });
    const latest = roomOf(callFrom(BOB));
    expect(r.decision).toMatchObject({ count: 3, room: latest });
    expect(said(r)[1]).toBe('There are 3 calls in progress. The most recent is with Uncle Bob. Press 1 to join it, or 8 to listen silently.');
    expect(joined(r, r.callSid)).toEqual([{ room: latest, muted: true }]);
    // Each of the three calls still has its own room.
    const rooms = new Set([GRANDMA, AUNT, BOB].map((n) => roomOf(callFrom(n))));
    expect(rooms.size).toBe(3);
  });
});

it('a forged owner number without the code gets nothing: the monitor URL alone opens no room', async () => {
  // Straight to /monitor with a made-up token: refused.
  const engine = h.twin.engine;
  const bob = engine.startCall({ from: BOB, to: h.homeNumber, script: { hangupAfter: 30 } });
  await engine.advance(5);
  const { createTwilioClient } = await import('../../src/twilio/client.js');
  const sdk = createTwilioClient({ accountSid: h.twin.credentials.accountSid, authToken: h.twin.credentials.authToken, twinUrl: h.twin.url }, {});
  const url = `https://${h.domain}/monitor?mode=listen&room=${roomOf(bob.json.sid)}&token=${'0'.repeat(64)}`;
  const spy = await sdk.calls.create({ to: OWNER, from: h.homeNumber, url });
  const mark = engine.transcript.events.length;
  await engine.settle();
  const events = engine.transcript.since(mark).filter((e) => e.callSid === spy.sid);
  expect(events.filter((e) => e.type === 'say').map((e) => e.data.text)).toEqual(['Sorry, that is not allowed. Goodbye.']);
  expect(events.some((e) => e.type === 'conference-join')).toBe(false);
});
