// Audio is fetched when it is played, as Twilio does: a signed GET of the <Play> URL (a protected
// Serverless asset demands the signature; Twilio's Play widget and <Play> can use one). The answer
// must be 2xx with one of the audio types Twilio's <Play> page lists, and the bytes must be of that
// type where a header tells; anything else is a failure with Twilio's code, recorded in the
// transcript. The caller decides what the failure does.
import type { Leg } from './leg.js';
import type { Transcript } from './transcript.js';
import type { Webhooks } from './webhooks.js';

/** What a fetch needs of the engine (no import of the engine itself: no cycle). */
export interface MediaFetcher {
  readonly webhooks: Pick<Webhooks, 'send'>;
  readonly transcript: Transcript;
}

/** The MIME types Twilio's <Play> documentation lists as supported. */
export const PLAYABLE_TYPES = [
  'audio/mpeg',
  'audio/wav',
  'audio/wave',
  'audio/x-wav',
  'audio/aiff',
  'audio/x-aifc',
  'audio/x-aiff',
  'audio/x-gsm',
  'audio/gsm',
  'audio/ulaw',
] as const;

/** Where the audio plays: the content-type code differs (13420 Play, 13325 Gather->Play). */
export type PlayContext = 'play' | 'gather' | 'wait';

export type AudioFetch = { ok: true; status: number; contentType: string } | { ok: false; code: number; message: string; status: number };

/** Marks a <Play> the engine made from a document that already was audio: it needs no second fetch. */
export const FETCHED_ATTR = 'twin:fetched';

export function isPlayable(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (PLAYABLE_TYPES as readonly string[]).includes(type);
}

/** GETs `url` for `leg` (signed), and checks the answer is audio Twilio plays. */
export async function fetchAudio(engine: MediaFetcher, leg: Leg, url: string, context: PlayContext): Promise<AudioFetch> {
  let valid = false;
  try {
    valid = ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, code: 11100, message: `invalid URL format: ${JSON.stringify(url)} is not an absolute http(s) URL`, status: 0 };
  const res = await engine.webhooks.send({ url, method: 'GET', params: {}, callSid: leg.sid });
  if (res.status === 0) return { ok: false, code: 11205, message: `HTTP connection failure fetching audio ${url}: ${res.networkError ?? 'no answer'}`, status: 0 };
  if (res.status < 200 || res.status > 299) return { ok: false, code: 11200, message: `HTTP retrieval failure: audio ${url} answered ${res.status}`, status: res.status };
  const type = res.contentType.split(';')[0]!.trim().toLowerCase();
  if (!type) return { ok: false, code: 11200, message: `HTTP retrieval failure: audio ${url} came without a Content-Type`, status: res.status };
  if (!isPlayable(type)) {
    const code = context === 'gather' ? 13325 : 13420;
    return { ok: false, code, message: `${context === 'gather' ? 'Gather->Play' : 'Play'}: invalid Content-Type ${type || '(none)'} from ${url}: Play requires audio (${PLAYABLE_TYPES.join(', ')})`, status: res.status };
  }
  const bytes = res.raw ?? Buffer.from(res.body, 'utf8');
  if (!contentMatches(type, bytes)) {
    return { ok: false, code: 11200, message: `HTTP retrieval failure: ${url} is served as ${type} but its content is not (${describe(bytes)})`, status: res.status };
  }
  return { ok: true, status: res.status, contentType: type };
}

/**
 * Whether the bytes are what the content type says, for the formats with a header to check
 * (WAV, MP3, AIFF). Twilio's 11200 page names "an MP3 file that is being served with
 * Content-Type: audio/x-wav" as a cause. GSM and µ-law have no header: not checked.
 */
export function contentMatches(type: string, bytes: Buffer): boolean {
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1');
  switch (type) {
    case 'audio/wav':
    case 'audio/wave':
    case 'audio/x-wav':
      return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE';
    case 'audio/mpeg':
      // An ID3 tag, or an MPEG audio frame sync (11 bits set).
      return ascii(0, 3) === 'ID3' || (bytes.length > 1 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);
    case 'audio/aiff':
    case 'audio/x-aiff':
    case 'audio/x-aifc':
      return ascii(0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(8, 12));
    default:
      return true;
  }
}

function describe(bytes: Buffer): string {
  if (!bytes.length) return 'empty';
  const head = bytes.subarray(0, 12).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return `it starts ${JSON.stringify(head)}`;
}

/** Records a failed audio fetch on the call: an `error` event with Twilio's code and `data.media`. */
export function recordAudioFailure(engine: MediaFetcher, leg: Leg, url: string, failure: Extract<AudioFetch, { ok: false }>, consequence: string): void {
  engine.transcript.add(leg.sid, 'error', `${failure.code} ${failure.message} (${consequence})`, {
    code: failure.code,
    media: url,
    status: failure.status,
  });
}
