// Key presses travel as sound: a key pressed in a started room is heard by the other participants
// and fires no webhook; <Play digits> is heard by the far end of its call; a scripted phone with
// onHear reacts (the enterphone: "hears 9 → the door opens"). Through the real SDK, a real local
// application and the transcript, in virtual time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUZZER, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';
import type { TranscriptEvent } from '../../src/index.js';

const ENTERPHONE = '+15550009999';
const TENANT = '+15550003333';
const TENANT2 = '+15550004444';
const DOOR = { onHear: { '9': 'door-opens' } };

let h: Harness;
let app: App;

const of = (events: TranscriptEvent[], type: string, callSid?: string) => events.filter((e) => e.type === type && (callSid === undefined || e.callSid === callSid));
const secondsBetween = (a: TranscriptEvent, b: TranscriptEvent) => (b.atMs - a.atMs) / 1000;

async function setVoice(number: string, url: string) {
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: number });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: url });
}

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

/**
 * Seed 002's buzzer: the enterphone's call waits in a room hearing a ringing sound while the app
 * calls the tenant through the REST API; the tenant's answered call joins the same room and
 * starts it. Keys the tenant presses then reach the enterphone as tones.
 */
function seed002(room: string) {
  app.route('/enterphone', async () => {
    await h.client.calls.create({ to: TENANT, from: BUZZER, url: `${app.url}/tenant` });
    return twiml(`<Dial><Conference waitUrl="/ringing" waitMethod="GET" startConferenceOnEnter="false" endConferenceOnExit="true">${room}</Conference></Dial>`);
  });
  // The twin fetches the audio it plays: serve it.
  app.route('/ringing', twiml(`<Play loop="0">${app.url}/ringing.mp3</Play>`));
  app.route('/ringing.mp3', () => ({ type: 'audio/mpeg', body: 'ID3' }));
  app.route('/tenant', twiml(`<Dial><Conference endConferenceOnExit="true">${room}</Conference></Dial>`));
}

