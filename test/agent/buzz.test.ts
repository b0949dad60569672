// Every buzz scenario through the twin: the twin calls the real agent over loopback HTTP with
// signed webhooks, the agent drives the twin's REST API, and the transcript says what happened.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALEX,
  BUZZER,
  ENTERPHONE,
  SAM,
  callTo,
  doorDigits,
  eventsOf,
  hangupStatus,
  rooms,
  said,
  secondsAt,
  sms,
  startBuzzer,
  type BuzzerHarness,
} from './harness.js';
import { MESSAGES } from '../../src/agent/index.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a buzz', () => {
  it('answers the visitor at once with one <Dial> that rings every tenant at the same instant', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    h.twin.engine.phones.set(SAM, { answerAfter: 10 });
    const r = await h.buzz();
    const visitor = r.callSid;
    // Answered at 0 s: the visitor hears Twilio's ringing while the <Dial> rings the tenants.
    expect(secondsAt(r, eventsOf(r, visitor, 'answered')[0])).toBe(0);
    const dial = eventsOf(r, visitor, 'dial')[0];
    expect(dial?.data).toMatchObject({ targets: [ALEX, SAM], timeout: 30, answerOnBridge: false });
    const [alex] = callTo(r, ALEX);
    const [sam] = callTo(r, SAM);
    for (const leg of [alex, sam]) expect(secondsAt(r, eventsOf(r, leg, 'ringing')[0])).toBe(0);
    // <Dial> legs, not REST-created calls: the account's calls-per-second limit does not apply.
    expect(r.calls.find((c) => c.sid === alex)).toMatchObject({ direction: 'outbound-dial' });
    expect(h.twin.log.all().filter((q) => q.method === 'POST' && /\/Calls\.json$/.test(q.path))).toEqual([]);
  });

  it.each([5, 10])('%i tenants at the account\'s default calls per second: every phone starts ringing at the same instant', async (n) => {
    const tenants = Array.from({ length: n }, (_, i) => ({ name: `T${i}`, number: `+1555222${String(i).padStart(4, '0')}` }));
    h = await startBuzzer({ tenants });
    for (const t of tenants) h.twin.engine.phones.set(t.number, { behaviour: 'no-answer' });
    const r = await h.buzz();
    const starts = tenants.map((t) => secondsAt(r, eventsOf(r, callTo(r, t.number)[0], 'ringing')[0]));
    expect(starts).toHaveLength(n);
    expect(Math.max(...starts) - Math.min(...starts)).toBe(0);
    expect(Math.min(...starts)).toBe(0);
    // None of them is a REST-created call, the only kind Twilio queues at the account's CPS.
    expect(r.calls.filter((c) => c.direction === 'outbound-api')).toEqual([]);
  });

  it('tenant A presses 1: A and the visitor talk in the buzz\'s room, B is cancelled while ringing', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    h.twin.engine.phones.set(SAM, { answerAfter: 10 });
    const r = await h.buzz();
    const [alex] = callTo(r, ALEX);
    const [sam] = callTo(r, SAM);
    expect(new Set(rooms(r).get(`bz-${r.callSid}`))).toEqual(new Set([r.callSid, alex]));
    expect(r.events.some((e) => e.type === 'conference-start' && e.data.room === `bz-${r.callSid}`)).toBe(true);
    expect(hangupStatus(r, sam)).toBe('canceled');
    expect(secondsAt(r, eventsOf(r, sam, 'hangup')[0])).toBe(5);
    expect(eventsOf(r, sam, 'answered')).toHaveLength(0);
    // The prompt the tenant heard says how to open the door while talking.
    expect(said(r, alex)[0]).toBe(MESSAGES.tenantPrompt);
    expect(MESSAGES.tenantPrompt).toContain('While you talk, press star, then 9, to open the door.');
    expect(sms(r)).toEqual([]);
    // Alex hangs up after 20 s: the visitor is told so, and the call ends.
    expect(said(r, r.callSid)).toContain(MESSAGES.talkerGoneVisitor);
    expect(hangupStatus(r, r.callSid)).toBe('completed');
    expect(doorDigits(r, r.callSid)).toEqual([]);
  });

  it("B's voicemail answers first and never wins; the others keep ringing and A, picking up later, still can", async () => {
    h = await startBuzzer({ ringTimeout: 45 });
    h.twin.engine.phones.set(SAM, { behaviour: 'voicemail' }); // answers at 20 s, presses nothing
    h.twin.engine.phones.set(ALEX, { answerAfter: 25, press: [{ digits: '1', at: 3 }], hangupAfter: 30 });
    const r = await h.buzz();
    const [alex] = callTo(r, ALEX);
    const [sam] = callTo(r, SAM);
    const samAnswered = eventsOf(r, sam, 'answered')[0];
    expect(samAnswered?.data.voicemail).toBe(true);
    expect(secondsAt(r, samAnswered)).toBe(20);
    // The voicemail heard the menu, pressed nothing, and was screened out: it never joins the room.
    expect(eventsOf(r, sam, 'gather').length).toBeGreaterThan(0);
    expect(eventsOf(r, sam, 'conference-join')).toHaveLength(0);
    expect(new Set(rooms(r).get(`bz-${r.callSid}`))).toEqual(new Set([r.callSid, alex]));
    expect(eventsOf(r, alex, 'answered')).toHaveLength(1);
    expect(secondsAt(r, eventsOf(r, alex, 'answered')[0])).toBe(25);
  });

  it('under the other reading (a pick-up hangs up the other phones), a voicemail costs time but not the buzz', async () => {
    h = await startBuzzer({ ringTimeout: 60 });
    h.twin.engine.readings.screenedDial = 'others-hung-up-on-pickup';
    h.twin.engine.phones.set(SAM, { behaviour: 'voicemail', answerAfter: 8 });
    h.twin.engine.phones.set(ALEX, { answerAfter: 10, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    const r = await h.buzz();
    const [first, again] = callTo(r, ALEX);
    // Sam's voicemail picked up at 8 s and Twilio stopped Alex's phone; the voicemail screened itself out.
    expect(eventsOf(r, first, 'hangup')[0]?.data).toMatchObject({ status: 'canceled', by: 'another leg picked up' });
    expect(secondsAt(r, eventsOf(r, first, 'hangup')[0])).toBe(8);
    // The <Dial> ended with ring time left: Alex is rung again, answers and talks to the visitor.
    expect(h.logs.find((l) => l.event === 'buzz.ringing-again')).toMatchObject({ tenants: ['Alex'] });
    expect(again).toBeDefined();
    expect(new Set(rooms(r).get(`bz-${r.callSid}`))).toEqual(new Set([r.callSid, again]));
    expect(eventsOf(r, callTo(r, SAM)[0], 'conference-join')).toHaveLength(0);
    expect(sms(r)).toEqual([]);
  });

  it('a tenant presses 9: the door digits are played on the enterphone leg, the others are cancelled, texts go out', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '9', at: 2 }] });
    h.twin.engine.phones.set(SAM, { answerAfter: 12 });
    const r = await h.buzz();
    const visitor = r.callSid;
    const [alex] = callTo(r, ALEX);
    const [sam] = callTo(r, SAM);
    const digits = doorDigits(r, visitor);
    expect(digits.map((e) => e.data.digits)).toEqual(['ww9']);
    expect(said(r, visitor)).toContain(MESSAGES.doorOpenedVisitor);
    expect(hangupStatus(r, visitor)).toBe('completed');
    // The tenant who opened hears it being done, then that it was, and never joins a room.
    expect(said(r, alex)).toEqual([MESSAGES.tenantPrompt, MESSAGES.opening, MESSAGES.doorOpenedTenant]);
    expect(eventsOf(r, alex, 'conference-join')).toHaveLength(0);
    expect(hangupStatus(r, sam)).toBe('canceled');
    expect(sms(r)).toEqual([{ to: SAM, body: 'Front door opened at 14:02 by Alex.' }]);
    expect(h.logs.filter((l) => l.event === 'buzz.opened')).toMatchObject([{ tenant: 'Alex' }]);
    // The door opened after Alex pressed 9, not before.
    const pressed = eventsOf(r, alex, 'digits-sent')[0];
    expect(secondsAt(r, digits[0])).toBeGreaterThanOrEqual(secondsAt(r, pressed));
  });

  it('nobody answers within the ring timeout: the visitor hears a message, the tenants get "missed buzz at 14:02"', async () => {
    h = await startBuzzer({ ringTimeout: 30 });
    h.twin.engine.phones.set(ALEX, { behaviour: 'no-answer' });
    h.twin.engine.phones.set(SAM, { behaviour: 'busy' });
    const r = await h.buzz();
    const visitor = r.callSid;
    const message = eventsOf(r, visitor, 'say').find((e) => e.data.text === 'Nobody is answering. Please try again later. Goodbye.');
    // The <Dial>'s own timeout ends the ringing: no REST request is needed to tell the visitor.
    expect(secondsAt(r, message)).toBe(30);
    expect(hangupStatus(r, visitor)).toBe('completed');
    expect(hangupStatus(r, callTo(r, SAM)[0])).toBe('busy');
    expect(hangupStatus(r, callTo(r, ALEX)[0])).toBe('no-answer');
    expect(sms(r).sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { to: ALEX, body: 'Missed buzz at 14:02: nobody answered the front door.' },
      { to: SAM, body: 'Missed buzz at 14:02: nobody answered the front door.' },
    ]);
  });

  it('nobody answers, with a fallback number: the visitor is forwarded there', async () => {
    const FALLBACK = '+15557770000';
    h = await startBuzzer({ ringTimeout: 20, fallbackNumber: FALLBACK });
    h.twin.engine.phones.set(ALEX, { behaviour: 'no-answer' });
    h.twin.engine.phones.set(SAM, { behaviour: 'no-answer' });
    h.twin.engine.phones.set(FALLBACK, { answerAfter: 2, hangupAfter: 10 });
    const r = await h.buzz();
    const dial = eventsOf(r, r.callSid, 'dial').find((e) => Array.isArray(e.data.targets) && e.data.targets.includes(FALLBACK));
    expect(dial?.data.targets).toEqual([FALLBACK]);
    expect(secondsAt(r, dial)).toBe(20);
    expect(eventsOf(r, callTo(r, FALLBACK)[0], 'answered')).toHaveLength(1);
    expect(sms(r)).toHaveLength(2);
  });

  it('the visitor hangs up early: every tenant leg is cancelled', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 15 });
    h.twin.engine.phones.set(SAM, { answerAfter: 15 });
    const r = await h.buzz({ hangupAfter: 5 });
    for (const leg of [...callTo(r, ALEX), ...callTo(r, SAM)]) {
      expect(hangupStatus(r, leg)).toBe('canceled');
      expect(secondsAt(r, eventsOf(r, leg, 'hangup')[0])).toBe(5);
    }
    expect(h.logs.some((l) => l.event === 'buzz.abandoned')).toBe(true);
    expect(sms(r).map((m) => m.body)).toEqual(['Missed buzz at 14:02: the visitor hung up.', 'Missed buzz at 14:02: the visitor hung up.']);
  });

  it('two buzzes at once never mix: each visitor gets its own room and its own tenant calls', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    h.twin.engine.phones.set(SAM, { answerAfter: 10 });
    const mark = h.twin.engine.transcript.events.length;
    const first = h.twin.engine.startCall({ from: ENTERPHONE, to: BUZZER });
    const second = h.twin.engine.startCall({ from: ENTERPHONE, to: BUZZER });
    await h.twin.engine.settle();
    const r = h.twin.engine.result(first.json.sid, h.twin.engine.transcript.since(mark));
    const alexLegs = callTo(r, ALEX);
    const samLegs = callTo(r, SAM);
    expect(alexLegs).toHaveLength(2);
    expect(samLegs).toHaveLength(2);
    const byRoom = rooms(r);
    const a = byRoom.get(`bz-${first.json.sid}`)!;
    const b = byRoom.get(`bz-${second.json.sid}`)!;
    expect(a).toContain(first.json.sid);
    expect(b).toContain(second.json.sid);
    // Each room holds its own visitor and one of Alex's two legs, never the other buzz's.
    expect(new Set([...a, ...b])).toEqual(new Set([first.json.sid, second.json.sid, ...alexLegs]));
    for (const sid of alexLegs) expect(r.calls.find((c) => c.sid === sid)).toBeDefined();
    expect(a.filter((sid) => alexLegs.includes(sid))).toHaveLength(1);
    expect(b.filter((sid) => alexLegs.includes(sid))).toHaveLength(1);
    for (const leg of samLegs) expect(hangupStatus(r, leg)).toBe('canceled');
    expect(h.agent.buzzes.size).toBe(2);
  });

  it('a call from any number but the enterphone is turned away and costs no outbound call', async () => {
    h = await startBuzzer();
    h.twin.log.clear();
    const r = await h.buzz({}, '+15550009999');
    expect(r.calls).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'say')[0]?.data.text).toBe('Sorry, this number only takes calls from the front door. Goodbye.');
    expect(h.twin.log.all().filter((q) => q.method === 'POST')).toEqual([]);
    // The caller's number is masked in the log: the last four digits tell callers apart.
    expect(h.logs.find((l) => l.event === 'buzz.rejected')).toMatchObject({ from: '+*******9999' });
    expect(JSON.stringify(h.logs)).not.toContain('+15550009999');
  });
});

