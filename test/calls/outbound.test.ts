// Calls dialled on the SIP phone: the number comes from the SIP URI (international or national
// form); emergency numbers are always dialled directly, whitelisted or not, bedtime or not; a
// whitelisted number is called from the home number through a room of its own; anything else goes
// to the owner's cell; an unparsable URI gets a polite message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, BOB, callsTo, find, GRANDMA, HOME, household, householdConfig, joined, of, OWNER, said, SIP, STRANGER, type Household } from './helpers.js';

let h: Household;

beforeAll(async () => {
  // Thursday 23:00: bedtime (Sun-Thu 20:00-07:00).
  h = await household({ start: '2026-11-19 23:00' });
});
afterAll(async () => {
  await h.close();
});

describe('a whitelisted number', () => {
  it.each([
    ['+15555550100', 'international form'],
    ['5555550100', 'national form (household country US)'],
    ['1-555-555-0100', 'with a trunk 1 and dashes'],
  ])('dialled as %s (%s) is called from the home number into a room of its own, even at bedtime', async (dial) => {
    const r = await h.call({ to: 'phone', dial, hangupAfter: 30 });
    expect(r.decision).toMatchObject({ call: 'outbound', path: 'whitelisted', number: BOB, person: 'Uncle Bob', whitelisted: true });
    const [callee] = callsTo(r, BOB);
    expect(callee!.from).toBe(HOME);
    const room = `hp-${r.callSid}`;
    expect(joined(r, r.callSid)).toEqual([{ room, muted: false }]);
    expect(joined(r, callee!.sid)).toEqual([{ room, muted: false }]);
    expect(find(r.events, 'conference-start', room)).toBeDefined();
    // The phone hangs up: the room and the callee's leg end.
    expect(find(of(r, callee!.sid), 'hangup')!.atMs).toBe(find(of(r, r.callSid), 'hangup')!.atMs);
    expect(r.hops.functionPaths[0]).toBe('/outbound');
  });

  it('that does not answer: the phone hears a short message instead of waiting in silence', async () => {
    h.twin.engine.phones.set(GRANDMA, { behaviour: 'no-answer' });
    const r = await h.call({ to: 'phone', dial: '+15555555555' });
    h.twin.engine.phones.clear();
    expect(said(r)).toEqual(['The number you called did not answer. Please try again later. Goodbye.']);
    expect(at(r, find(of(r, r.callSid), 'say'))).toBe(30);
  });
});

describe('emergency numbers', () => {
  it('911 is dialled directly from the home number at bedtime, with no message and no room', async () => {
    const r = await h.call({ to: 'phone', dial: '911', hangupAfter: 20 });
    expect(r.decision).toMatchObject({ path: 'emergency', number: '911', whitelisted: false });
    const dial = find(of(r, r.callSid), 'dial', 'dialling')!;
    expect(dial.data).toMatchObject({ targets: ['911'], callerId: HOME });
    expect(find(of(r, r.callSid), 'dial', 'connected to 911')).toBeDefined();
    expect(said(r)).toEqual([]);
    expect(joined(r, r.callSid)).toEqual([]);
    expect(at(r, dial)).toBe(0);
  });

  it('a configured local emergency number is dialled directly too', async () => {
    const other = await household({ start: '2026-11-19 23:00', config: householdConfig({ emergencyNumbers: ['911', '112'] }) });
    try {
      const r = await other.call({ to: 'phone', dial: '112', hangupAfter: 10 });
      expect(r.decision).toMatchObject({ path: 'emergency', number: '112' });
      expect(find(of(r, r.callSid), 'dial', 'connected to 112')).toBeDefined();
    } finally {
      await other.close();
    }
  });
});

describe('anything else', () => {
  it('a number not on the whitelist connects to the owner’s cell, from the home number', async () => {
    const r = await h.call({ to: 'phone', dial: STRANGER, hangupAfter: 20 });
    expect(r.decision).toMatchObject({ path: 'owner', number: STRANGER, whitelisted: false });
    expect(said(r)).toEqual(['That number is not on the family list. Connecting you to a parent.']);
    expect(callsTo(r, STRANGER)).toEqual([]);
    const [cell] = callsTo(r, OWNER);
    expect(cell!.from).toBe(HOME);
  });

  it.each([
    ['12345678', '12345678 is not a 10-digit North American number'],
    ['411', '411 is a short code, not an emergency number or a phone number'],
    ['alice', 'alice is not a phone number'],
  ])('%s cannot be dialled: a polite message, then the call ends', async (dial, reason) => {
    const r = await h.call({ to: 'phone', dial });
    expect(r.decision).toMatchObject({ path: 'unparsable', reason });
    expect(said(r)).toEqual(['Sorry, that number could not be dialled. Please check the number and try again. Goodbye.']);
    expect(r.calls).toHaveLength(1);
    expect(callsTo(r, SIP)).toEqual([]);
  });
});