describe('keys pressed in a room travel as sound', () => {
  it("seed 002's method: the tenant presses 9 while talking, the enterphone hears it and the door opens; no webhook fires", async () => {
    seed002('seed-002');
    await setVoice(BUZZER, `${app.url}/enterphone`);
    h.twin.engine.phones.set(TENANT, { answerAfter: 2, press: [{ digits: '9', at: 5 }], hangupAfter: 8 });
    const r = await h.twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER, script: DOOR });
    const tenant = of(r.events, 'ringing').find((e) => e.text.includes(TENANT))!.callSid!;
    const press = of(r.events, 'digits-sent', tenant)[0]!;
    expect(press.data).toMatchObject({ digits: '9', delivered: false, heardBy: [r.callSid] });
    expect(press.text).toContain('heard as tones in room seed-002');
    const [opened, ...more] = of(r.events, 'reaction', r.callSid);
    expect(more).toEqual([]);
    expect(opened!.data).toMatchObject({ reaction: 'door-opens', keys: '9', path: 'conference', fromCallSid: tenant });
    expect(opened!.atMs).toBe(press.atMs);
    // Only TwiML and audio fetches reached the app: nothing carried the key.
    expect(app.requests.map((x) => x.path).sort()).toEqual(['/enterphone', '/ringing', '/ringing.mp3', '/tenant']);
    expect(app.requests.some((x) => 'Digits' in x.params)).toBe(false);
  });

  it('the same reaction event comes from <Play digits> on the enterphone call (the app opening the door), as each tone ends', async () => {
    seed002('play-door');
    await setVoice(BUZZER, `${app.url}/enterphone`);
    h.twin.engine.phones.set(TENANT, { answerAfter: 2, hangupAfter: 30 });
    const engine = h.twin.engine;
    const mark = engine.transcript.events.length;
    const visitor = engine.startCall({ from: ENTERPHONE, to: BUZZER, script: DOOR });
    engine.at(10, () => h.client.calls(visitor.json.sid).update({ twiml: '<Response><Play digits="ww9"/><Hangup/></Response>' }));
    await engine.settle();
    const events = engine.transcript.since(mark);
    const play = of(events, 'play', visitor.json.sid).find((e) => e.data.digits === 'ww9')!;
    const [opened, ...more] = of(events, 'reaction', visitor.json.sid);
    expect(more).toEqual([]);
    expect(opened!.data).toMatchObject({ reaction: 'door-opens', keys: '9', path: 'play', fromCallSid: null });
    expect(secondsBetween(play, opened!)).toBe(1.25);
  });

  it('an enterphone filed in the phone directory reacts on the calls it places', async () => {
    seed002('directory');
    await setVoice(BUZZER, `${app.url}/enterphone`);
    h.twin.engine.phones.set(ENTERPHONE, DOOR);
    h.twin.engine.phones.set(TENANT, { answerAfter: 1, press: [{ digits: '9', at: 2 }], hangupAfter: 4 });
    const r = await h.twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER });
    expect(of(r.events, 'reaction', r.callSid).map((e) => e.data.reaction)).toEqual(['door-opens']);
  });

  it('a multi-key sequence reacts once it is complete, whatever came before it', async () => {
    seed002('code');
    await setVoice(BUZZER, `${app.url}/enterphone`);
    h.twin.engine.phones.set(TENANT, { answerAfter: 1, press: [{ digits: '12', at: 1 }, { digits: '*', at: 2 }, { digits: '9', at: 3 }], hangupAfter: 5 });
    const r = await h.twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER, script: { onHear: { '*9': 'door-opens' } } });
    expect(of(r.events, 'heard', r.callSid).map((e) => e.data.keys)).toEqual(['12', '*', '9']);
    const opened = of(r.events, 'reaction', r.callSid);
    expect(opened.map((e) => e.data.keys)).toEqual(['*9']);
  });

  it('nobody hears keys pressed before the room starts, by a muted participant, or by a participant on hold', async () => {
    const engine = h.twin.engine;
    app.route('/enterphone', twiml('<Dial><Conference startConferenceOnEnter="false" endConferenceOnExit="true">quiet</Conference></Dial>'));
    await setVoice(BUZZER, `${app.url}/enterphone`);
    // The muted tenant joins at 1.2 s (the room starts: it is a starter) and presses 9 at 2.2 s;
    // the other joins at 2.2 s, is put on hold at 2.7 s and presses 9 at 4.2 s.
    engine.phones.set(TENANT, { answerAfter: 1, press: [{ digits: '9', at: 1 }] });
    engine.phones.set(TENANT2, { answerAfter: 1, press: [{ digits: '9', at: 2 }] });
    const mark = engine.transcript.events.length;
    // The enterphone itself presses 9 while it waits alone: the room has not started.
    const visitor = engine.startCall({ from: ENTERPHONE, to: BUZZER, script: { ...DOOR, press: [{ digits: '9', at: 0.5 }], hangupAfter: 10 } });
    // One after the other, so the muted tenant is first in the CPS queue (rung at 0.2 s, the other at 1.2 s).
    engine.at(0.2, async () => {
      await h.client.conferences('quiet').participants.create({ from: BUZZER, to: TENANT, muted: true });
      const p = await h.client.conferences('quiet').participants.create({ from: BUZZER, to: TENANT2 });
      // Hold is set on a participant that is in the room (the create request has no Hold).
      engine.at(2.5, () => h.client.conferences(p.conferenceSid).participants(p.callSid).update({ hold: true }));
    });
    await engine.settle();
    const events = engine.transcript.since(mark);
    const notes = of(events, 'digits-sent').map((e) => e.text);
    expect(notes).toEqual([
      expect.stringContaining('room quiet has not started'),
      expect.stringContaining('muted in room quiet'),
      expect.stringContaining('on hold in room quiet'),
    ]);
    expect(of(events, 'digits-sent').every((e) => (e.data.heardBy as string[]).length === 0)).toBe(true);
    expect(of(events, 'reaction')).toEqual([]);
    expect(of(events, 'conference-start')).toHaveLength(1);
    void visitor;
  });
});

describe('a coach', () => {
  it('is heard only by the participant it coaches: the enterphone does not hear its keys', async () => {
    const engine = h.twin.engine;
    const COACH = '+15550005555';
    app.route('/enterphone', twiml('<Dial><Conference startConferenceOnEnter="false" endConferenceOnExit="true">coached</Conference></Dial>'));
    await setVoice(BUZZER, `${app.url}/enterphone`);
    engine.phones.set(TENANT, { answerAfter: 1, hangupAfter: 10 });
    engine.phones.set(COACH, { answerAfter: 1, press: [{ digits: '9', at: 3 }], hangupAfter: 6 });
    const mark = engine.transcript.events.length;
    const visitor = engine.startCall({ from: ENTERPHONE, to: BUZZER, script: { ...DOOR, hangupAfter: 12 } });
    let tenantSid = '';
    engine.at(0.2, async () => {
      const tenant = await h.client.conferences('coached').participants.create({ from: BUZZER, to: TENANT });
      tenantSid = tenant.callSid;
      await h.client.conferences('coached').participants.create({ from: BUZZER, to: COACH, coaching: true, callSidToCoach: tenant.callSid });
    });
    await engine.settle();
    const events = engine.transcript.since(mark);
    const press = of(events, 'digits-sent')[0]!;
    expect(press.data.heardBy).toEqual([tenantSid]);
    expect(of(events, 'reaction', visitor.json.sid)).toEqual([]);
  });
});