describe('signatures through the twin', () => {
  it('a webhook signed with another account\'s token is refused (403): the caller hears an error, nobody is called', async () => {
    h = await startBuzzer({ authToken: 'f'.repeat(32) });
    const r = await h.buzz();
    expect(r.calls).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'webhook')[0]?.data.status).toBe(403);
    expect(eventsOf(r, r.callSid, 'error').map((e) => e.data.code)).toContain(11200);
    expect(h.logs.find((l) => l.event === 'request.forbidden')).toMatchObject({ reason: 'invalid signature' });
  });
});

describe('Hue', () => {
  it('flashes the lights on a buzz, alongside calling the tenants', async () => {
    const { startFakeHueBridge } = await import('../helpers/fake-hue-bridge.js');
    const { createNodeHueBridge } = await import('../../src/hue/index.js');
    const bridge = await startFakeHueBridge({ users: ['buzzeruser'], linkPressed: false });
    try {
      // The flash's wall-clock limit (2.5 s by default) is not what this checks: only a hang fails it.
      h = await startBuzzer({ hue: createNodeHueBridge({ address: bridge.url, username: 'buzzeruser', flashTimeoutMs: 120_000 }) });
      h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
      const r = await h.buzz();
      await h.agent.idle();
      expect(bridge.calls.some((c) => c.method === 'PUT' && c.path === '/api/buzzeruser/groups/0/action')).toBe(true);
      expect(secondsAt(r, eventsOf(r, callTo(r, ALEX)[0], 'ringing')[0])).toBe(0);
      expect(h.logs.some((l) => l.event === 'hue.flashed')).toBe(true);
    } finally {
      await h?.close();
      h = undefined;
      await bridge.close();
    }
  });

  it.each(['refusing connections', 'hung'] as const)('bridge %s: the tenants are still rung at once, the buzz goes on', async (mode) => {
    const { closedPort, startFakeHueBridge } = await import('../helpers/fake-hue-bridge.js');
    const { createNodeHueBridge } = await import('../../src/hue/index.js');
    const silent = mode === 'hung' ? await startFakeHueBridge({ silent: true, users: ['buzzeruser'] }) : undefined;
    const address = silent ? silent.url : `http://127.0.0.1:${await closedPort()}`;
    try {
      h = await startBuzzer({ hue: createNodeHueBridge({ address, username: 'buzzeruser', flashTimeoutMs: 300 }) });
      h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
      h.twin.engine.phones.set(SAM, { answerAfter: 10 });
      const r = await h.buzz();
      const [alex] = callTo(r, ALEX);
      expect(secondsAt(r, eventsOf(r, alex, 'ringing')[0])).toBe(0);
      expect(secondsAt(r, eventsOf(r, callTo(r, SAM)[0], 'ringing')[0])).toBe(0);
      expect(new Set(rooms(r).get(`bz-${r.callSid}`))).toEqual(new Set([r.callSid, alex]));
      await h.agent.idle();
      expect(h.logs.find((l) => l.event === 'hue.flash-failed')).toBeDefined();
    } finally {
      await h?.close();
      h = undefined;
      await silent?.close();
    }
  });
});
