// A REST call placed to one of the account's own numbers comes back in as an inbound call on that
// number, as on Twilio: the number's voice URL (or Studio flow) answers it with From = the REST
// call's From, and the REST call's own TwiML plays the far end. Keys it plays reach a <Gather> on
// the inbound side; what the inbound side says is heard by the REST call. This is how `homephone
// check` tests a real household. Through the real SDK, a real local app and the transcript.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUZZER, HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';
import type { TranscriptEvent } from '../../src/index.js';
import { APPLICATION_ERROR } from '../../src/voice/engine.js';
import { TwilioSpecs } from '../openapi.js';

const OWNER_CELL = '+15550002222';
const STRANGER = '+15550007777';

let h: Harness;
let app: App;
const specs = new TwilioSpecs();

const of = (events: TranscriptEvent[], type: string, callSid?: string) => events.filter((e) => e.type === type && (callSid === undefined || e.callSid === callSid));

async function setVoice(number: string, url: string) {
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: number });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: url });
}

/** The inbound call a REST call became on the number it called (the only inbound call to it). */
async function inboundOf(to: string) {
  const calls = (await h.client.calls.list({ to })).filter((c) => c.direction === 'inbound');
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

/** The home number's menu: press 1 to hear it repeated back. */
function menuApp() {
  app.route('/home', twiml('<Gather numDigits="1" action="/menu" timeout="5"><Say>Press 1 for the menu</Say></Gather><Say>Nothing pressed</Say>'));
  app.route('/menu', (r) => twiml(`<Say>You pressed ${r.params.Digits}</Say>`));
}

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
});
beforeEach(async () => {
  h.twin.admin.reset();
  h.twin.engine.readings.rejectedOwnNumber = 'no-answer';
});
afterEach(() => {
  app.routes.clear();
  app.requests.length = 0;
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

describe('a REST call to one of the account own numbers', () => {
  it("arrives as an inbound call on the number: its voice URL is requested with the REST call's From, a new CallSid, Direction inbound", async () => {
    menuApp();
    await setVoice(HOME, `${app.url}/home`);
    const engine = h.twin.engine;
    const mark = engine.transcript.events.length;
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="2"/><Play digits="1"/><Pause length="10"/></Response>' });
    expect(out.status).toBe('queued');
    await engine.settle();

    const first = app.requests.find((r) => r.path === '/home')!;
    expect(first.valid).toBe(true);
    expect(first.params).toMatchObject({ From: BUZZER, To: HOME, Direction: 'inbound', CallStatus: 'ringing', AccountSid: h.twin.credentials.accountSid });
    expect(first.params.CallSid).not.toBe(out.sid);
    expect(first.params.CallSid).toMatch(/^CA[0-9a-f]{32}$/);

    // Both legs are in the Calls list.
    const inbound = await inboundOf(HOME);
    expect(inbound.sid).toBe(first.params.CallSid);
    expect(inbound).toMatchObject({ from: BUZZER, to: HOME, direction: 'inbound', parentCallSid: null, status: 'completed' });
    const outbound = await h.client.calls(out.sid).fetch();
    expect(outbound).toMatchObject({ from: BUZZER, to: HOME, direction: 'outbound-api', parentCallSid: null, status: 'completed' });
    expect((await h.client.calls.list({ to: HOME })).map((c) => c.sid).sort()).toEqual([out.sid, inbound.sid].sort());

    // The REST call's <Play digits="1"> reached the inbound <Gather>.
    expect(app.requests.find((r) => r.path === '/menu')?.params).toMatchObject({ Digits: '1', CallSid: inbound.sid, From: BUZZER });
    // What the inbound app said is heard on the REST call, in order.
    const events = engine.transcript.since(mark);
    const heard = of(events, 'heard', out.sid);
    expect(heard.map((e) => e.data.say ?? e.data.keys)).toEqual(['Press 1 for the menu', 'You pressed 1']);
    expect(heard.every((e) => e.data.path === 'loopback' && e.data.fromCallSid === inbound.sid)).toBe(true);
    // The keys: played on the REST call, heard on the inbound call, taken by its <Gather>.
    expect(of(events, 'heard', inbound.sid).map((e) => e.data.keys)).toEqual(['1']);
    expect(of(events, 'digits-sent', inbound.sid)[0]!.data).toMatchObject({ digits: '1', delivered: true, fromCallSid: out.sid });

    // The REST call was answered when the inbound app answered (its first <Gather>).
    const answered = of(events, 'answered', out.sid)[0]!;
    expect(answered.atMs).toBe(of(events, 'answered', inbound.sid)[0]!.atMs);
    expect(answered.data.peerCallSid).toBe(inbound.sid);
    expect(answered.seq).toBeLessThan(heard[0]!.seq); // answered before it heard anything
    // The inbound app's TwiML ran out first ("You pressed 1"): that hangs up the REST call too.
    const hangups = of(events, 'hangup');
    expect(hangups.find((e) => e.callSid === inbound.sid)!.data).toMatchObject({ status: 'completed', by: 'end of TwiML' });
    expect(hangups.find((e) => e.callSid === out.sid)!.data).toMatchObject({ status: 'completed', by: 'the other side hung up' });
    expect(hangups.find((e) => e.callSid === out.sid)!.atMs).toBe(hangups.find((e) => e.callSid === inbound.sid)!.atMs);
  });

  it("audio the number's app plays is heard on the REST call, and so is the application error when a file is missing", async () => {
    app.route('/home', twiml(`<Play>${app.url}/hello.mp3</Play><Play>${app.url}/missing.mp3</Play><Say>never reached</Say>`));
    app.route('/hello.mp3', () => ({ type: 'audio/mpeg', body: 'ID3' }));
    await setVoice(HOME, `${app.url}/home`);
    const mark = h.twin.engine.transcript.events.length;
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="60"/></Response>' });
    await h.twin.engine.settle();
    const heard = of(h.twin.engine.transcript.since(mark), 'heard', out.sid).map((e) => e.data.play ?? e.data.say);
    expect(heard).toEqual([`${app.url}/hello.mp3`, APPLICATION_ERROR]);
    expect((await h.client.calls(out.sid).fetch()).status).toBe('completed');
  });

  it('sendDigits are played once the number answers and reach its <Gather>; a url runs on the REST call as the far end', async () => {
    menuApp();
    await setVoice(HOME, `${app.url}/home`);
    app.route('/tester', twiml('<Pause length="20"/>'));
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, url: `${app.url}/tester`, sendDigits: 'ww1' });
    await h.twin.engine.settle();
    const inbound = await inboundOf(HOME);
    expect(app.requests.find((r) => r.path === '/tester')!.params).toMatchObject({ CallSid: out.sid, Direction: 'outbound-api', From: BUZZER, To: HOME });
    expect(app.requests.find((r) => r.path === '/menu')!.params).toMatchObject({ Digits: '1', CallSid: inbound.sid });
  });

  it('the REST call hanging up ends the inbound call (completed); its own TwiML ending is a hang-up', async () => {
    app.route('/home', twiml('<Say>Hello</Say><Pause length="60"/>'));
    await setVoice(HOME, `${app.url}/home`);
    const mark = h.twin.engine.transcript.events.length;
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="4"/></Response>' });
    await h.twin.engine.settle();
    const inbound = await inboundOf(HOME);
    expect((await h.client.calls(out.sid).fetch()).status).toBe('completed');
    expect(inbound.status).toBe('completed');
    const hangups = of(h.twin.engine.transcript.since(mark), 'hangup');
    expect(hangups.find((e) => e.callSid === inbound.sid)!.data.by).toBe('the caller hung up');
    expect(Number(inbound.duration)).toBe(4);
  });

  it('a REST hang-up of the outbound call (Status=completed) ends both', async () => {
    app.route('/home', twiml('<Pause length="60"/>'));
    await setVoice(HOME, `${app.url}/home`);
    const engine = h.twin.engine;
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="60"/></Response>' });
    await engine.advance(5);
    const inbound = await inboundOf(HOME);
    expect(inbound.status).toBe('in-progress');
    await h.client.calls(out.sid).update({ status: 'completed' });
    await engine.settle();
    expect((await h.client.calls(inbound.sid).fetch()).status).toBe('completed');
  });

  it('timeLimit ends the REST call (and so the inbound one) after that many seconds', async () => {
    app.route('/home', twiml('<Pause length="600"/>'));
    await setVoice(HOME, `${app.url}/home`);
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="600"/></Response>', timeLimit: 7 });
    await h.twin.engine.settle();
    expect(await h.client.calls(out.sid).fetch()).toMatchObject({ status: 'completed', duration: '7' });
    expect((await inboundOf(HOME)).status).toBe('completed');
  });

  it('runs the Studio flow on the number when that is its voice URL', async () => {
    const flow = await h.client.studio.v2.flows.create({
      friendlyName: 'home',
      status: 'published',
      definition: {
        description: 'greets',
        initial_state: 'Trigger',
        flags: { allow_concurrent_calls: true },
        states: [
          { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall', next: 'hello' }, { event: 'incomingRequest' }], properties: { offset: { x: 0, y: 0 } } },
          { name: 'hello', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'Hello {{trigger.call.From}}', loop: 1 } },
        ],
      },
    });
    await setVoice(HOME, flow.webhookUrl);
    const mark = h.twin.engine.transcript.events.length;
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="30"/></Response>' });
    await h.twin.engine.settle();
    const heard = of(h.twin.engine.transcript.since(mark), 'heard', out.sid);
    expect(heard.map((e) => e.data.say)).toEqual([`Hello ${BUZZER}`]);
    expect((await h.client.calls(out.sid).fetch()).status).toBe('completed');
  });

  it('waits in the CPS queue like any REST call; the inbound legs ring as each leaves it', async () => {
    app.route('/home', twiml('<Say>Hi</Say>'));
    await setVoice(HOME, `${app.url}/home`);
    const engine = h.twin.engine;
    const start = engine.scheduler.clock.nowMs();
    const mark = engine.transcript.events.length;
    const a = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="5"/></Response>' });
    const b = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="5"/></Response>' });
    expect([a.queueTime, b.queueTime]).toEqual(['0', '1000']);
    await engine.settle();
    const inboundRinging = of(engine.transcript.since(mark), 'ringing').filter((e) => typeof e.data.peerCallSid === 'string');
    expect(inboundRinging.map((e) => [e.data.peerCallSid, (e.atMs - start) / 1000])).toEqual([
      [a.sid, 0],
      [b.sid, 1],
    ]);
  });
});