describe('digits Twilio plays on a leg', () => {
  it('sendDigits on a <Dial><Number> leg and on a REST call reach the phone that answered, not the other side', async () => {
    const engine = h.twin.engine;
    app.route('/enterphone', twiml(`<Dial><Number sendDigits="w1">${TENANT}</Number></Dial>`));
    await setVoice(BUZZER, `${app.url}/enterphone`);
    engine.phones.set(TENANT, { answerAfter: 1, hangupAfter: 5, onHear: { '1': 'extension' } });
    engine.phones.set(TENANT2, { answerAfter: 1, hangupAfter: 5, onHear: { '2': 'extension' } });
    const mark = engine.transcript.events.length;
    const visitor = engine.startCall({ from: ENTERPHONE, to: BUZZER, script: { onHear: { '1': 'door-opens' } } });
    engine.at(0, () => h.client.calls.create({ to: TENANT2, from: BUZZER, sendDigits: '2', twiml: '<Response><Pause length="3"/></Response>' }));
    await engine.settle();
    const events = engine.transcript.since(mark);
    const reactions = of(events, 'reaction');
    expect(reactions.map((e) => [e.callSid === visitor.json.sid ? 'enterphone' : engine.state.calls.get(e.callSid!)!.json.to, e.data.reaction, e.data.path])).toEqual(
      expect.arrayContaining([
        [TENANT, 'extension', 'play'],
        [TENANT2, 'extension', 'play'],
      ]),
    );
    expect(reactions).toHaveLength(2);
  });
});

describe('keys pressed across a <Dial> bridge', () => {
  it('the other side hears them; the bridge fires no webhook', async () => {
    app.route('/enterphone', twiml(`<Dial timeout="20"><Number>${TENANT}</Number></Dial>`));
    await setVoice(BUZZER, `${app.url}/enterphone`);
    h.twin.engine.phones.set(TENANT, { answerAfter: 2, press: [{ digits: '9', at: 3 }], hangupAfter: 6 });
    const r = await h.twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER, script: DOOR });
    const tenant = of(r.events, 'ringing').find((e) => e.text.includes(TENANT))!.callSid!;
    expect(of(r.events, 'digits-sent', tenant)[0]!.text).toContain('across the <Dial> bridge');
    expect(of(r.events, 'reaction', r.callSid).map((e) => e.data)).toEqual([
      { reaction: 'door-opens', keys: '9', path: 'bridge', fromCallSid: tenant },
    ]);
    expect(app.requests.map((x) => x.path)).toEqual(['/enterphone']);
  });
});

describe('onHear in the admin API', () => {
  it('takes a script with onHear and refuses a malformed one with 400', async () => {
    const post = (body: unknown) =>
      fetch(`${h.twin.url}/_twin/phones`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post({ address: ENTERPHONE, script: { onHear: { '9': 'door-opens', '*0': 'alarm' } } });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { phones: Record<string, unknown> }).phones[ENTERPHONE]).toEqual({ onHear: { '9': 'door-opens', '*0': 'alarm' } });
    for (const onHear of [{ 'x': 'door-opens' }, { '9': '' }, { '9': 'two words' }, ['9'], {}]) {
      const bad = await post({ address: ENTERPHONE, script: { onHear } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/onHear/);
    }
  });

  it('POST /_twin/calls takes "onHear" for the caller, and its answer carries the reaction', async () => {
    app.route('/open', twiml('<Play digits="w9"/><Hangup/>'));
    await setVoice(BUZZER, `${app.url}/open`);
    const res = await fetch(`${h.twin.url}/_twin/calls`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: ENTERPHONE, to: BUZZER, onHear: { '9': 'door-opens' } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { call_sid: string; events: TranscriptEvent[]; transcript: string };
    expect(of(body.events, 'reaction', body.call_sid).map((e) => e.data.reaction)).toEqual(['door-opens']);
    expect(body.transcript).toContain('reacts to 9: door-opens');
  });
});
