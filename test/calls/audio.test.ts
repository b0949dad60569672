// The audio homephone deploys really plays: the twin fetches every <Play> and waitUrl (signed, as
// Twilio does), so the ringback a waiting caller hears must be served by the deployed build, with
// a content type Twilio plays. Deployed with the real deploy code into a twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '@homephone/twin';
import { BOB, household, type Household } from './helpers.js';

let h: Household;

beforeAll(async () => {
  h = await household({ start: '2026-11-20 15:00' });
});
afterAll(async () => {
  await h.close();
});

/** Every audio file played in the scenario: URL, the status and content type it was served with. */
const played = (events: TranscriptEvent[]) =>
  events.filter((e) => e.type === 'play' && e.data.url).map((e) => ({ url: String(e.data.url), status: e.data.status, contentType: e.data.contentType }));
const audioErrors = (events: TranscriptEvent[]) => events.filter((e) => e.type === 'error' && e.data.media);

describe('audio the deployed build plays', () => {
  it.each([
    ['a whitelisted caller waiting for the SIP phone', { to: 'home' as const, from: BOB, hangupAfter: 20 }],
    ['the SIP phone calling a whitelisted number', { to: 'phone' as const, dial: BOB, hangupAfter: 20 }],
  ])('%s hears the deployed ringback: fetched through the protected ringback.xml, served as audio/wav', async (_what, call) => {
    const r = await h.call(call);
    expect(audioErrors(r.events)).toEqual([]);
    const ringback = played(r.events);
    expect(ringback.length).toBeGreaterThan(0);
    for (const p of ringback) {
      expect(p).toEqual({ url: expect.stringMatching(/^https:\/\/[\w-]+\.twil\.io\/ringback\.wav$/), status: 200, contentType: 'audio/wav' });
    }
    // The waitUrl itself is the protected TwiML asset, fetched with a valid signature.
    const wait = r.events.find((e) => e.type === 'webhook' && String(e.data.url).endsWith('/ringback.xml'));
    expect(wait?.data.status).toBe(200);
  });

  it('the ringback TwiML is protected: anyone but Twilio (no valid signature) is refused; the audio is public', async () => {
    const get = (path: string, unsigned: boolean) => h.twin.engine.webhooks.send({ url: `https://${h.domain}${path}`, method: 'GET', params: {}, unsigned });
    // Twilio's Function Request Flow: an invalid or missing signature is rejected with HTTP 400.
    expect((await get('/ringback.xml', true)).status).toBe(400);
    expect((await get('/ringback.xml', false)).status).toBe(200);
    const wav = await get('/ringback.wav', true);
    expect(wav).toMatchObject({ status: 200, contentType: 'audio/wav' });
  });
});