describe('<Reject> on the number', () => {
  it('leaves the REST call unanswered: no-answer for reason "rejected" (both legs), never in progress, nothing heard', async () => {
    app.route('/home', twiml('<Reject/>'));
    await setVoice(HOME, `${app.url}/home`);
    const mark = h.twin.engine.transcript.events.length;
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Say>never heard</Say></Response>' });
    await h.twin.engine.settle();
    const outbound = await h.client.calls(out.sid).fetch();
    expect(outbound).toMatchObject({ status: 'no-answer', startTime: null, duration: '0' });
    expect(await inboundOf(HOME)).toMatchObject({ status: 'no-answer', startTime: null });
    const events = h.twin.engine.transcript.since(mark);
    expect(of(events, 'answered')).toEqual([]);
    expect(of(events, 'say')).toEqual([]);
  });

  it('reason "busy" leaves both legs busy', async () => {
    app.route('/home', twiml('<Reject reason="busy"/>'));
    await setVoice(HOME, `${app.url}/home`);
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="3"/></Response>' });
    await h.twin.engine.settle();
    expect((await h.client.calls(out.sid).fetch()).status).toBe('busy');
    expect((await inboundOf(HOME)).status).toBe('busy');
  });

  it('under the "failed" reading (unconfirmed), a rejected call leaves the REST call failed', async () => {
    h.twin.engine.readings.rejectedOwnNumber = 'failed';
    app.route('/home', twiml('<Reject/>'));
    await setVoice(HOME, `${app.url}/home`);
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="3"/></Response>' });
    await h.twin.engine.settle();
    expect((await h.client.calls(out.sid).fetch()).status).toBe('failed');
    expect((await inboundOf(HOME)).status).toBe('no-answer');
  });

  it('any other answer, even a bare <Hangup>, answers the REST call (then ends it)', async () => {
    app.route('/home', twiml('<Hangup/>'));
    await setVoice(HOME, `${app.url}/home`);
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="3"/></Response>' });
    await h.twin.engine.settle();
    const outbound = await h.client.calls(out.sid).fetch();
    expect(outbound.status).toBe('completed');
    expect(outbound.startTime).not.toBeNull();
  });

  it('an inbound app still ringing past the REST call timeout: the REST call is no-answer, the inbound call canceled', async () => {
    // answerOnBridge keeps the inbound call ringing while it dials a phone that never answers.
    app.route('/home', twiml(`<Dial answerOnBridge="true" timeout="60"><Number>${OWNER_CELL}</Number></Dial>`));
    await setVoice(HOME, `${app.url}/home`);
    h.twin.engine.phones.set(OWNER_CELL, { behaviour: 'no-answer' });
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="3"/></Response>', timeout: 10 });
    await h.twin.engine.settle();
    expect((await h.client.calls(out.sid).fetch()).status).toBe('no-answer');
    const inbound = await inboundOf(HOME);
    expect(inbound.status).toBe('canceled');
    // The <Dial> child of the inbound call carries its parent_call_sid, and the list filters by it.
    const children = await h.client.calls.list({ parentCallSid: inbound.sid });
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ to: OWNER_CELL, from: BUZZER, direction: 'outbound-dial', parentCallSid: inbound.sid });
    // The raw list page, with the child's parent_call_sid, is what Twilio's OpenAPI declares.
    const sid = h.twin.credentials.accountSid;
    const path = `/2010-04-01/Accounts/${sid}/Calls.json`;
    const auth = Buffer.from(`${sid}:${h.twin.credentials.authToken}`).toString('base64');
    const res = await fetch(`${h.twin.url}/api${path}?ParentCallSid=${inbound.sid}`, { headers: { Authorization: `Basic ${auth}` } });
    const page = (await res.json()) as { calls: Array<{ parent_call_sid: string | null }> };
    expect(page.calls[0]!.parent_call_sid).toBe(inbound.sid);
    expect(specs.check(specs.find('api', 'GET', path)!, res.status, page)).toEqual([]);
  });
});

