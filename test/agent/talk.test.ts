// Talking, then opening: the tenant who pressed 1 talks to the visitor in the buzz's room, presses
// * (which the agent hears: <Dial hangupOnStar>) and then 9. The agent plays the door digits on the
// visitor's call and knows who opened it. Every scenario runs through the twin.
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/agent/index.js';
import { ALEX, SAM, callTo, doorDigits, eventsOf, hangupStatus, rooms, said, secondsAt, sms, startBuzzer, type BuzzerHarness } from './harness.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('talk, then open', () => {
  it('Alex presses 1, talks, then * and 9: the door opens once, after the *, and the text names Alex', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '*', at: 20 }, { digits: '9', at: 21 }], hangupAfter: 60 });
    h.twin.engine.phones.set(SAM, { answerAfter: 10 });
    const r = await h.buzz();
    const visitor = r.callSid;
    const [alex] = callTo(r, ALEX);
    expect(new Set(rooms(r).get(`bz-${visitor}`))).toEqual(new Set([visitor, alex]));
    const star = eventsOf(r, alex, 'digits-sent').find((e) => e.data.hangupOnStar === true);
    expect(secondsAt(r, star)).toBe(23);
    const digits = doorDigits(r, visitor);
    expect(digits.map((e) => e.data.digits)).toEqual(['ww9']);
    expect(secondsAt(r, digits[0])).toBeGreaterThan(secondsAt(r, star));
    expect(said(r, alex)).toEqual([MESSAGES.tenantPrompt, MESSAGES.starMenu, MESSAGES.opening, MESSAGES.doorOpenedTenant]);
    expect(said(r, visitor)).toEqual([MESSAGES.holdVisitor, MESSAGES.doorOpenedVisitor]);
    expect(sms(r)).toEqual([{ to: SAM, body: 'Front door opened at 14:02 by Alex.' }]);
    expect(h.logs.filter((l) => l.event === 'buzz.opened')).toMatchObject([{ by: 'tenant', tenant: 'Alex' }]);
    expect(h.agent.buzzes.get(visitor)).toMatchObject({ phase: 'opened', door: 'opened', winner: 0 });
  });

  it('the enterphone hears the door key exactly once, from the agent\'s <Play digits>, not from the tenant\'s phone', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '*', at: 20 }, { digits: '9', at: 21 }], hangupAfter: 60 });
    const r = await h.buzz({ onHear: { '9': 'door-opens' } });
    const opened = eventsOf(r, r.callSid, 'reaction');
    expect(opened.map((e) => e.data.reaction)).toEqual(['door-opens']);
    expect(secondsAt(r, opened[0])).toBeGreaterThan(secondsAt(r, doorDigits(r, r.callSid)[0]));
  });

  it('a 9 pressed while talking only reaches the enterphone as sound: the door may open, but the agent cannot know who opened it', async () => {
    h = await startBuzzer();
    // What `simulate buzz --tenant Alex=answers:1,9@20` scripts: no star, so no menu.
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '9', at: 20 }], hangupAfter: 30 });
    const r = await h.buzz({ onHear: { '9': 'door-opens' } });
    expect(eventsOf(r, r.callSid, 'reaction').map((e) => e.data.reaction)).toEqual(['door-opens']);
    expect(doorDigits(r, r.callSid)).toEqual([]);
    expect(h.logs.find((l) => l.event === 'buzz.opened')).toBeUndefined();
    expect(sms(r)).toEqual([]);
  });

  it('at the star menu, 1 (or nothing) goes back to the visitor and the talk goes on', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '*', at: 10 }, { digits: '1', at: 11 }], hangupAfter: 40 });
    const r = await h.buzz();
    const visitor = r.callSid;
    const [alex] = callTo(r, ALEX);
    // Two talks in the room: before the star and after it.
    expect(eventsOf(r, alex, 'conference-join')).toHaveLength(2);
    expect(eventsOf(r, visitor, 'conference-join').length).toBeGreaterThanOrEqual(2);
    const lastJoin = eventsOf(r, visitor, 'conference-join').at(-1);
    expect(secondsAt(r, lastJoin)).toBeGreaterThan(13);
    expect(doorDigits(r, visitor)).toEqual([]);
    // Alex hangs up at 43 s: the visitor hears so at once and the call ends.
    const told = eventsOf(r, visitor, 'say').find((e) => e.data.text === MESSAGES.talkerGoneVisitor);
    expect(secondsAt(r, told)).toBe(43);
    expect(hangupStatus(r, visitor)).toBe('completed');
    expect(sms(r)).toEqual([]);
  });

  it('the tenant presses * and then hangs up at the menu: the visitor on hold is told within a second or two', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '*', at: 10 }], hangupAfter: 12 });
    const r = await h.buzz();
    const told = eventsOf(r, r.callSid, 'say').find((e) => e.data.text === MESSAGES.talkerGoneVisitor);
    expect(said(r, r.callSid)[0]).toBe(MESSAGES.holdVisitor);
    expect(secondsAt(r, told)).toBeGreaterThanOrEqual(15);
    expect(secondsAt(r, told)).toBeLessThanOrEqual(17);
    expect(hangupStatus(r, r.callSid)).toBe('completed');
    expect(doorDigits(r, r.callSid)).toEqual([]);
  });

  it('the visitor hangs up while they talk: the tenant who presses * hears it, and no door is tried', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '*', at: 20 }] });
    const r = await h.buzz({ hangupAfter: 15 });
    const [alex] = callTo(r, ALEX);
    // The visitor leaving ends the room; Alex's <Dial> ends with it and the agent checks the call.
    expect(said(r, alex)).toEqual([MESSAGES.tenantPrompt, MESSAGES.visitorGoneTenant]);
    expect(secondsAt(r, eventsOf(r, alex, 'hangup')[0])).toBeLessThan(20);
    expect(doorDigits(r, r.callSid)).toEqual([]);
  });

  it('two tenants pressing 1 at the same moment: one talks, the other is hung up when the first is connected', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    h.twin.engine.phones.set(SAM, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    const r = await h.buzz();
    const legs = [...callTo(r, ALEX), ...callTo(r, SAM)];
    const inRoom = legs.filter((sid) => rooms(r).get(`bz-${r.callSid}`)?.includes(sid));
    expect(inRoom).toHaveLength(1);
    const loser = legs.find((sid) => sid !== inRoom[0]);
    expect(eventsOf(r, loser, 'hangup')[0]?.data).toMatchObject({ status: 'completed', by: 'another leg was connected' });
    expect(secondsAt(r, eventsOf(r, loser, 'hangup')[0])).toBe(5);
    expect(h.logs.filter((l) => l.event === 'buzz.answered')).toHaveLength(1);
  });

  it('a talk that never ends is still bounded: the visitor\'s call ends within the buzz\'s limit', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }] });
    const r = await h.buzz();
    const end = eventsOf(r, r.callSid, 'hangup')[0];
    expect(secondsAt(r, end)).toBeLessThanOrEqual(900 + 30);
    expect(said(r, r.callSid)).toContain(MESSAGES.holdTooLongVisitor);
  });
});
