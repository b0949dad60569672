// <Dial> with several screened <Number url> legs, and a <Dial> around a <Conference> with
// hangupOnStar and timeLimit: what the buzzer relies on, through real webhooks and the transcript.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';
import type { TranscriptEvent } from '../../src/index.js';

const CALLER = '+15550001111';
const A = '+15550002222';
const B = '+15550003333';

let h: Harness;
let app: App;

const at = (events: TranscriptEvent[], e: TranscriptEvent | undefined) => (e ? (e.atMs - events[0]!.atMs) / 1000 : NaN);
const of = (events: TranscriptEvent[], sid: string | undefined, type: string) => events.filter((e) => e.callSid === sid && e.type === type);

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: `${app.url}/voice` });
});
afterEach(() => {
  app.routes.clear();
  app.requests.length = 0;
  h.twin.engine.phones.clear();
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

const SCREEN = twiml('<Gather action="/accept" numDigits="1" timeout="5"><Say>Press 1</Say></Gather><Hangup/>');

describe('<Dial> with screened <Number url> legs', () => {
  it('one leg screening (a voicemail) does not stop the others ringing; a later answer that accepts wins', async () => {
    h.twin.engine.phones.set(A, { behaviour: 'voicemail', answerAfter: 4 });
    h.twin.engine.phones.set(B, { answerAfter: 12, press: [{ digits: '1', at: 2 }], hangupAfter: 10 });
    app.route('/voice', twiml(`<Dial action="/after" timeout="30"><Number url="/screen">${A}</Number><Number url="/screen">${B}</Number></Dial>`));
    app.route('/screen', SCREEN);
    app.route('/accept', twiml(''));
    app.route('/after', twiml('<Hangup/>'));
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const a = r.calls.find((c) => c.to === A)!.sid;
    const b = r.calls.find((c) => c.to === B)!.sid;
    expect(at(r.events, of(r.events, a, 'answered')[0])).toBe(4);
    // A's screen ends with <Hangup> (nothing pressed): A is out, B is still ringing and answers at 12 s.
    expect(of(r.events, a, 'hangup')[0]?.data.by).toBe('<Hangup>');
    expect(at(r.events, of(r.events, b, 'answered')[0])).toBe(12);
    expect(of(r.events, r.callSid, 'dial').some((e) => e.text === `connected to ${B}`)).toBe(true);
  });

  it("the other reading, switched on: the first leg to pick up hangs up the legs still ringing", async () => {
    h.twin.engine.readings.screenedDial = 'others-hung-up-on-pickup';
    try {
      h.twin.engine.phones.set(A, { behaviour: 'voicemail', answerAfter: 4 });
      h.twin.engine.phones.set(B, { answerAfter: 12, press: [{ digits: '1', at: 2 }], hangupAfter: 10 });
      app.route('/voice', twiml(`<Dial action="/after" timeout="30"><Number url="/screen">${A}</Number><Number url="/screen">${B}</Number></Dial>`));
      app.route('/screen', SCREEN);
      app.route('/after', twiml('<Hangup/>'));
      const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
      const b = r.calls.find((c) => c.to === B)!.sid;
      expect(of(r.events, b, 'hangup')[0]?.data).toMatchObject({ status: 'canceled', by: 'another leg picked up' });
      expect(at(r.events, of(r.events, b, 'hangup')[0])).toBe(4);
      expect(app.requests.find((q) => q.path === '/after')?.params.DialCallStatus).toBe('no-answer');
    } finally {
      h.twin.engine.readings.screenedDial = 'others-ring-on';
    }
  });

  it('the first leg to finish its screen is connected; a leg still screening is hung up then', async () => {
    h.twin.engine.phones.set(A, { answerAfter: 2, press: [{ digits: '1', at: 1 }], hangupAfter: 10 });
    h.twin.engine.phones.set(B, { answerAfter: 2 });
    app.route('/voice', twiml(`<Dial action="/after"><Number url="/screen">${A}</Number><Number url="/screen">${B}</Number></Dial>`));
    app.route('/screen', SCREEN);
    app.route('/accept', twiml(''));
    app.route('/after', twiml('<Hangup/>'));
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const b = r.calls.find((c) => c.to === B)!.sid;
    expect(of(r.events, b, 'hangup')[0]?.data).toMatchObject({ status: 'completed', by: 'another leg was connected' });
    expect(at(r.events, of(r.events, b, 'hangup')[0])).toBe(3);
  });

  it('a screening document with any verb but Say, Play, Gather and Hangup fails that leg: it is never connected', async () => {
    h.twin.engine.phones.set(A, { answerAfter: 2 });
    app.route('/voice', twiml(`<Dial action="/after"><Number url="/screen">${A}</Number></Dial>`));
    app.route('/screen', twiml('<Pause length="1"/><Dial><Conference>room</Conference></Dial>'));
    app.route('/after', twiml('<Hangup/>'));
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const a = r.calls.find((c) => c.to === A)!.sid;
    expect(of(r.events, a, 'error')[0]?.text).toMatch(/^12200 <Pause> is not allowed in a <Number url> screening document/);
    app.route('/screen', twiml('<Dial><Conference>room</Conference></Dial>'));
    const d = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const a2 = d.calls.find((c) => c.to === A)!.sid;
    expect(of(d.events, a2, 'error')[0]?.data.code).toBe(13201);
    expect(of(r.events, r.callSid, 'dial').some((e) => e.text.startsWith('connected'))).toBe(false);
    expect(app.requests.find((q) => q.path === '/after')?.params.DialCallStatus).toBe('no-answer');
  });

  it('new REST instructions for the connected leg end the bridge: the caller goes on to the <Dial> action', async () => {
    h.twin.engine.phones.set(A, { answerAfter: 2, hangupAfter: 30 });
    app.route('/voice', twiml(`<Dial action="/after"><Number url="/screen">${A}</Number></Dial>`));
    app.route('/screen', twiml('<Say>Hello</Say>'));
    app.route('/after', twiml('<Say>After the dial</Say><Hangup/>'));
    const mark = h.twin.engine.transcript.events.length;
    const call = h.twin.engine.startCall({ from: CALLER, to: HOME });
    h.twin.engine.at(10, async () => {
      const leg = [...h.twin.state.calls.values()].find((c) => c.json.to === A && c.json.parent_call_sid === call.json.sid)!;
      await h.client.calls(leg.json.sid).update({ twiml: '<Response><Say>Moved</Say></Response>' });
    });
    await h.twin.engine.settle();
    const r = h.twin.engine.result(call.json.sid, h.twin.engine.transcript.since(mark));
    const a = r.calls.find((c) => c.to === A)!.sid;
    expect(app.requests.find((q) => q.path === '/after')?.params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: a });
    expect(of(r.events, a, 'say').map((e) => e.data.text)).toEqual(['Hello', 'Moved']);
    expect(of(r.events, r.callSid, 'say').map((e) => e.data.text)).toEqual(['After the dial']);
  });
});

describe('<Dial> around a <Conference>', () => {
  it('hangupOnStar: * takes the caller out of the room to the action; other keys stay in the room', async () => {
    app.route('/voice', twiml('<Dial hangupOnStar="true" action="/star"><Conference>star-room</Conference></Dial>'));
    app.route('/star', twiml('<Say>Menu</Say><Hangup/>'));
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME, script: { press: [{ digits: '5', at: 3 }, { digits: '*', at: 6 }] } });
    const keys = of(r.events, r.callSid, 'digits-sent');
    expect(keys.map((e) => e.data.hangupOnStar ?? false)).toEqual([false, true]);
    expect(at(r.events, of(r.events, r.callSid, 'conference-leave')[0])).toBe(6);
    expect(app.requests.find((q) => q.path === '/star')?.params.CallStatus).toBe('in-progress');
    expect(of(r.events, r.callSid, 'say').map((e) => e.data.text)).toEqual(['Menu']);
  });

  it('a REST update moving the caller on still requests the <Dial> action, and its answer is ignored', async () => {
    app.route('/voice', twiml('<Dial action="/after"><Conference>moved-room</Conference></Dial>'));
    app.route('/after', twiml('<Say>Never heard</Say>'));
    const mark = h.twin.engine.transcript.events.length;
    const call = h.twin.engine.startCall({ from: CALLER, to: HOME });
    h.twin.engine.at(5, () => h.client.calls(call.json.sid).update({ twiml: '<Response><Say>Moved on</Say></Response>' }));
    await h.twin.engine.settle();
    const r = h.twin.engine.result(call.json.sid, h.twin.engine.transcript.since(mark));
    expect(app.requests.filter((q) => q.path === '/after')).toHaveLength(1);
    expect(of(r.events, r.callSid, 'say').map((e) => e.data.text)).toEqual(['Moved on']);
  });

  it('timeLimit: the caller leaves the room after that many seconds and goes on to the action', async () => {
    app.route('/voice', twiml('<Dial timeLimit="40" action="/after"><Conference>limit-room</Conference></Dial>'));
    app.route('/after', twiml('<Say>Time is up</Say><Hangup/>'));
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(at(r.events, of(r.events, r.callSid, 'conference-leave')[0])).toBe(40);
    expect(of(r.events, r.callSid, 'say').map((e) => e.data.text)).toEqual(['Time is up']);
  });
});
