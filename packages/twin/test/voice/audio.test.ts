// Audio is fetched when it plays: <Play> (alone, in a <Gather>, in waitUrl TwiML) and an audio
// waitUrl are GET requests signed like every webhook. A failed fetch, a non-audio answer or an
// unreachable host is an error with Twilio's code in the transcript, and the caller hears nothing
// of it: a <Play> ends the call with the application error; a failed waitUrl means the room is not
// established and the caller goes on with the TwiML after its <Dial>.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App } from './app.js';
import { deploy } from './deploy.js';
import type { TranscriptEvent } from '../../src/index.js';

const CALLER = '+15550001111';
const WAV = { type: 'audio/wav', body: 'RIFF....WAVEfmt ' };

let h: Harness;
let app: App;

async function voice(body: string) {
  app.route('/voice', twiml(body));
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: `${app.url}/voice` });
  return h.twin.engine.placeCall({ from: CALLER, to: HOME, script: { hangupAfter: 120 } });
}

const errors = (events: TranscriptEvent[]) => events.filter((e) => e.type === 'error');
const said = (events: TranscriptEvent[]) => events.filter((e) => e.type === 'say').map((e) => e.data.text);

beforeAll(async () => {
  h = await startHarness();
  app = await startApp(() => h.twin.credentials.authToken);
});
afterEach(() => {
  app.routes.clear();
  app.requests.length = 0;
});
afterAll(async () => {
  await h.twin.close();
  await app.close();
});

describe('<Play> fetches its audio', () => {
  it('GETs the URL, signed, and plays it when the answer is audio', async () => {
    app.route('/bell.wav', () => WAV);
    const r = await voice(`<Play loop="2">${app.url}/bell.wav</Play><Say>after</Say>`);
    const fetches = app.requests.filter((q) => q.path === '/bell.wav');
    expect(fetches).toHaveLength(1); // once for both loops
    expect(fetches[0]).toMatchObject({ method: 'GET', valid: true });
    expect(r.events.find((e) => e.type === 'play')?.data).toMatchObject({ url: `${app.url}/bell.wav`, status: 200, contentType: 'audio/wav' });
    expect(errors(r.events)).toEqual([]);
    expect(said(r.events)).toEqual(['after']);
  });

  it.each([
    ['answers 404', 11200, () => ({ status: 404, type: 'text/plain', body: 'no' })],
    ['answers 500', 11200, () => ({ status: 500, type: 'audio/wav', body: '' })],
    ['is not audio (text/html)', 13420, () => ({ type: 'text/html', body: '<html></html>' })],
    ['is audio Twilio does not list (audio/ogg)', 13420, () => ({ type: 'audio/ogg', body: 'OggS' })],
    ['has no Content-Type', 11200, () => ({ type: '', body: 'RIFF....WAVEfmt ' })],
    ['is an MP3 served as audio/x-wav (the 11200 page’s example)', 11200, () => ({ type: 'audio/x-wav', body: 'ID3\u0004\u0000' })],
    ['is not a WAV although served as audio/wav', 11200, () => ({ type: 'audio/wav', body: '<html>not found</html>' })],
  ])('when the URL %s: error %i, the caller hears the application error, the call ends', async (_what, code, answer) => {
    app.route('/bell.wav', answer);
    const r = await voice(`<Play>${app.url}/bell.wav</Play><Say>after</Say>`);
    const [error] = errors(r.events);
    expect(error?.data).toMatchObject({ code, media: `${app.url}/bell.wav` });
    expect(r.events.some((e) => e.type === 'play')).toBe(false);
    expect(r.events.find((e) => e.data.applicationError)).toBeDefined();
    expect(said(r.events)).not.toContain('after');
    expect(r.events.at(-1)).toMatchObject({ type: 'hangup', data: { status: 'completed', by: 'application error' } });
  });

  it('an unreachable host is 11205', async () => {
    const r = await voice('<Play>https://media.example.com/bell.mp3</Play><Say>after</Say>');
    expect(errors(r.events)[0]?.data).toMatchObject({ code: 11205, media: 'https://media.example.com/bell.mp3' });
    expect(said(r.events)).not.toContain('after');
  });

  it('inside a <Gather> a non-audio answer is 13325', async () => {
    app.route('/menu.mp3', () => ({ type: 'text/plain', body: 'menu' }));
    const r = await voice(`<Gather numDigits="1"><Play>${app.url}/menu.mp3</Play></Gather><Say>after</Say>`);
    expect(errors(r.events)[0]?.data).toMatchObject({ code: 13325 });
    expect(said(r.events)).not.toContain('after');
  });
});