describe('keys between the legs travel both ways, across a <Dial> bridge too', () => {
  it("the inbound app's <Play digits> reach the REST call's <Gather>; the REST call's keys cross the inbound call's bridge to a phone that listens", async () => {
    app.route('/home', twiml(`<Play digits="ww42"/><Dial><Number>${OWNER_CELL}</Number></Dial>`));
    await setVoice(HOME, `${app.url}/home`);
    h.twin.engine.phones.set(OWNER_CELL, { answerAfter: 2, onHear: { '9': 'door-opens' }, hangupAfter: 30 });
    app.route('/tester', twiml('<Gather numDigits="2" action="/got" timeout="5"/><Pause length="5"/><Play digits="9"/><Pause length="5"/>'));
    app.route('/got', twiml('<Pause length="4"/><Play digits="9"/><Pause length="5"/>'));
    const mark = h.twin.engine.transcript.events.length;
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, url: `${app.url}/tester` });
    await h.twin.engine.settle();
    expect(app.requests.find((r) => r.path === '/got')!.params).toMatchObject({ Digits: '42', CallSid: out.sid });
    const reactions = of(h.twin.engine.transcript.since(mark), 'reaction');
    expect(reactions).toHaveLength(1);
    expect(reactions[0]!.data).toMatchObject({ reaction: 'door-opens', keys: '9', path: 'bridge' });
  });
});

