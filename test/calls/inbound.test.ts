// Calls to the home number from people who are not the owner: the whitelisted ring through a room
// of their own, everyone else hears the household's message (or leaves a voicemail), and two
// calls at once never share a room. Deployed with the real deploy code into a twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, BOB, callsTo, find, functionsBefore, GRANDMA, household, householdConfig, joined, of, OWNER, said, SIP, STRANGER, type Household } from './helpers.js';

let h: Household;
let voicemail: Household;

beforeAll(async () => {
  // A Friday afternoon: not bedtime.
  h = await household({ start: '2026-11-20 15:00' });
  voicemail = await household({ start: '2026-11-20 15:00', config: householdConfig({ voicemail: true }) });
});
afterAll(async () => {
  await h.close();
  await voicemail.close();
});

describe('a whitelisted caller', () => {
  it('joins a room of its own, the SIP phone is rung into it, both talk, and the caller hanging up ends the room and the phone leg', async () => {
    const r = await h.call({ to: 'home', from: BOB, hangupAfter: 30 });
    expect(r.decision).toMatchObject({ call: 'inbound', path: 'ring', from: BOB, person: 'Uncle Bob', whitelisted: true, bedtime: { active: false } });
    const room = `hp-${r.callSid}`;
    const [phone] = callsTo(r, SIP);
    expect(phone).toBeDefined();
    expect(phone!.from).toBe(BOB); // the handset shows who calls
    expect(joined(r, r.callSid)).toEqual([{ room, muted: false }]);
    expect(joined(r, phone!.sid)).toEqual([{ room, muted: false }]);
    // The caller hears ringback while the phone rings; the room starts when the phone answers.
    expect(find(of(r, r.callSid), 'play', 'ringback.wav')).toBeDefined();
    expect(at(r, find(r.events, 'conference-start', room))).toBe(4);
    // The caller hangs up: the room ends and takes the phone's leg with it.
    const hangup = find(of(r, r.callSid), 'hangup')!;
    expect(at(r, hangup)).toBe(30);
    expect(find(r.events, 'conference-end', room)?.atMs).toBe(hangup.atMs);
    expect(find(of(r, phone!.sid), 'hangup')?.atMs).toBe(hangup.atMs);
    expect(r.status).toBe('completed');
  });

  it('reaches the ringing phone through one Function invocation and two Studio widgets', async () => {
    const r = await h.call({ to: 'home', from: GRANDMA, hangupAfter: 10 });
    const [phone] = callsTo(r, SIP);
    const ringing = find(of(r, phone!.sid), 'ringing');
    expect(functionsBefore(r, ringing)).toEqual(['/incoming']);
    const steps = r.events.filter((e) => e.type === 'studio' && e.seq < ringing!.seq && typeof e.data.type === 'string').map((e) => e.data.widget);
    expect(steps).toEqual(['is_owner', 'screen']);
    // After the call, the phone leg's status callback is the only other invocation.
    expect(r.hops.functionPaths).toEqual(['/incoming', '/participant-status']);
  });
});

describe('a caller not on the whitelist', () => {
  it('hears the message and is hung up on; the phone is never called', async () => {
    const r = await h.call({ to: 'home', from: STRANGER });
    expect(r.decision).toMatchObject({ path: 'not-whitelisted', whitelisted: false, person: null });
    expect(r.decision!.reason).toBe(`${STRANGER} is not on the whitelist`);
    expect(said(r)).toEqual(['Sorry, this number does not take calls from unknown callers. Goodbye.']);
    expect(callsTo(r, SIP)).toEqual([]);
    expect(r.calls).toHaveLength(1);
    expect(find(of(r, r.callSid), 'hangup')?.text).toContain('completed');
    expect(r.hops.functions).toBe(1);
  });

  it('with voicemail on, may leave a message, and the owner gets an SMS with the recording link', async () => {
    const r = await voicemail.call({ to: 'home', from: STRANGER, press: [{ digits: '#' }] }); // '#' when the tone sounds
    expect(r.decision).toMatchObject({ path: 'not-whitelisted', voicemail: true });
    expect(said(r)).toEqual([
      'Sorry, this number does not take calls from unknown callers. Goodbye.',
      'Please leave a message after the tone, then hang up or press the pound key.',
      'Thank you. Your message was recorded. Goodbye.',
    ]);
    const recorded = find(of(r, r.callSid), 'record', 'recorded')!;
    expect(recorded.text).toContain('ended by #');
    const sms = find(r.events, 'sms')!;
    expect(sms.data).toMatchObject({ from: '+15551230001', to: OWNER });
    expect(String(sms.data.body)).toMatch(new RegExp(`^homephone: voicemail from \\${STRANGER}, \\d+ s: https://api\\.twilio\\.com/2010-04-01/Accounts/AC\\w+/Recordings/RE\\w+\\.mp3$`));
    expect(callsTo(r, SIP)).toEqual([]);
  });
});

describe('two calls at once', () => {
  it('never share a room, and each phone leg joins its own caller', async () => {
    const engine = h.twin.engine;
    engine.phones.set(SIP, { answerAfter: 2 });
    const a = engine.startCall({ from: GRANDMA, to: h.homeNumber, script: { hangupAfter: 40 } });
    const b = engine.startCall({ from: BOB, to: h.homeNumber, script: { hangupAfter: 20 } });
    const mark = engine.transcript.events.length;
    await engine.settle();
    const events = engine.transcript.since(mark);
    const rooms = (sid: string) => events.filter((e) => e.type === 'conference-join' && e.callSid === sid).map((e) => e.data.room);
    expect(rooms(a.json.sid)).toEqual([`hp-${a.json.sid}`]);
    expect(rooms(b.json.sid)).toEqual([`hp-${b.json.sid}`]);
    const phoneLegs = [...h.twin.state.calls.values()].filter((c) => c.json.to === SIP && [a.json.sid, b.json.sid].some((s) => rooms(c.json.sid).includes(`hp-${s}`)));
    expect(phoneLegs).toHaveLength(2);
    // B's room ends with B; A's goes on until A hangs up.
    const ended = events.filter((e) => e.type === 'conference-end').map((e) => [e.data.room, (e.atMs - events[0]!.atMs) / 1000]);
    expect(ended).toEqual([
      [`hp-${b.json.sid}`, 20],
      [`hp-${a.json.sid}`, 40],
    ]);
  });
});
