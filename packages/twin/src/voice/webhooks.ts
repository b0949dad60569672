// Every request the twin makes to an application: signed with X-Twilio-Signature under the twin's
// auth token, answered in-process when the URL is the twin's own (a Studio flow's webhook URL, a
// deployed Serverless domain) and over real HTTP otherwise. Real requests count as in-flight
// work, so virtual time waits for them.
import type { Inflight } from './inflight.js';
import { HostMap } from './hosts.js';
import { HttpClient } from './http-client.js';
import { sign, withQuery, type Params } from './signature.js';

export interface WebhookRequest {
  url: string;
  method: string;
  params: Params;
  /** Extra headers (e.g. a Studio HTTP request's content type). */
  headers?: Record<string, string>;
  /** Raw body instead of form parameters (make-http-request with JSON). */
  body?: string;
  /** Leave unsigned (only make-http-request without add_twilio_auth). */
  unsigned?: boolean;
  /** The call this request is about, for the transcript (Studio's requests carry no CallSid). */
  callSid?: string | null;
}

export interface WebhookResponse {
  /** 0 when no HTTP answer came (connection failure, timeout). */
  status: number;
  contentType: string;
  body: string;
  /** The body's bytes, when it may not be text (audio). */
  raw?: Buffer;
  headers?: Record<string, string>;
  /** Why no HTTP answer came. */
  networkError?: string;
}

export interface InProcessRequest {
  /** Where the request goes (after host aliases). */
  url: URL;
  /** The URL as the application configured it: the one the signature covers. */
  originalUrl: string;
  method: string;
  params: Params;
  headers: Record<string, string>;
  body?: string | undefined;
  /** The call this request is about, when known. */
  callSid: string | null;
}

/** Answers the request, or returns undefined when the URL is not this handler's. */
export type InProcessHandler = (req: InProcessRequest) => Promise<WebhookResponse> | undefined;

/** One request the twin made and what came back: what a Monitor Alert's fetch shows. */
export interface Exchange {
  /** The URL as configured (and signed), GET parameters included. */
  url: string;
  method: string;
  params: Params;
  requestHeaders: Record<string, string>;
  /** 0 until an answer came (and when none did). */
  status: number;
  responseBody: string;
  responseHeaders: Record<string, string>;
  callSid: string | null;
  /** False while the request is in flight: an alert raised meanwhile sees the answer once it comes. */
  done: boolean;
}

/** Exchanges kept for alerts to look up (a scenario's errors are recorded as they happen). */
const RECENT_EXCHANGES = 200;

/** Loopback and private-network addresses: the only real HTTP the twin makes by default. */
export function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

export class Webhooks {
  /** Also call hosts outside the local network (off by default: scenarios must not reach real services). */
  allowAnyHost = false;
  private handlers: InProcessHandler[] = [];
  /** The latest requests, newest last (see `lastExchange`). */
  private readonly recent: Exchange[] = [];
  /** Public hosts mapped to local addresses (POST /_twin/hosts, twin.hosts, --host-map). */
  readonly hosts = new HostMap();
  /** Real HTTP (kept-alive connections, Twilio's 15 s deadline, redirects followed). */
  private readonly http = new HttpClient();

  constructor(
    private readonly authToken: () => string,
    private readonly inflight: Inflight,
  ) {}

  use(handler: InProcessHandler): void {
    this.handlers.push(handler);
  }

  /**
   * Requests to `host` go to `target` instead: another host (e.g. a deployed Serverless domain)
   * or a base URL (http://127.0.0.1:8080). The signature still covers the URL as configured, as
   * it would behind a reverse proxy. This is how console exports with placeholder hosts
   * (https://URL/is-whitelisted) run unchanged. Same as `hosts.map`.
   */
  alias(host: string, target: string): void {
    this.hosts.map(host, target);
  }

  clearAliases(): void {
    this.hosts.clear();
  }

  /** The latest request to `url` (with or without its query), about `callSid` when given. */
  lastExchange(url: string, callSid?: string | null): Exchange | undefined {
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const x = this.recent[i]!;
      if ((x.url === url || x.url.split('?')[0] === url.split('?')[0]) && (callSid == null || x.callSid === callSid)) return x;
    }
    return undefined;
  }

  clearExchanges(): void {
    this.recent.length = 0;
  }

  async send(req: WebhookRequest): Promise<WebhookResponse> {
    const method = req.method.toUpperCase() === 'GET' ? 'GET' : 'POST';
    const exchange: Exchange = {
      url: method === 'GET' ? withQuery(req.url, req.params) : req.url,
      method,
      params: method === 'GET' ? {} : req.params,
      requestHeaders: { 'User-Agent': 'TwilioProxy/1.1', ...req.headers },
      status: 0,
      responseBody: '',
      responseHeaders: {},
      callSid: req.callSid ?? req.params.CallSid ?? null,
      done: false,
    };
    this.recent.push(exchange);
    if (this.recent.length > RECENT_EXCHANGES) this.recent.shift();
    const res = await this.deliver(req);
    exchange.status = res.status;
    exchange.responseBody = res.body.length > 16_384 ? res.body.slice(0, 16_384) : res.body;
    exchange.responseHeaders = res.headers ?? (res.contentType ? { 'content-type': res.contentType } : {});
    exchange.done = true;
    return res;
  }

  private async deliver(req: WebhookRequest): Promise<WebhookResponse> {
    const method = req.method.toUpperCase() === 'GET' ? 'GET' : 'POST';
    const signedUrl = method === 'GET' ? withQuery(req.url, req.params) : req.url;
    const headers: Record<string, string> = { 'User-Agent': 'TwilioProxy/1.1', ...req.headers };
    if (!req.unsigned) {
      headers['X-Twilio-Signature'] =
        method === 'GET' || req.body !== undefined ? sign(this.authToken(), signedUrl, {}) : sign(this.authToken(), signedUrl, req.params);
    }
    if (method === 'POST' && req.body === undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    const routed = this.hosts.route(new URL(signedUrl));

    const inProcess: InProcessRequest = {
      url: routed,
      originalUrl: signedUrl,
      method,
      params: method === 'GET' ? Object.fromEntries(routed.searchParams) : req.params,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: req.body,
      callSid: req.callSid ?? req.params.CallSid ?? null,
    };
    for (const handler of this.handlers) {
      const answer = handler(inProcess);
      if (answer) return answer;
    }
    const refused = this.refusal(routed);
    if (refused) return { status: 0, contentType: '', body: '', networkError: refused };
    const body = method === 'POST' ? (req.body ?? new URLSearchParams(req.params).toString()) : undefined;
    return this.inflight.track(this.request(routed, method, headers, body));
  }

  /** Closes the kept-alive connections (the twin is closing). */
  close(): void {
    this.http.close();
  }

  /** Why the twin may not request `url` itself (it never calls the internet unless allowed). */
  private refusal(url: URL): string | undefined {
    if (this.allowAnyHost || isLocalHost(url.hostname)) return undefined;
    return `${url.hostname} is not a local address (the twin never calls the internet; map the host to a local address: POST /_twin/hosts)`;
  }

  private async request(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<WebhookResponse> {
    // A redirect's target is routed like the request itself: host mappings, local addresses only.
    const outcome = await this.http.send(url, method, headers, body, (next) => {
      const routed = this.hosts.route(next);
      const refused = this.refusal(routed);
      return refused ? { refused } : routed;
    });
    if ('networkError' in outcome) return { status: 0, contentType: '', body: '', networkError: outcome.networkError };
    return outcome;
  }
}