describe('a <Dial> or a Participants-API leg to an own number loops back too', () => {
  it("a <Dial><Number> to the buzzer number reaches the buzzer's app; the caller's keys cross the bridge to its <Gather>", async () => {
    const CALLER = '+15550004444';
    app.route('/home', twiml(`<Dial timeout="20"><Number>${BUZZER}</Number></Dial><Say>after the dial</Say>`));
    app.route('/buzzer', twiml('<Gather numDigits="1" action="/buzzer-got" timeout="10"><Say>Buzzer here</Say></Gather>'));
    app.route('/buzzer-got', (r) => twiml(`<Say>Got ${r.params.Digits}</Say>`));
    await setVoice(HOME, `${app.url}/home`);
    await setVoice(BUZZER, `${app.url}/buzzer`);
    const result = await h.twin.engine.placeCall({ from: CALLER, to: HOME, script: { press: [{ digits: '7', at: 3 }], hangupAfter: 20 } });
    const [child] = await h.client.calls.list({ parentCallSid: result.callSid });
    expect(child).toMatchObject({ direction: 'outbound-dial', to: BUZZER, from: CALLER });
    const buzzerCall = app.requests.find((r) => r.path === '/buzzer')!;
    expect(buzzerCall.params).toMatchObject({ From: CALLER, To: BUZZER, Direction: 'inbound' });
    expect(buzzerCall.params.CallSid).not.toBe(child!.sid);
    // The caller's 7, pressed while bridged, reached the buzzer app's <Gather> through the <Dial> leg.
    expect(app.requests.find((r) => r.path === '/buzzer-got')!.params).toMatchObject({ Digits: '7', CallSid: buzzerCall.params.CallSid });
    expect(of(result.events, 'heard', child!.sid).map((e) => e.data.say)).toEqual(['Buzzer here', 'Got 7']);
  });

  it('a number whose app dials itself does not loop forever: the twin fails the sixth call in a row', async () => {
    app.route('/home', twiml(`<Dial timeout="10"><Number>${HOME}</Number></Dial>`));
    await setVoice(HOME, `${app.url}/home`);
    const out = await h.client.calls.create({ from: BUZZER, to: HOME, twiml: '<Response><Pause length="5"/></Response>' });
    const mark = h.twin.engine.transcript.events.length;
    await h.twin.engine.settle();
    const events = h.twin.engine.transcript.since(mark);
    expect(app.requests.filter((r) => r.path === '/home')).toHaveLength(5);
    const loop = events.filter((e) => e.type === 'error' && e.data.loop === true);
    expect(loop).toHaveLength(1);
    expect((await h.client.calls(loop[0]!.callSid!).fetch()).status).toBe('failed');
    expect((await h.client.calls(out.sid).fetch()).status).toBe('completed');
  });

  it('a participant added with the Participants API to the home number is answered by its app and joins the room', async () => {
    app.route('/home', twiml('<Say>Home here</Say><Pause length="10"/>'));
    await setVoice(HOME, `${app.url}/home`);
    const p = await h.client.conferences('check-room').participants.create({ from: BUZZER, to: HOME, earlyMedia: false });
    await h.twin.engine.advance(3);
    expect((await h.client.conferences(p.conferenceSid).participants(p.callSid).fetch()).status).toBe('connected');
    const inbound = await inboundOf(HOME);
    expect(inbound).toMatchObject({ from: BUZZER, status: 'in-progress' });
    await h.twin.engine.settle();
    // The home app ran out of TwiML: its call ended, so the participant's call did, and the room.
    expect((await h.client.calls(p.callSid).fetch()).status).toBe('completed');
    expect((await h.client.conferences(p.conferenceSid).fetch()).status).toBe('completed');
  });
});