describe('conference waitUrl', () => {
  const room = (waitUrl: string) =>
    `<Dial><Conference startConferenceOnEnter="false" waitUrl="${waitUrl}" waitMethod="GET">r1</Conference></Dial><Say>after the room</Say>`;

  it('plays waitUrl TwiML after fetching the audio it names', async () => {
    app.route('/wait', twiml(`<Play loop="0">${app.url}/ring.wav</Play>`));
    app.route('/ring.wav', () => WAV);
    const r = await voice(room(`${app.url}/wait`));
    expect(app.requests.map((q) => `${q.method} ${q.path} ${q.valid}`)).toEqual(expect.arrayContaining(['GET /wait true', 'GET /ring.wav true']));
    expect(errors(r.events)).toEqual([]);
    expect(r.events.find((e) => e.type === 'play' && e.data.wait)?.data.url).toBe(`${app.url}/ring.wav`);
  });

  it('a waitUrl that is itself audio is fetched once', async () => {
    app.route('/ring.wav', () => WAV);
    const r = await voice(room(`${app.url}/ring.wav`));
    expect(app.requests.filter((q) => q.path === '/ring.wav')).toHaveLength(1);
    expect(errors(r.events)).toEqual([]);
  });

  it('a waitUrl that claims to be audio but is not fails like any failed waitUrl', async () => {
    app.route('/ring.wav', () => ({ type: 'audio/wav', body: 'not a wav' }));
    const r = await voice(room(`${app.url}/ring.wav`));
    expect(errors(r.events)[0]?.data).toMatchObject({ code: 11200 });
    expect(said(r.events)).toEqual(['after the room']);
  });

  it('a failed waitUrl: the room is not established, the caller goes on with the TwiML after <Dial>', async () => {
    const r = await voice(room(`${app.url}/missing`));
    expect(errors(r.events)[0]?.data).toMatchObject({ code: 11200 });
    expect(r.events.map((e) => e.type)).toEqual(expect.arrayContaining(['conference-join', 'conference-leave']));
    // Never fully added: its participant-leave says so, and the call goes on.
    expect(r.events.find((e) => e.type === 'conference-leave')?.data).toMatchObject({ ParticipantCallStatus: 'in-progress', ReasonParticipantLeft: 'participant_add_failed' });
    expect(said(r.events)).toEqual(['after the room']);
  });

  it('waitUrl TwiML whose audio fails: the same', async () => {
    app.route('/wait', twiml(`<Play loop="0">${app.url}/ring.wav</Play>`));
    app.route('/ring.wav', () => ({ type: 'text/xml', body: '<Response/>' }));
    const r = await voice(room(`${app.url}/wait`));
    expect(errors(r.events)[0]?.data).toMatchObject({ code: 13420, media: `${app.url}/ring.wav` });
    expect(r.events.some((e) => e.type === 'conference-leave')).toBe(true);
    expect(said(r.events)).toEqual(['after the room']);
  });

  it('a Participants-API leg whose waitUrl fails is hung up', async () => {
    const conf = await h.client.conferences('r2').participants.create({
      from: HOME,
      to: '+15550004444',
      startConferenceOnEnter: false,
      waitUrl: `${app.url}/missing`,
      waitMethod: 'GET',
    });
    await h.twin.engine.settle();
    const call = await h.client.calls(conf.callSid).fetch();
    expect(call.status).toBe('completed');
    const events = h.twin.engine.transcript.events.filter((e) => e.callSid === conf.callSid);
    expect(events.find((e) => e.type === 'error')?.data).toMatchObject({ code: 11200 });
    // At once, not after the 4-hour call limit.
    expect(events.find((e) => e.type === 'hangup')?.data.duration).toBeLessThan(5);
  });
});

describe('Serverless assets as audio', () => {
  it('a protected asset plays (the fetch is signed); unsigned it is refused; a private one is not found', async () => {
    const svc = await deploy(h, {
      service: 'audio',
      assets: [
        { path: '/bell.wav', visibility: 'protected', content: 'RIFF....WAVEfmt ', contentType: 'audio/wav' },
        { path: '/secret.wav', visibility: 'private', content: 'RIFF....WAVEfmt ', contentType: 'audio/wav' },
        { path: '/notes.txt', visibility: 'public', content: 'hi', contentType: 'text/plain' },
      ],
    });
    const base = `https://${svc.domain}`;
    const ok = await voice(`<Play>${base}/bell.wav</Play><Say>after</Say>`);
    expect(errors(ok.events)).toEqual([]);
    expect(said(ok.events)).toEqual(['after']);

    const unsigned = await h.twin.engine.webhooks.send({ url: `${base}/bell.wav`, method: 'GET', params: {}, unsigned: true });
    expect(unsigned.status).toBe(400);

    const hidden = await voice(`<Play>${base}/secret.wav</Play>`);
    expect(errors(hidden.events)[0]?.data).toMatchObject({ code: 11200, status: 404 });
    const text = await voice(`<Play>${base}/notes.txt</Play>`);
    expect(errors(text.events)[0]?.data).toMatchObject({ code: 13420 });
  });
});
