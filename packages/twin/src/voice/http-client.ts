// The twin's real HTTP requests to applications (webhooks, status callbacks, media), over
// node:http/node:https with kept-alive connections. It replaced `fetch`, which costs about four
// times the CPU per request (undici's streams and its Request/Response/Headers objects) in a
// process that makes thousands of them; what fetch did is kept:
// - one deadline for the whole exchange (connect, answer, body): Twilio gives up after 15 s;
//   failing then gives networkError "TimeoutError", as fetch's AbortSignal.timeout did;
// - redirects followed as fetch follows them (at most 20; 301/302 turn a POST into a GET, 303
//   any method but HEAD; 307/308 keep the method and body; the headers, the signature included,
//   go along unchanged). Each hop goes through the caller's `route` (host mappings and the rule
//   that the twin only reaches local addresses), where fetch would have gone to any host;
// - no limit on the size of an answer; the body is returned as bytes and as UTF-8 text;
// - a connection failure is `networkError`: the error's code (ECONNREFUSED, ECONNRESET...).
//
// Kept-alive sockets: a server closes an idle connection after its keep-alive timeout (Node's
// default 5 s, announced in `Keep-Alive: timeout=5`), and a client that writes a request on such a
// socket in that instant gets ECONNRESET. The agent's idle timeout stays below the server's
// (Node's Agent shortens it to the announced timeout minus 1 s; 4 s when none is announced), and
// because timers do not fire while the event loop is busy (a test compiling schemas for seconds),
// sockets idle longer than that are also dropped by wall-clock age before each request. A
// request that still fails is not retried: Twilio reports it (11205), and so does the twin.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';

/** Twilio gives up on a webhook after 15 s (connect + response). */
export const HTTP_TIMEOUT_MS = 15_000;
/** As fetch: more than 20 redirects is a network error. */
const MAX_REDIRECTS = 20;
/** Idle sockets are closed after this unless the server announces less (Node's server default: 5 s). */
const IDLE_SOCKET_MS = 4_000;

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  raw: Buffer;
  /** Lower-case names, sorted (as fetch's Headers iterate them). */
  headers: Record<string, string>;
}

export type HttpOutcome = HttpAnswer | { networkError: string };

/** Where a hop really goes: the URL to request, or why it may not be requested. */
export type Route = (url: URL) => URL | { refused: string };

interface Exchange {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** How long an idle socket may be reused, and since when it is idle (wall clock). */
const idle = new WeakMap<Socket, { since: number; maxMs: number }>();

export interface HttpClientOptions {
  /** The deadline of one exchange, redirects included (Twilio's 15 s; shorter only in tests). */
  timeoutMs?: number;
  /** A monotonic wall clock in ms, for sockets' idle age (a test's own clock). */
  now?: () => number;
}

export class HttpClient {
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly agents = {
    'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? HTTP_TIMEOUT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Sends the request, following redirects; every hop's URL goes through `route` first. */
  async send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, route: Route): Promise<HttpOutcome> {
    const deadline = performance.now() + this.timeoutMs;
    let hop: Exchange = { url, method, headers, body };
    for (let redirects = 0; ; redirects++) {
      const answer = await this.once(hop, deadline);
      if ('networkError' in answer) return answer;
      const location = answer.headers.location;
      if (![301, 302, 303, 307, 308].includes(answer.status) || location === undefined) return answer;
      if (redirects === MAX_REDIRECTS) return { networkError: 'redirect count exceeded' };
      let next: URL;
      try {
        next = new URL(location, hop.url);
      } catch {
        return { networkError: 'ERR_INVALID_URL' };
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return { networkError: `redirect to a ${next.protocol} URL` };
      const routed = route(next);
      if ('refused' in routed) return { networkError: routed.refused };
      hop = { ...hop, url: routed };
      if ((answer.status === 303 && hop.method !== 'HEAD') || ((answer.status === 301 || answer.status === 302) && hop.method === 'POST')) {
        // Fetch's rule: the request becomes a GET without a body or the body's headers.
        const kept = Object.entries(hop.headers).filter(([k]) => !['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'].includes(k.toLowerCase()));
        hop = { ...hop, method: 'GET', body: undefined, headers: Object.fromEntries(kept) };
      }
    }
  }

  /** Closes every kept-alive socket. */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private once(x: Exchange, deadline: number): Promise<HttpOutcome> {
    if (x.url.username || x.url.password) {
      // fetch refused these ("a URL that includes credentials"); the twin still does.
      return Promise.resolve({ networkError: 'TypeError: the URL includes credentials' });
    }
    const agent = x.url.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];
    this.dropStaleSockets(agent);
    const request = x.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { Accept: '*/*', ...x.headers };
    if (x.body !== undefined) {
      headers['Content-Length'] = String(Buffer.byteLength(x.body));
      // fetch's default type for a string body.
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'text/plain;charset=UTF-8';
    }
    return new Promise<HttpOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: HttpOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = request(x.url, { method: x.method, headers, agent }, (res) => {
        // Node detaches the socket from the answer when it frees it: keep it for noteIdle.
        const socket = res.socket;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (e) => settle({ networkError: codeOf(e) }));
        // The connection closed before the whole answer came.
        res.on('close', () => {
          if (!res.complete) settle({ networkError: 'ECONNRESET' });
        });
        res.on('end', () => {
          this.noteIdle(res, socket);
          const raw = Buffer.concat(chunks);
          const answerHeaders = headersOf(res);
          settle({ status: res.statusCode ?? 0, contentType: answerHeaders['content-type'] ?? '', body: raw.toString('utf8'), raw, headers: answerHeaders });
        });
      });
      const timer = setTimeout(() => {
        settle({ networkError: 'TimeoutError' });
        req.destroy();
      }, Math.max(0, deadline - performance.now()));
      // As AbortSignal.timeout's: never the reason a process stays up (the socket is).
      timer.unref();
      req.on('error', (e) => settle({ networkError: codeOf(e) }));
      req.end(x.body);
    });
  }

  /** Records when the answer's socket went idle and how long its server keeps it. */
  private noteIdle(res: IncomingMessage, socket: Socket | null): void {
    if (!socket) return;
    const hint = /timeout=(\d+)/.exec(String(res.headers['keep-alive'] ?? ''))?.[1];
    // As Node's Agent: a second less than the server announces, so the client always closes first.
    const maxMs = hint === undefined ? IDLE_SOCKET_MS : Math.min(IDLE_SOCKET_MS, Number(hint) * 1000 - 1000);
    idle.set(socket, { since: this.now(), maxMs });
  }

  /** Destroys the agent's free sockets that have been idle too long to be reused safely. */
  private dropStaleSockets(agent: HttpAgent): void {
    const now = this.now();
    for (const sockets of Object.values(agent.freeSockets)) {
      for (const socket of sockets ?? []) {
        const at = idle.get(socket as Socket);
        if (at && now - at.since >= at.maxMs) socket.destroy();
      }
    }
  }
}

function codeOf(e: Error & { code?: string }): string {
  return e.code ?? e.name ?? e.message;
}

/** The answer's headers as fetch gave them: lower-case names, sorted, repeated values joined. */
function headersOf(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(res.headers).sort()) {
    const v = res.headers[name];
    // fetch's iteration yields each Set-Cookie separately, so an object keeps the last one.
    out[name] = Array.isArray(v) ? (name === 'set-cookie' ? v[v.length - 1]! : v.join(', ')) : (v ?? '');
  }
  return out;
}