describe('caller IDs: a REST call needs a From the account owns or has verified', () => {
  it('refuses an unverified From with 21210; a verified caller ID is accepted and arrives as the caller', async () => {
    app.route('/home', twiml('<Say>Hi</Say>'));
    await setVoice(HOME, `${app.url}/home`);
    const refused = (await h.client.calls.create({ from: OWNER_CELL, to: HOME, twiml: '<Response/>' }).catch((e: unknown) => e)) as Record<string, unknown>;
    expect(refused).toMatchObject({ status: 400, code: 21210 });
    expect(String(refused.message)).toContain(OWNER_CELL);
    expect(await h.client.calls.list()).toEqual([]);

    const res = await fetch(`${h.twin.url}/_twin/caller-ids`, { method: 'POST', body: JSON.stringify({ phoneNumber: OWNER_CELL, friendlyName: 'Owner' }), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(201);
    const [verified] = await h.client.outgoingCallerIds.list({ phoneNumber: OWNER_CELL });
    expect(verified).toMatchObject({ phoneNumber: OWNER_CELL, friendlyName: 'Owner', accountSid: h.twin.credentials.accountSid });
    expect(await h.client.outgoingCallerIds.list({ phoneNumber: STRANGER })).toEqual([]);

    await h.client.calls.create({ from: OWNER_CELL, to: HOME, twiml: '<Response><Pause length="3"/></Response>' });
    await h.twin.engine.settle();
    expect(app.requests.find((r) => r.path === '/home')!.params).toMatchObject({ From: OWNER_CELL, To: HOME, Direction: 'inbound' });
    // Verified is not owned: it still cannot call another number's caller ID away from the account.
    await h.client.outgoingCallerIds(verified!.sid).remove();
    expect(await h.client.calls.create({ from: OWNER_CELL, to: HOME, twiml: '<Response/>' }).catch((e: { code: number }) => e.code)).toBe(21210);
  });
});
