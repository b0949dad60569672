// Events due at the same virtual instant happen together: their webhooks are in flight at the same
// time, as they would be on Twilio, so an application's races show in the twin. The application
// here holds each request until its twin arrives: it can answer only if both were sent before
// either was answered (a twin that settled one before starting the other never sends the second
// while the first is open, and the barrier gives up after a wall-clock guard that only catches
// that hang).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUZZER, HOME, startHarness, type Harness } from '../helpers.js';
import { startApp, twiml, type App, type AppRequest } from './app.js';

const ENTERPHONE = '+15550009999';
const TENANT = '+15550003333';
const TENANT2 = '+15550004444';
/** Only catches a twin that never sends the second request: never reached when it works. */
const HANG_GUARD_MS = 10_000;

let h: Harness;
let app: App;

async function setVoice(number: string, url: string) {
  const [n] = await h.client.incomingPhoneNumbers.list({ phoneNumber: number });
  await h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: url });
}

/** Holds requests until `size` of them are open together; records how many were open at once. */
function barrier(size: number) {
  let open = 0;
  const seen: AppRequest[] = [];
  const state = { maxOpen: 0, timedOut: false };
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return {
    state,
    seen,
    async hold(req: AppRequest): Promise<void> {
      open += 1;
      seen.push(req);
      state.maxOpen = Math.max(state.maxOpen, open);
      if (open >= size) release();
      let guard: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise<void>((resolve) => (guard = setTimeout(() => ((state.timedOut = true), resolve()), HANG_GUARD_MS)))]);
      clearTimeout(guard);
      open -= 1;
    },
  };
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

describe('simultaneous events', () => {
  it('two tenants pressing 9 at the same instant reach the app together, and the app decides the race', async () => {
    const gate = barrier(2);
    let opened: string | undefined;
    app.route('/enterphone', twiml(`<Dial><Number url="/menu">${TENANT}</Number><Number url="/menu">${TENANT2}</Number></Dial>`));
    app.route('/menu', twiml('<Gather numDigits="1" action="/pressed" timeout="10"><Say>Press 9 to open the door</Say></Gather>'));
    app.route('/pressed', async (req) => {
      await gate.hold(req);
      // The first answer decides; the other tenant learns it lost.
      if (!opened) {
        opened = req.params.CallSid;
        return twiml('<Say>The door is open</Say>');
      }
      return twiml('<Say>Someone else opened the door</Say><Hangup/>');
    });
    await setVoice(BUZZER, `${app.url}/enterphone`);
    h.twin.engine.phones.set(TENANT, { answerAfter: 2, press: [{ digits: '9', at: 1 }] });
    h.twin.engine.phones.set(TENANT2, { answerAfter: 2, press: [{ digits: '9', at: 1 }] });
    const r = await h.twin.engine.placeCall({ from: ENTERPHONE, to: BUZZER, script: { hangupAfter: 30 } });
    expect(gate.state.timedOut).toBe(false);
    expect(gate.state.maxOpen).toBe(2);
    expect(gate.seen.map((x) => x.params.Digits)).toEqual(['9', '9']);
    expect(new Set(gate.seen.map((x) => x.params.CallSid)).size).toBe(2);
    // Both presses happened at one virtual instant.
    const presses = r.events.filter((e) => e.type === 'digits-sent');
    expect(presses).toHaveLength(2);
    expect(presses[0]!.atMs).toBe(presses[1]!.atMs);
    // The winner is bridged to the enterphone, the loser hung up.
    expect(r.events.find((e) => e.type === 'dial' && e.data.DialCallSid)?.data.DialCallSid).toBe(opened);
  });

  it('a key press at the instant the ring timeout fires: both webhooks are open at the app at once', async () => {
    const gate = barrier(2);
    // The app's ring timeout, as TwiML on the visitor's call: 10 s of ringing, then /ring-timeout.
    app.route('/visitor', twiml(`<Play>${app.url}/ringing.mp3</Play><Pause length="5"/><Redirect>/ring-timeout</Redirect>`));
    app.route('/ringing.mp3', () => ({ type: 'audio/mpeg', body: 'ID3' })); // the twin fetches what it plays
    app.route('/ring-timeout', async (req) => {
      await gate.hold(req);
      return twiml('<Say>Nobody answered</Say>');
    });
    app.route('/tenant', twiml('<Gather numDigits="1" action="/pressed" timeout="30"><Say>Press 9</Say></Gather>'));
    app.route('/pressed', async (req) => {
      await gate.hold(req);
      return twiml('<Say>Too late or just in time</Say>');
    });
    await setVoice(BUZZER, `${app.url}/visitor`);
    await setVoice(HOME, `${app.url}/tenant`);
    const engine = h.twin.engine;
    const mark = engine.transcript.events.length;
    engine.startCall({ from: ENTERPHONE, to: BUZZER, script: { hangupAfter: 30 } });
    engine.startCall({ from: TENANT, to: HOME, script: { press: [{ digits: '9', at: 10 }], hangupAfter: 30 } });
    await engine.settle();
    expect(gate.state.timedOut).toBe(false);
    expect(gate.state.maxOpen).toBe(2);
    expect(gate.seen.map((x) => x.path).sort()).toEqual(['/pressed', '/ring-timeout']);
    const events = engine.transcript.since(mark);
    const press = events.find((e) => e.type === 'digits-sent')!;
    const timeout = events.find((e) => e.type === 'redirect' && e.text.includes('/ring-timeout'))!;
    expect(press.atMs).toBe(timeout.atMs);
  });
});
