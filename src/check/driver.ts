// What differs between a check on Twilio and a check on the twin: how time passes between two
// reads of the records (the wall clock on Twilio; the twin's virtual clock, stepped through its
// admin API, on the twin) and how a URL is fetched "as Twilio would" (from here, signed with the
// auth token, on Twilio; by the twin itself on the twin, which knows the deployed Serverless
// domains and the host mappings). Everything else (placing calls, reading records, judging) is
// the same code on both.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { HomephoneError } from '../errors.js';

export interface FetchAnswer {
  /** 0 when nothing answered. */
  status: number;
  contentType: string;
  bytes: Buffer;
  networkError: string | null;
}

export interface CheckDriver {
  /** Lets `seconds` of the account's time pass. */
  pass(seconds: number): Promise<void>;
  /** GETs `url` as Twilio fetches media: signed (so a protected asset answers), redirects followed. */
  fetch(url: string): Promise<FetchAnswer>;
  /** Whether fetches are signed (a protected asset cannot be checked unsigned). */
  readonly signs: boolean;
}

/** Twilio gives up on a media fetch after 15 s as well. */
const FETCH_TIMEOUT_MS = 15_000;

/** The real account: wall-clock waits, fetches from this machine signed with the auth token (when known). */
export function accountDriver(authToken: string | null): CheckDriver {
  return {
    signs: Boolean(authToken),
    pass: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    async fetch(url) {
      const headers: Record<string, string> = { 'User-Agent': 'TwilioProxy/1.1 (homephone check)' };
      if (authToken) headers['X-Twilio-Signature'] = getExpectedTwilioSignature(authToken, url, {});
      try {
        const res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()), networkError: null };
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        return { status: 0, contentType: '', bytes: Buffer.alloc(0), networkError: err.cause?.code ?? err.message };
      }
    },
  };
}

/** A twin (`--twin URL`): its admin API steps virtual time and fetches as its <Play> does. */
export function twinDriver(twinUrl: string): CheckDriver {
  const base = twinUrl.replace(/\/+$/, '');
  async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    } catch (e) {
      throw new HomephoneError(`could not reach the twin at ${base}: ${(e as Error).message}`, { hint: 'start it with homephone twin start, and pass its URL with --twin' });
    }
    const text = await res.text();
    if (!res.ok) throw new HomephoneError(`the twin refused ${path} (${res.status}): ${text}`, { hint: 'the twin may be older than this homephone: update both' });
    return JSON.parse(text) as Record<string, unknown>;
  }
  return {
    signs: true,
    pass: async (seconds) => void (await post('/_twin/advance', { seconds })),
    async fetch(url) {
      const r = await post('/_twin/fetch', { url });
      return {
        status: Number(r.status ?? 0),
        contentType: String(r.content_type ?? ''),
        bytes: Buffer.from(String(r.body_base64 ?? ''), 'base64'),
        networkError: typeof r.network_error === 'string' ? r.network_error : null,
      };
    },
  };
}
