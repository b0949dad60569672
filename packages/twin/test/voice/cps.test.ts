// Twilio's call rate: calls created through the REST API (Calls and Participants-API legs) wait in
// the account's queue and start at its calls per second (CPS), 1 by default, each reporting its
// queue_time; inbound calls and <Dial> legs are not limited; more than 24 hours of queue is 22005.
// Through the real SDK, the admin API and the transcript, in virtual time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUZZER, HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';
import type { TranscriptEvent } from '../../src/index.js';

const TENANTS = ['+15550003001', '+15550003002', '+15550003003', '+15550003004', '+15550003005'];
const CALLER = '+15550001111';

let h: Harness;
let app: App;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(h.twin.url + path, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Seconds from `start` to the first event of `type` on each call, in the order of `sids`. */
function startsOf(events: TranscriptEvent[], sids: string[], type: string, start: number): number[] {
  return sids.map((sid) => (events.find((e) => e.callSid === sid && e.type === type)!.atMs - start) / 1000);
}

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
});
beforeEach(async () => {
  await admin('POST', '/_twin/reset');
  await admin('POST', '/_twin/account', { cps: 1 });
});
afterEach(() => {
  app.routes.clear();
  app.requests.length = 0;
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

describe('REST-created calls at the default 1 CPS', () => {
  it('are queued and start one a second, each reporting its queue_time; "initiated" is when a call leaves the queue', async () => {
    app.route('/tenant', twiml('<Say>Someone is at the door</Say>'));
    app.route('/status', '');
    for (const t of TENANTS.slice(0, 3)) h.twin.engine.phones.set(t, { answerAfter: 2, hangupAfter: 5 });
    const engine = h.twin.engine;
    const start = engine.scheduler.clock.nowMs();
    const mark = engine.transcript.events.length;
    const calls = [];
    for (const to of TENANTS.slice(0, 3)) {
      calls.push(await h.client.calls.create({ to, from: BUZZER, url: `${app.url}/tenant`, statusCallback: `${app.url}/status`, statusCallbackEvent: ['initiated', 'ringing'] }));
    }
    expect(calls.map((c) => c.queueTime)).toEqual(['0', '1000', '2000']);
    expect((await h.client.calls(calls[2]!.sid).fetch()).queueTime).toBe('2000');
    await engine.advance(1.5);
    // The third call is still waiting its turn.
    expect((await h.client.calls(calls[2]!.sid).fetch()).status).toBe('queued');
    await engine.settle();
    const events = engine.transcript.since(mark);
    const sids = calls.map((c) => c.sid);
    expect(startsOf(events, sids, 'queued', start)).toEqual([0, 0, 0]);
    expect(events.filter((e) => e.type === 'queued').map((e) => e.data.queueTimeMs)).toEqual([0, 1000, 2000]);
    expect(startsOf(events, sids, 'ringing', start)).toEqual([0, 1, 2]);
    expect(startsOf(events, sids, 'answered', start)).toEqual([2, 3, 4]);
    const initiated = app.requests.filter((x) => x.path === '/status' && x.params.CallStatus === 'initiated');
    expect(initiated.map((x) => x.params.CallSid)).toEqual(sids);
    // Timestamps have whole seconds: the calls left the queue a second apart.
    const stamps = initiated.map((x) => Date.parse(x.params.Timestamp!));
    expect(stamps.slice(1).map((t, i) => t - stamps[i]!)).toEqual([1000, 1000]);
  });

  it('Participants-API legs share the queue; queue_time is in the create response only', async () => {
    const engine = h.twin.engine;
    for (const t of TENANTS) engine.phones.set(t, { behaviour: 'no-answer' });
    const start = engine.scheduler.clock.nowMs();
    const mark = engine.transcript.events.length;
    const first = await h.client.calls.create({ to: TENANTS[0]!, from: BUZZER, twiml: '<Response><Pause length="5"/></Response>' });
    const p1 = await h.client.conferences('cps-room').participants.create({ from: BUZZER, to: TENANTS[1]!, timeout: 5 });
    const p2 = await h.client.conferences('cps-room').participants.create({ from: BUZZER, to: TENANTS[2]!, timeout: 5 });
    expect([first.queueTime, p1.queueTime, p2.queueTime]).toEqual(['0', '1000', '2000']);
    expect((await h.client.conferences(p2.conferenceSid).participants(p2.callSid).fetch()).queueTime).toBeNull();
    expect((await h.client.calls(p2.callSid).fetch()).queueTime).toBe('2000');
    await engine.settle();
    const events = engine.transcript.since(mark);
    expect(startsOf(events, [first.sid, p1.callSid, p2.callSid], 'ringing', start)).toEqual([0, 1, 2]);
  });

  it('a refused create request takes no place in the queue', async () => {
    const bad = (await h.client.conferences('refused').participants
      .create({ from: BUZZER, to: TENANTS[0]!, statusCallbackEvent: ['bogus'] })
      .catch((e: unknown) => e)) as Record<string, unknown>;
    expect(bad).toMatchObject({ status: 400, code: 21626 });
    const badCall = (await h.client.calls.create({ to: TENANTS[0]!, from: BUZZER, url: 'not a url' }).catch((e: unknown) => e)) as Record<string, unknown>;
    expect(badCall).toMatchObject({ status: 400, code: 21502 });
    const call = await h.client.calls.create({ to: TENANTS[1]!, from: BUZZER, twiml: '<Response/>' });
    expect(call.queueTime).toBe('0');
    await h.client.calls(call.sid).update({ status: 'canceled' });
  });

  it('a call cancelled while queued never rings, and keeps its place in the queue (the next call does not move up)', async () => {
    const engine = h.twin.engine;
    for (const t of TENANTS) engine.phones.set(t, { behaviour: 'no-answer' });
    const start = engine.scheduler.clock.nowMs();
    const mark = engine.transcript.events.length;
    const a = await h.client.calls.create({ to: TENANTS[0]!, from: BUZZER, twiml: '<Response/>', timeout: 5 });
    const b = await h.client.calls.create({ to: TENANTS[1]!, from: BUZZER, twiml: '<Response/>', timeout: 5 });
    const c = await h.client.calls.create({ to: TENANTS[2]!, from: BUZZER, twiml: '<Response/>', timeout: 5 });
    await h.client.calls(b.sid).update({ status: 'canceled' });
    await engine.settle();
    const events = engine.transcript.since(mark);
    expect(events.some((e) => e.callSid === b.sid && e.type === 'ringing')).toBe(false);
    expect((await h.client.calls(b.sid).fetch()).status).toBe('canceled');
    expect(startsOf(events, [a.sid, c.sid], 'ringing', start)).toEqual([0, 2]);
  });
});

describe('what CPS does not limit', () => {
  it('inbound calls and the legs of a <Dial> start at once, even behind a long REST queue', async () => {
    const engine = h.twin.engine;
    for (const t of TENANTS) engine.phones.set(t, { behaviour: 'no-answer' });
    // Five REST calls fill the next five seconds of the queue.
    for (const to of TENANTS) await h.client.calls.create({ to, from: BUZZER, twiml: '<Response/>', timeout: 5 });
    app.route('/dial', twiml(`<Dial timeout="5">${TENANTS.slice(0, 3).map((t) => `<Number>${t}</Number>`).join('')}</Dial>`));
    const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
    await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: `${app.url}/dial` });
    const r = await engine.placeCall({ from: CALLER, to: HOME });
    const start = r.events.find((e) => e.callSid === r.callSid && e.type === 'ringing')!.atMs;
    const dialLegs = r.calls.filter((c) => c.direction === 'outbound-dial');
    expect(dialLegs).toHaveLength(3);
    expect(startsOf(r.events, dialLegs.map((c) => c.sid), 'ringing', start)).toEqual([0, 0, 0]);
    expect(r.events.some((e) => e.type === 'queued' && dialLegs.some((c) => c.sid === e.callSid))).toBe(false);
  });
});

