// The voice engine through its public faces: numbers configured with the real SDK, a real local
// HTTP application answering TwiML, scripted far ends, and the transcript. All in virtual time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { BUZZER, HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';
import type { TranscriptEvent } from '../../src/index.js';

const CALLER = '+15550001111';
const CELL = '+15550002222';
const TENANT = '+15550003333';

let h: Harness;
let app: App;

async function setVoice(number: string, fields: Record<string, string>) {
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: number });
  await h.client.incomingPhoneNumbers(n!.sid).update(fields);
}

const types = (events: TranscriptEvent[]) => events.map((e) => e.type);
const find = (events: TranscriptEvent[], type: string, text?: string | RegExp) =>
  events.find((e) => e.type === type && (text === undefined || (typeof text === 'string' ? e.text.includes(text) : text.test(e.text))));
/** Virtual seconds from the first event to the one found. */
const at = (events: TranscriptEvent[], e: TranscriptEvent | undefined) => (e ? (e.atMs - events[0]!.atMs) / 1000 : NaN);

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
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

describe('webhooks', () => {
  it("sends Twilio's parameters, signed so that twilio.validateRequest accepts them", async () => {
    app.route('/voice', twiml('<Say>Hi</Say>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/voice?source=home` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const req = app.requests[0]!;
    expect(req.valid).toBe(true);
    expect(twilio.validateRequest(h.twin.credentials.authToken, req.signature, req.url, req.params)).toBe(true);
    expect(twilio.validateRequest('0'.repeat(32), req.signature, req.url, req.params)).toBe(false);
    expect(req.params).toMatchObject({
      CallSid: r.callSid,
      AccountSid: h.twin.credentials.accountSid,
      From: CALLER,
      To: HOME,
      Caller: CALLER,
      Called: HOME,
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    });
    expect(r.status).toBe('completed');
    expect(find(r.events, 'hangup')?.text).toContain('end of TwiML');
  });

  it('signs GET webhooks over the URL with its query', async () => {
    app.route('/get', twiml('<Hangup/>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/get`, voiceMethod: 'GET' });
    await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(app.requests[0]).toMatchObject({ method: 'GET', valid: true, params: expect.objectContaining({ From: CALLER }) });
  });

  it('follows the voice fallback URL when the primary fails, with ErrorCode and ErrorUrl', async () => {
    app.route('/broken', () => ({ status: 500, body: 'oops', type: 'text/plain' }));
    app.route('/fallback', twiml('<Say>Fallback speaking</Say>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/broken`, voiceFallbackUrl: `${app.url}/fallback` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(find(r.events, 'error', '11200')).toBeDefined();
    expect(find(r.events, 'say', 'Fallback speaking')).toBeDefined();
    const fb = app.requests.find((x) => x.path === '/fallback')!;
    expect(fb.params).toMatchObject({ ErrorCode: '11200', ErrorUrl: `${app.url}/broken` });
    expect(fb.valid).toBe(true);
    await setVoice(HOME, { voiceFallbackUrl: '' });
  });

  it('ends the call on broken TwiML the way Twilio does (12100, application error)', async () => {
    app.route('/bad', '<Response><Say>unclosed</Response>');
    await setVoice(HOME, { voiceUrl: `${app.url}/bad` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(find(r.events, 'error', '12100')).toBeDefined();
    expect(find(r.events, 'say', 'an application error has occurred')).toBeDefined();
    expect(types(r.events).at(-1)).toBe('hangup');
  });

  it('bounds a Redirect loop', async () => {
    app.route('/loop', twiml('<Redirect>/loop</Redirect>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/loop` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(app.requests.length).toBe(h.twin.engine.limits.maxDocsWithoutTime);
    expect(find(r.events, 'error', 'Redirect loop')).toBeDefined();
    expect(r.status).toBe('completed');
  });
});

describe('Gather', () => {
  it('sends the digits the caller pressed to the action URL', async () => {
    app.route('/menu', twiml('<Gather action="/pick" numDigits="1"><Say>Press 1 for sales</Say></Gather><Say>Bye</Say>'));
    app.route('/pick', (r) => twiml(`<Say>You chose ${r.params.Digits}</Say>`));
    await setVoice(HOME, { voiceUrl: `${app.url}/menu` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME, script: { press: [{ digits: '1', at: 1 }] } });
    expect(app.requests.find((x) => x.path === '/pick')?.params.Digits).toBe('1');
    expect(find(r.events, 'say', 'You chose 1')).toBeDefined();
    expect(find(r.events, 'say', 'Bye')).toBeUndefined();
  });

  it('falls through to the next verb on timeout, after the timeout has passed', async () => {
    app.route('/menu', twiml('<Gather action="/pick" timeout="7"><Say>Press something</Say></Gather><Say>Nothing? Goodbye</Say>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/menu` });
    const wall = Date.now();
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(app.requests.some((x) => x.path === '/pick')).toBe(false);
    const bye = find(r.events, 'say', 'Nothing? Goodbye');
    expect(at(r.events, bye)).toBeGreaterThanOrEqual(7);
    expect(Date.now() - wall).toBeLessThan(2000);
  });

  it('ends on finishOnKey and does not deliver keys pressed outside a Gather', async () => {
    app.route('/code', twiml('<Say>Wait</Say><Gather action="/code-done" finishOnKey="#"><Say>Enter your code</Say></Gather>'));
    app.route('/code-done', twiml('<Hangup/>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/code` });
    const r = await h.twin.engine.placeCall({
      from: CALLER,
      to: HOME,
      script: { press: [{ digits: '9', at: 0.5 }, { digits: '24#', at: 3 }] },
    });
    expect(app.requests.find((x) => x.path === '/code-done')?.params.Digits).toBe('24');
    expect(find(r.events, 'digits-sent', 'not delivered')?.data.digits).toBe('9');
  });
});

describe('Dial', () => {
  it('gives the action no-answer when nobody picks up within the timeout', async () => {
    h.twin.engine.phones.set(CELL, { behaviour: 'no-answer' });
    app.route('/dial', twiml(`<Dial action="/after" timeout="20" callerId="${HOME}"><Number>${CELL}</Number></Dial>`));
    app.route('/after', (r) => twiml(`<Say>Dial said ${r.params.DialCallStatus}</Say>`));
    await setVoice(HOME, { voiceUrl: `${app.url}/dial` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const after = app.requests.find((x) => x.path === '/after')!;
    expect(after.params.DialCallStatus).toBe('no-answer');
    expect(after.valid).toBe(true);
    expect(at(r.events, find(r.events, 'say', 'Dial said no-answer'))).toBeGreaterThanOrEqual(20);
    const child = r.calls.find((c) => c.direction === 'outbound-dial')!;
    expect(child).toMatchObject({ to: CELL, from: HOME });
    expect((await h.client.calls(child.sid).fetch()).status).toBe('no-answer');
  });

  it('bridges the first leg to answer and reports completed with the bridge duration', async () => {
    h.twin.engine.phones.set(CELL, { answerAfter: 4, hangupAfter: 30 });
    h.twin.engine.phones.set(TENANT, { behaviour: 'busy' });
    app.route('/dial', twiml(`<Dial action="/after"><Number>${TENANT}</Number><Number>${CELL}</Number></Dial>`));
    app.route('/after', twiml('<Hangup/>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/dial` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const after = app.requests.find((x) => x.path === '/after')!.params;
    expect(after).toMatchObject({ DialCallStatus: 'completed', DialCallDuration: '30' });
    const cellLeg = r.calls.find((c) => c.to === CELL)!;
    expect(after.DialCallSid).toBe(cellLeg.sid);
    expect(find(r.events, 'dial', `connected to ${CELL}`)).toBeDefined();
  });

  it('Number url screening connects only after the screen completes', async () => {
    // The cell answers at 2 s and presses 1 at 6 s into the screen; the caller hears ringback meanwhile.
    h.twin.engine.phones.set(CELL, { answerAfter: 2, press: [{ digits: '1', at: 6 }], hangupAfter: 20 });
    app.route('/dial', twiml(`<Dial answerOnBridge="true" action="/after"><Number url="/screen">${CELL}</Number></Dial>`));
    app.route('/screen', twiml('<Gather action="/accept" numDigits="1" timeout="10"><Say>Press 1 to accept</Say></Gather><Hangup/>'));
    app.route('/accept', (r) => (r.params.Digits === '1' ? twiml('<Say>Connecting</Say>') : twiml('<Hangup/>')));
    app.route('/after', twiml('<Hangup/>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/dial` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    const connected = find(r.events, 'dial', `connected to ${CELL}`);
    const accepted = find(r.events, 'say', 'Connecting');
    expect(connected).toBeDefined();
    expect(at(r.events, connected)).toBeGreaterThanOrEqual(at(r.events, accepted));
    expect(at(r.events, connected)).toBeGreaterThanOrEqual(8);
    // answerOnBridge: the caller's call is answered only at the bridge.
    const answered = r.events.find((e) => e.callSid === r.callSid && e.type === 'answered');
    expect(at(r.events, answered)).toBe(at(r.events, connected));
    expect(app.requests.find((x) => x.path === '/after')?.params.DialCallStatus).toBe('completed');
  });

  it('a screen that hangs up never connects (voicemail cannot accept)', async () => {
    h.twin.engine.phones.set(CELL, { behaviour: 'voicemail' });
    app.route('/dial', twiml(`<Dial action="/after" timeout="30"><Number url="/screen">${CELL}</Number></Dial>`));
    app.route('/screen', twiml('<Gather action="/accept" numDigits="1" timeout="5"><Say>Press 1</Say></Gather><Hangup/>'));
    app.route('/after', twiml('<Say>Nobody</Say>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/dial` });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(find(r.events, 'dial', 'connected to')).toBeUndefined();
    expect(app.requests.find((x) => x.path === '/after')?.params.DialCallStatus).toBe('no-answer');
  });

  it('a SIP user that is not registered fails the dial with 32009', async () => {
    const domain = await h.client.sip.domains.create({ domainName: 'dial-test.sip.twilio.com', sipRegistration: true });
    const list = await h.client.sip.credentialLists.create({ friendlyName: 'phones' });
    await h.client.sip.credentialLists(list.sid).credentials.create({ username: 'desk', password: 'Secret-Password-1' });
    await h.client.sip.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: list.sid });
    app.route('/dial', twiml('<Dial action="/after"><Sip>sip:desk@dial-test.sip.twilio.com</Sip></Dial>'));
    app.route('/after', twiml('<Hangup/>'));
    await setVoice(HOME, { voiceUrl: `${app.url}/dial` });

    const ok = await h.twin.engine.placeCall({ from: CALLER, to: HOME, script: { hangupAfter: 10 } });
    expect(find(ok.events, 'dial', 'connected to sip:desk@dial-test.sip.twilio.com')).toBeDefined();

    h.twin.engine.phones.set('sip:desk@dial-test.sip.twilio.com', { registered: false });
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(find(r.events, 'error', '32009')).toBeDefined();
    expect(app.requests.filter((x) => x.path === '/after').at(-1)?.params.DialCallStatus).toBe('failed');
  });
});

describe('calls from a registered SIP device', () => {
  it('post the domain voice URL with the SIP parameters', async () => {
    const domain = await h.client.sip.domains.create({ domainName: 'out-test.sip.twilio.com', voiceUrl: `${app.url}/out` });
    // The domain accepts the INVITE only from a user in a list mapped under Auth/Calls.
    const list = await h.client.sip.credentialLists.create({ friendlyName: 'out-test' });
    await h.client.sip.credentialLists(list.sid).credentials.create({ username: 'desk', password: 'Out-Test-Pass-123' });
    await h.client.sip.domains(domain.sid).auth.calls.credentialListMappings.create({ credentialListSid: list.sid });
    app.route('/out', twiml(`<Dial callerId="${HOME}"><Number>+15551234567</Number></Dial>`));
    h.twin.engine.phones.set('+15551234567', { hangupAfter: 5 });
    const r = await h.twin.engine.placeCall({ from: 'sip:desk@out-test.sip.twilio.com', to: '+15551234567' });
    expect(app.requests[0]!.params).toMatchObject({
      From: 'sip:desk@out-test.sip.twilio.com',
      To: 'sip:+15551234567@out-test.sip.twilio.com',
      SipDomain: 'out-test.sip.twilio.com',
      SipDomainSid: domain.sid,
      SipUsername: 'desk',
    });
    expect(app.requests[0]!.valid).toBe(true);
    expect(find(r.events, 'dial', 'connected to +15551234567')).toBeDefined();
  });
});

describe('REST calls and conferences', () => {
  it('rings REST-created calls and posts signed status callbacks in order', async () => {
    app.route('/status', '');
    app.route('/tenant', twiml('<Say>Someone is at the door</Say>'));
    h.twin.engine.phones.set(TENANT, { answerAfter: 2 });
    const call = await h.client.calls.create({
      to: TENANT,
      from: BUZZER,
      url: `${app.url}/tenant`,
      statusCallback: `${app.url}/status`,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    await h.twin.engine.settle();
    const statuses = app.requests.filter((x) => x.path === '/status');
    expect(statuses.map((x) => x.params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(statuses.every((x) => x.valid && x.params.CallSid === call.sid)).toBe(true);
    expect((await h.client.calls(call.sid).fetch()).status).toBe('completed');
  });

  it('a room waits (hearing waitUrl) until a starter joins, and ends when its end-on-exit participant leaves', async () => {
    app.route('/visitor', twiml(
      '<Dial><Conference waitUrl="/ring" waitMethod="GET" startConferenceOnEnter="false" endConferenceOnExit="true" statusCallback="/conf" statusCallbackEvent="start end join leave">door-1</Conference></Dial>',
    ));
    app.route('/ring', twiml(`<Play loop="0">${app.url}/ringback.mp3</Play>`));
    app.route('/ringback.mp3', () => ({ type: 'audio/mpeg', body: 'ID3' }));
    app.route('/conf', '');
    await setVoice(BUZZER, { voiceUrl: `${app.url}/visitor` });
    // The tenant joins at 5 s (answers after 5) and stays; the visitor hangs up at 40 s.
    h.twin.engine.phones.set(TENANT, { answerAfter: 5 });
    const engine = h.twin.engine;
    const mark = engine.transcript.events.length;
    const visitor = engine.startCall({ from: CALLER, to: BUZZER, script: { hangupAfter: 40 } });
    engine.at(1, () => h.client.conferences('door-1').participants.create({ from: BUZZER, to: TENANT, label: 'tenant' }));
    await engine.advance(3);
    const [room] = await h.client.conferences.list({ friendlyName: 'door-1' });
    expect(room!.status).toBe('init');
    await engine.settle();
    const events = engine.transcript.since(mark);
    const started = find(events, 'conference-start');
    expect(at(events, started)).toBeGreaterThanOrEqual(6);
    const ringing = events.find((e) => e.type === 'play' && e.callSid === visitor.json.sid)!;
    expect(ringing.text).toContain('ringback.mp3');
    expect(at(events, ringing)).toBeLessThan(at(events, started));
    const ended = find(events, 'conference-end')!;
    expect(ended.data.reason).toBe('participant-with-end-conference-on-exit-left');
    const tenantLeg = events.find((e) => e.type === 'ringing' && e.text.includes(TENANT))!.callSid!;
    expect((await h.client.calls(tenantLeg).fetch()).status).toBe('completed');
    expect((await h.client.conferences(room!.sid).fetch()).status).toBe('completed');
    const confEvents = app.requests.filter((x) => x.path === '/conf').map((x) => x.params.StatusCallbackEvent);
    expect(confEvents).toEqual(['participant-join', 'participant-join', 'conference-start', 'participant-leave', 'participant-leave', 'conference-end']);
    expect(app.requests.filter((x) => x.path === '/conf').every((x) => x.valid)).toBe(true);
  });

  it('keys a muted participant presses reach nobody; a REST update with <Play digits> takes the call out of the room', async () => {
    app.route('/visitor', twiml('<Dial><Conference endConferenceOnExit="true">door-2</Conference></Dial>'));
    await setVoice(BUZZER, { voiceUrl: `${app.url}/visitor` });
    h.twin.engine.phones.set(TENANT, { answerAfter: 1, press: [{ digits: '9', at: 2 }] });
    const engine = h.twin.engine;
    const mark = engine.transcript.events.length;
    const visitor = engine.startCall({ from: CALLER, to: BUZZER });
    engine.at(1, () => h.client.conferences('door-2').participants.create({ from: BUZZER, to: TENANT, muted: true }));
    engine.at(10, () => h.client.calls(visitor.json.sid).update({ twiml: '<Response><Play digits="ww9"/></Response>' }));
    await engine.settle();
    const events = engine.transcript.since(mark);
    expect(find(events, 'digits-sent', 'not delivered: in a conference')).toBeDefined();
    expect(find(events, 'conference-join', 'muted')).toBeDefined();
    const play = events.find((e) => e.type === 'play' && e.callSid === visitor.json.sid && e.data.digits === 'ww9');
    expect(at(events, play)).toBeGreaterThanOrEqual(10);
    expect(find(events, 'conference-end')).toBeDefined();
    expect((await h.client.calls(visitor.json.sid).fetch()).status).toBe('completed');
  });

  it('holds REST-created calls still until a scenario is played, and never calls the internet', async () => {
    const call = await h.client.calls.create({ to: TENANT, from: BUZZER, url: 'https://example.com/twiml' });
    expect((await h.client.calls(call.sid).fetch()).status).toBe('queued');
    await h.twin.engine.settle();
    const events = h.twin.engine.transcript.events.filter((e) => e.callSid === call.sid);
    expect(events.find((e) => e.type === 'error' && e.data.code === 11205)?.text).toContain('not a local address');
    expect((await h.client.calls(call.sid).fetch()).status).toBe('completed');
  });

  it('a 60-second scenario takes milliseconds of wall time', async () => {
    app.route('/long', twiml(`<Pause length="30"/><Play loop="6">${app.url}/x.mp3</Play>`));
    app.route('/x.mp3', () => ({ type: 'audio/mpeg', body: 'ID3' }));
    await setVoice(HOME, { voiceUrl: `${app.url}/long` });
    const wall = Date.now();
    const r = await h.twin.engine.placeCall({ from: CALLER, to: HOME });
    expect(at(r.events, r.events.at(-1))).toBeGreaterThanOrEqual(60);
    expect(Date.now() - wall).toBeLessThan(1000);
  });
});
