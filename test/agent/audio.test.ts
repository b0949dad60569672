// The ringback a waiting visitor hears. While the tenants ring, the visitor hears the ringing of the
// <Dial> that rings them (Twilio's own tone: nothing is fetched from the agent). A visitor who waits
// in the buzz's room for a tenant (the room's waitUrl) hears the agent's own ringback: the twin
// fetches the waitUrl (/ringback, signed) and the audio it plays (/ringback.wav) through the
// agent's public URL, as Twilio does, and both must answer with what Twilio accepts.
import { afterEach, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../../src/twilio/client.js';
import { joinRoom } from '../../src/twiml/index.js';
import { ALEX, BUZZER, startBuzzer, type BuzzerHarness } from './harness.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the visitor’s ringback', () => {
  it('while the tenants ring, it is the <Dial>\'s own: the agent serves no audio and nothing fails', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 8, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const r = await h.buzz();
    expect(r.events.filter((e) => e.type === 'error')).toEqual([]);
    const dial = r.events.find((e) => e.callSid === r.callSid && e.type === 'dial');
    expect(dial?.data.answerOnBridge).toBe(false);
    expect(r.events.some((e) => e.callSid === r.callSid && e.type === 'webhook' && String(e.data.url).endsWith('/ringback'))).toBe(false);
  });

  it('in the room, it is fetched from the agent through its public URL and served as audio/wav', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 1, hangupAfter: 8 });
    const { accountSid, authToken } = h.twin.credentials;
    const client = createTwilioClient({ accountSid, authToken, twinUrl: h.twin.url }, {}, { retry: { sleep: async () => {} } });
    // A leg waiting alone in a room whose waitUrl is the agent's, as the visitor's room has it.
    const twiml = joinRoom({ room: 'bz-waiting', waitUrl: 'https://buzz.example.org/ringback', waitMethod: 'POST', startConferenceOnEnter: false, beep: false });
    const mark = h.twin.engine.transcript.events.length;
    const call = await client.calls.create({ to: ALEX, from: BUZZER, twiml, timeout: 10 });
    await h.twin.engine.settle();
    const events = h.twin.engine.transcript.since(mark).filter((e) => e.callSid === call.sid);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.find((e) => e.type === 'webhook' && e.data.url === 'https://buzz.example.org/ringback')?.data.status).toBe(200);
    expect(events.filter((e) => e.type === 'play' && e.data.wait).map((e) => e.data)[0]).toEqual(
      expect.objectContaining({ url: 'https://buzz.example.org/ringback.wav', status: 200, contentType: 'audio/wav' }),
    );
  });
});
