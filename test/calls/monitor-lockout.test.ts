// The monitor code cannot be brute-forced: wrong codes are counted across calls in a Sync
// Document on Twilio (the twin's Sync API here), five in a row lock listening in for a cool-down
// during which even the right code is refused, the owner is texted once when it trips, and
// nothing about the calls in progress is said before the code is accepted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CODE, household, joined, OWNER, BOB, said, type Household } from './helpers.js';

let h: Household;

beforeEach(async () => {
  h = await household({ start: '2026-11-20 15:00' });
});
afterEach(async () => {
  await h.close();
});

const LOCKED = 'Listening in is locked after too many wrong codes. Please try again later. Goodbye.';
const wrongCodes = (n: number) => Array.from({ length: n }, (_, i) => ({ digits: `${1000 + i}#` }));
const textsToOwner = () => [...h.twin.state.messages.values()].map((m) => m.json).filter((m) => m.to === OWNER);
const checkCodeCalls = (r: Awaited<ReturnType<Household['call']>>) => r.events.filter((e) => e.type === 'function' && e.data.path === '/check-code').length;

describe('the lockout across calls', () => {
  it('four calls of three wrong codes lock the fifth call out, even with the right code; the owner is texted once', async () => {
    const calls = [];
    for (let i = 0; i < 4; i++) calls.push(await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(3), hangupAfter: 120 }));
    // The first call uses its three tries; the fifth wrong code in a row (the second call's
    // second) locks listening in; the third and fourth calls are refused at their first code.
    expect(said(calls[0]!).at(-1)).toBe('That code is not right, and there are no tries left. Goodbye.');
    expect(calls.map(checkCodeCalls)).toEqual([3, 2, 1, 1]);
    for (const r of calls.slice(1)) expect(said(r).at(-1)).toBe(LOCKED);

    const fifth = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 60 });
    expect(said(fifth).at(-1)).toBe(LOCKED);
    expect(joined(fifth, fifth.callSid)).toEqual([]);
    expect(fifth.events.some((e) => e.type === 'function' && e.data.path === '/monitor')).toBe(false);

    for (const r of [...calls, fifth]) expect(said(r).join(' ')).not.toMatch(/in progress|Uncle Bob/);
    const texts = textsToOwner();
    expect(texts).toHaveLength(1);
    expect(texts[0]!.from).toBe(h.homeNumber);
    expect(texts[0]!.body).toMatch(/5 wrong monitor codes in a row.*locked for 15 minutes/);
  });

  it('after the cool-down the right code works, and clears the count', async () => {
    await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(3), hangupAfter: 120 });
    const tripping = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(2), hangupAfter: 120 });
    expect(said(tripping).at(-1)).toBe(LOCKED);

    await h.moveTo('2026-11-20 15:14');
    const early = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 60 });
    expect(said(early).at(-1)).toBe(LOCKED);

    await h.moveTo('2026-11-20 15:30');
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 60 });
    expect(said(r)[1]).toBe('There is one call in progress, with Uncle Bob. Press 1 to join it, or 8 to listen silently.');
    expect(joined(r, r.callSid)).toHaveLength(1);
    expect(joined(r, r.callSid)[0]!.muted).toBe(true);
    // The count starts again: four wrong codes later, listening in is still open.
    const again = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [...wrongCodes(2), { digits: `${CODE}#` }, { digits: '1' }], hangupAfter: 60 });
    expect(joined(again, again.callSid)).toHaveLength(1);
    expect(textsToOwner()).toHaveLength(1);
  });

  it('a lockout soon after another lasts twice as long', async () => {
    await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(3), hangupAfter: 120 });
    await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(2), hangupAfter: 120 });
    await h.moveTo('2026-11-20 15:20');
    await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(3), hangupAfter: 120 });
    await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(2), hangupAfter: 120 });
    const texts = textsToOwner();
    expect(texts).toHaveLength(2);
    expect(texts[1]!.body).toMatch(/locked for 30 minutes/);
    await h.moveTo('2026-11-20 15:45');
    const still = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 60 });
    expect(said(still).at(-1)).toBe(LOCKED);
  });

  it('the count lives on Twilio, in a Sync Document of the Sync service deploy created', async () => {
    await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: wrongCodes(2), hangupAfter: 120 });
    const services = [...h.twin.state.syncServices.values()];
    expect(services.map((s) => s.json.friendly_name)).toEqual(['homephone [managed by homephone]']);
    const doc = [...services[0]!.documents.values()].find((d) => d.json.unique_name === 'monitor-lockout');
    expect(doc?.json.data).toMatchObject({ failures: 2, lockedUntil: 0 });
  });

  it('fails closed: without its Sync service, even the right code opens nothing', async () => {
    h.twin.state.syncServices.clear(); // deleted in the console
    const r = await h.call({ to: 'home', from: OWNER, inProgress: [BOB], press: [{ digits: `${CODE}#` }, { digits: '8' }], hangupAfter: 60 });
    expect(said(r).at(-1)).toBe('Sorry, nobody can take your call right now. Please try again later.');
    expect(joined(r, r.callSid)).toEqual([]);
    expect(said(r).join(' ')).not.toMatch(/in progress|Uncle Bob/);
  });
});