describe('the account admin API', () => {
  it('shows the CPS and the queue, takes a new CPS, and refuses a bad one', async () => {
    const before = await admin('GET', '/_twin/account');
    expect(before).toMatchObject({ status: 200, body: { account_sid: h.twin.credentials.accountSid, cps: 1, queue_time: 0, queued_until: null } });
    for (const to of TENANTS.slice(0, 2)) await h.client.calls.create({ to, from: BUZZER, twiml: '<Response/>' });
    expect((await admin('GET', '/_twin/account')).body).toMatchObject({ cps: 1, queue_time: 2000, queued_until: expect.any(String) });
    const set = await admin('POST', '/_twin/account', { cps: 5 });
    expect(set).toMatchObject({ status: 200, body: { cps: 5 } });
    // The queue drains at the old pace for calls already in it; new calls go 200 ms apart after them.
    const next = [];
    for (const to of TENANTS.slice(2, 5)) next.push((await h.client.calls.create({ to, from: BUZZER, twiml: '<Response/>' })).queueTime);
    expect(next).toEqual(['2000', '2200', '2400']);
    for (const bad of [0, -1, 1.5, 'fast', 1001, null]) {
      const res = await admin('POST', '/_twin/account', { cps: bad });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/cps/);
    }
    expect((await admin('POST', '/_twin/account', { speed: 3 })).status).toBe(400);
    // A reset empties the queue and keeps the account's CPS.
    await admin('POST', '/_twin/reset');
    expect((await admin('GET', '/_twin/account')).body).toMatchObject({ cps: 5, queue_time: 0 });
  });

  it('at a higher CPS, calls start 1/CPS apart', async () => {
    await admin('POST', '/_twin/account', { cps: 4 });
    const engine = h.twin.engine;
    for (const t of TENANTS) engine.phones.set(t, { behaviour: 'no-answer' });
    const start = engine.scheduler.clock.nowMs();
    const mark = engine.transcript.events.length;
    const calls = [];
    for (const to of TENANTS) calls.push(await h.client.calls.create({ to, from: BUZZER, twiml: '<Response/>', timeout: 5 }));
    expect(calls.map((c) => c.queueTime)).toEqual(['0', '250', '500', '750', '1000']);
    await engine.settle();
    expect(startsOf(engine.transcript.since(mark), calls.map((c) => c.sid), 'ringing', start)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('startTwin({ cps })', () => {
  it('starts the account at that CPS, and refuses a bad one', async () => {
    const { startTwin } = await import('../../src/index.js');
    const twin = await startTwin({ cps: 3 });
    try {
      expect(twin.admin.account()).toMatchObject({ cps: 3, queue_time: 0 });
    } finally {
      await twin.close();
    }
    await expect(startTwin({ cps: 0 })).rejects.toThrow(/cps/);
  });
});

describe('a full queue', () => {
  it('refuses a call that would wait more than 24 hours with 22005, and accepts one that waits exactly 24 hours', async () => {
    // Filling 24 hours of queue takes 86,400 requests at 1 CPS: start from a queue that long.
    const now = h.twin.engine.scheduler.clock.nowMs();
    h.twin.state.callQueueFreeAt = now + 24 * 3600 * 1000;
    const last = await h.client.calls.create({ to: TENANTS[0]!, from: BUZZER, twiml: '<Response/>' });
    expect(last.queueTime).toBe(String(24 * 3600 * 1000));
    const err = (await h.client.calls.create({ to: TENANTS[1]!, from: BUZZER, twiml: '<Response/>' }).catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({ status: 400, code: 22005 });
    const perr = (await h.client.conferences('full').participants.create({ from: BUZZER, to: TENANTS[2]! }).catch((e: unknown) => e)) as Record<string, unknown>;
    expect(perr).toMatchObject({ status: 400, code: 22005 });
    // Refused calls are not created.
    expect((await h.client.calls.list({ to: TENANTS[1]! })).length).toBe(0);
    await h.client.calls(last.sid).update({ status: 'canceled' });
  });
});
