// The ringback a waiting visitor hears is the agent's own: the twin fetches the waitUrl (/ringback,
// signed) and the audio it plays (/ringback.wav) through the agent's public URL, as Twilio does,
// and both must answer with what Twilio accepts, or the visitor would drop out of the room.
import { afterEach, describe, expect, it } from 'vitest';
import { ALEX, startBuzzer, type BuzzerHarness } from './harness.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the visitor’s ringback', () => {
  it('is fetched from the agent through its public URL and served as audio/wav', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 8, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const r = await h.buzz();
    const visitor = r.callSid;
    expect(r.events.filter((e) => e.type === 'error')).toEqual([]);
    const wait = r.events.find((e) => e.callSid === visitor && e.type === 'webhook' && e.data.url === 'https://buzz.example.org/ringback');
    expect(wait?.data.status).toBe(200);
    const ringback = r.events.filter((e) => e.callSid === visitor && e.type === 'play' && e.data.wait);
    expect(ringback.map((e) => e.data)).toEqual([
      expect.objectContaining({ url: 'https://buzz.example.org/ringback.wav', status: 200, contentType: 'audio/wav' }),
    ]);
    // The visitor stayed in the room until Alex joined it.
    expect(r.events.some((e) => e.callSid === visitor && e.type === 'conference-leave' && e.atMs < r.events.find((x) => x.type === 'conference-start')!.atMs)).toBe(false);
  });
});
