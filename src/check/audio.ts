// The audio row: every audio URL the deployment references, fetched as Twilio fetches a <Play>
// (signed, so a protected asset answers), whether or not a call of this check played it: the
// deploy's audio assets, the <Play> URLs inside its TwiML assets (the hold music), and the buzzer
// agent's ringback. Each must answer 2xx with an audio type Twilio plays and bytes of that type.
import type { CheckDriver, FetchAnswer } from './driver.js';
import type { CheckRow } from './types.js';
import { pathLabel } from './plan.js';

/**
 * The MIME types Twilio's <Play> page lists as supported ("Supported audio file types",
 * twilio.com/docs/voice/twiml/play): anything else fails the call with 13420 / 13325.
 */
export const PLAYABLE_TYPES = ['audio/mpeg', 'audio/wav', 'audio/wave', 'audio/x-wav', 'audio/aiff', 'audio/x-aifc', 'audio/x-aiff', 'audio/x-gsm', 'audio/gsm', 'audio/ulaw'];

export interface AudioTarget {
  url: string;
  /** Where the deploy references it (for the row). */
  from: string;
}

export interface AudioSources {
  domain: string | null;
  assets: Array<{ path: string; contentType: string }>;
  /** buzzer.publicUrl, when the buzzer agent is configured. */
  agentUrl: string | null;
}

const isXml = (type: string) => /xml/.test(type);
const isAudioType = (type: string) => type.startsWith('audio/');

/** The URLs to fetch: audio assets, <Play> URLs inside the TwiML assets, the agent's ringback. */
export async function audioTargets(sources: AudioSources, driver: CheckDriver): Promise<AudioTarget[]> {
  const out = new Map<string, AudioTarget>();
  const add = (url: string, from: string) => out.has(url) || out.set(url, { url, from });
  if (sources.domain) {
    const base = `https://${sources.domain}`;
    for (const a of sources.assets) if (isAudioType(a.contentType)) add(`${base}${a.path}`, `asset ${a.path}`);
    for (const a of sources.assets.filter((x) => isXml(x.contentType))) {
      const doc = await driver.fetch(`${base}${a.path}`);
      if (doc.status < 200 || doc.status > 299) continue; // a missing TwiML asset fails the call rows, not this one
      for (const m of doc.bytes.toString('utf8').matchAll(/<Play\b[^>]*>([^<]+)<\/Play>/g)) {
        const raw = m[1]!.trim().replace(/&amp;/g, '&');
        try {
          add(new URL(raw, `${base}${a.path}`).toString(), `<Play> in ${a.path}`);
        } catch {
          add(raw, `<Play> in ${a.path}`);
        }
      }
    }
  }
  if (sources.agentUrl) add(new URL('ringback.wav', sources.agentUrl.endsWith('/') ? sources.agentUrl : `${sources.agentUrl}/`).toString(), 'the buzzer agent');
  return [...out.values()];
}

/** Whether the bytes are what the content type says, for the formats with a header (WAV, MP3, AIFF). */
function contentMatches(type: string, bytes: Buffer): boolean {
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1');
  if (['audio/wav', 'audio/wave', 'audio/x-wav'].includes(type)) return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE';
  if (type === 'audio/mpeg') return ascii(0, 3) === 'ID3' || (bytes.length > 1 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);
  if (['audio/aiff', 'audio/x-aiff', 'audio/x-aifc'].includes(type)) return ascii(0, 4) === 'FORM';
  return true;
}

/** Why a fetched URL would not play, or null when it would. */
export function audioProblem(answer: FetchAnswer): string | null {
  if (answer.status === 0) return `did not answer (${answer.networkError ?? 'no answer'})`;
  if (answer.status < 200 || answer.status > 299) return `answered ${answer.status}`;
  const type = answer.contentType.split(';')[0]!.trim().toLowerCase();
  if (!PLAYABLE_TYPES.includes(type)) return `answered ${type || 'without a Content-Type'}, not audio Twilio plays`;
  if (!contentMatches(type, answer.bytes)) return `is served as ${type} but its bytes are not`;
  return null;
}

export async function judgeAudio(targets: AudioTarget[], driver: CheckDriver): Promise<CheckRow> {
  const expected = 'every audio URL the deploy references answers 2xx with audio Twilio plays';
  const base = { id: 'audio' as const, path: pathLabel('audio'), expected };
  if (!targets.length) return { ...base, seen: 'the deploy references no audio', verdict: 'pass', hint: null };
  const bad: string[] = [];
  const unsigned: string[] = [];
  for (const t of targets) {
    const answer = await driver.fetch(t.url);
    // With an API key there is no auth token to sign with: a protected asset refuses us, not Twilio.
    if (!driver.signs && (answer.status === 401 || answer.status === 403)) {
      unsigned.push(t.url);
      continue;
    }
    const problem = audioProblem(answer);
    if (problem) bad.push(`${t.url} (${t.from}) ${problem}`);
  }
  const note = unsigned.length ? `; not checked (protected, needs the auth token to sign): ${unsigned.join(', ')}` : '';
  const played = targets.filter((t) => !unsigned.includes(t.url));
  if (!bad.length) return { ...base, seen: `${played.length} URL(s) play: ${played.map((t) => t.url).join(', ')}${note}`, verdict: 'pass', hint: null };
  const agentOnly = bad.every((b) => b.includes('(the buzzer agent)'));
  return {
    ...base,
    seen: bad.join('; ') + note,
    verdict: 'fail',
    hint: agentOnly
      ? 'the buzzer agent does not serve its ringback: is it running at buzzer.publicUrl? (homephone doctor)'
      : 'an audio file the deploy references is missing or broken: homephone deploy uploads the assets again',
  };
}
