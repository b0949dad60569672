// The twin's HTTP server. Each Twilio product is served under a path prefix named after the first
// label of its host: https://api.twilio.com/2010-04-01/… is http://TWIN/api/2010-04-01/…, and
// likewise /serverless, /serverless-upload and /studio. The admin API lives under /_twin/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, type TwinAdmin } from './admin.js';
import { invalid, TwinError, unauthenticated } from './errors.js';
import { Faults, firesAfter, type Fault } from './faults.js';
import { checkCps, queueInfo } from './model/call-queue.js';
import { seedNumber } from './model/voice.js';
import { addVerifiedCallerId } from './model/outgoing-caller-ids.js';
import { recordAlert, REST_ALERT_CODES } from './records/alerts.js';
import { MultipartError, multipartBoundary, parseMultipart, partText, type MultipartPart } from './multipart.js';
import { Params } from './params.js';
import { RequestLog } from './request-log.js';
import { buildRouter } from './rest/index.js';
import { PRODUCTS, type Product, type RestRequest, type RestResponse, type UploadedFile } from './router.js';
import { loadSnapshot, readSnapshot, takeSnapshot } from './snapshot.js';
import { newCredentials, TwinState, type Credentials } from './state.js';
import { handleVoiceAdmin, VOICE_ADMIN_PATHS } from './voice/admin.js';
import { checkHostMapping, type HostMap, type HostMapping } from './voice/hosts.js';
import { createVoiceStack, Inflight, VirtualClock, type VoiceEngine, type VoiceOptions } from './voice/index.js';

export interface TwinOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  credentials?: Partial<Credentials>;
  /** Owned phone numbers (E.164) seeded at start and after every reset. */
  numbers?: string[];
  /** The twin's time is virtual; it starts at this instant (default: now). */
  startTime?: Date;
  /** How virtual time moves: see VoiceOptions. */
  voice?: VoiceOptions;
  /**
   * Public hosts mapped to local addresses at start and after every reset, e.g.
   * `{ 'buzz.example.org': 'http://127.0.0.1:8080' }` (more with POST /_twin/hosts or `twin.hosts`).
   */
  hosts?: Record<string, string> | HostMapping[];
  /** The account's calls per second for REST-created calls (default 1, as on Twilio). */
  cps?: number;
  /** Verified caller IDs (OutgoingCallerIds, E.164) added at start and after every reset. */
  callerIds?: string[];
}

export interface Twin {
  /** http://127.0.0.1:PORT — set HOMEPHONE_TWIN_URL to this. */
  readonly url: string;
  readonly credentials: Credentials;
  readonly state: TwinState;
  readonly log: RequestLog;
  readonly admin: TwinAdmin;
  /** Runs calls: placeCall(), settle(), transcript, phones (docs/twin-voice.md). */
  readonly engine: VoiceEngine;
  readonly clock: VirtualClock;
  /**
   * Public hosts whose webhooks go to local addresses, signed for the public URL:
   * `twin.hosts.map('buzz.example.org', 'http://127.0.0.1:8080')`, `unmap`, `list`, `clear`.
   */
  readonly hosts: HostMap;
  close(): Promise<void>;
}

const MAX_BODY = 30 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers })
    .end(text);
}

function basicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

function parseBody(contentType: string, raw: Buffer): { form: Params; files: Map<string, UploadedFile> } {
  const files = new Map<string, UploadedFile>();
  if (/^\s*multipart\//i.test(contentType)) {
    let parts: MultipartPart[];
    try {
      parts = parseMultipart(raw, multipartBoundary(contentType));
    } catch (e) {
      if (e instanceof MultipartError) throw invalid(`The request body is not valid multipart/form-data: ${e.message}`);
      throw e;
    }
    const form = new Params();
    for (const part of parts) {
      if (part.filename === undefined) form.add(part.name, partText(part));
      else files.set(part.name, { filename: part.filename, type: part.type || 'application/octet-stream', content: part.content });
    }
    return { form, files };
  }
  if (/^application\/json/i.test(contentType)) {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      throw new TwinError(400, 20001, 'The request body is not valid JSON');
    }
    return { form: new Params(Object.entries(obj).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])), files };
  }
  return { form: Params.fromSearch(raw.toString('utf8')), files };
}

export async function startTwin(options: TwinOptions = {}): Promise<Twin> {
  const credentials = newCredentials(options.credentials);
  const clock = new VirtualClock(options.startTime);
  const inflight = new Inflight(options.voice?.quietTurns ?? 5, options.voice?.quietMs ?? 0);
  const state = new TwinState(credentials, clock);
  if (options.cps !== undefined) state.account.cps = checkCps(options.cps);
  const router = buildRouter(state);
  const log = new RequestLog();
  const faults = new Faults();
  const startHosts: HostMapping[] = Array.isArray(options.hosts)
    ? options.hosts.map((m) => checkHostMapping(m.host, m.target))
    : Object.entries(options.hosts ?? {}).map(([host, target]) => checkHostMapping(host, target));
  let url = '';
  const voice = createVoiceStack(state, clock, inflight, () => url, options.voice);
  const hosts = voice.engine.webhooks.hosts;
  const seed = () => {
    for (const n of options.numbers ?? []) seedNumber(state, n);
    for (const n of options.callerIds ?? []) addVerifiedCallerId(state, n);
    for (const m of startHosts) hosts.map(m.host, m.target);
  };
  seed();

  const admin: TwinAdmin = {
    info: () => ({
      url,
      account_sid: credentials.accountSid,
      auth_token: credentials.authToken,
      api_key_sid: credentials.apiKeySid,
      api_key_secret: credentials.apiKeySecret,
      products: Object.fromEntries(PRODUCTS.map((p) => [p, `${url}/${p}`])),
      hosts: hosts.list(),
    }),
    seedNumbers: (numbers) => numbers.map((n) => seedNumber(state, n.phoneNumber, n.friendlyName)),
    verifyCallerIds: (numbers) => numbers.map((n) => addVerifiedCallerId(state, n.phoneNumber, n.friendlyName)),
    callerIds: () => [...state.outgoingCallerIds.values()].map((c) => c.json),
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    addFault: (spec) => faults.add(spec),
    faults: () => faults.all(),
    clearFaults: () => faults.clear(),
    account: () => ({ account_sid: credentials.accountSid, ...queueInfo(state) }),
    setAccount: (patch) => {
      if (patch.cps !== undefined) state.account.cps = checkCps(patch.cps);
      return admin.account();
    },
    reset: () => {
      voice.reset();
      state.reset();
      log.clear();
      faults.clear();
      hosts.clear();
      seed();
    },
    snapshot: () => takeSnapshot(state, hosts.list()),
    restore: (snapshot) => {
      const data = readSnapshot(state, snapshot); // checked before anything is forgotten
      voice.reset();
      state.reset();
      log.clear();
      faults.clear();
      hosts.clear();
      loadSnapshot(state, data);
      for (const m of data.hosts) hosts.map(m.host, m.target);
    },
    hosts: () => hosts.list(),
    mapHost: (host, target) => hosts.map(host, target),
    unmapHost: (host) => hosts.unmap(host),
    clearHosts: () => hosts.clear(),
  };

  const authorized = (header: string | undefined): boolean => {
    const auth = basicAuth(header);
    if (!auth) return false;
    if (auth.user === credentials.accountSid) return auth.pass === credentials.authToken;
    if (auth.user === credentials.apiKeySid) return auth.pass === credentials.apiKeySecret;
    return false;
  };

  async function handleRest(req: IncomingMessage, res: ServerResponse, product: Product, path: string, search: string) {
    const method = (req.method ?? 'GET').toUpperCase();
    const entry = log.start(method, product, path, search.replace(/^\?/, ''));
    let after: Fault | undefined; // an 'after-' fault: the request is applied, then its answer is lost
    const answer = (status: number, body?: unknown, headers?: Record<string, string>) => {
      if (after?.fault === 'after-drop') return void res.destroy();
      if (after) return answer500();
      log.finish(entry, status);
      sendJson(res, status, body, headers);
    };
    const answer500 = () => {
      log.finish(entry, 500);
      sendJson(res, 500, new TwinError(500, 20500, 'Internal Server Error').body());
    };
    const raw = await readBody(req);

    const fault = faults.match(method, `/${product}${path}`);
    if (fault && firesAfter(fault.fault)) {
      entry.fault = fault.id;
      after = fault;
    } else if (fault) {
      entry.fault = fault.id;
      if (fault.fault === 'hang') return; // never answers; the socket is closed with the server
      if (fault.fault === '429') {
        return answer(429, new TwinError(429, 20429, 'Too Many Requests').body(), { 'Retry-After': String(fault.retryAfter) });
      }
      return answer(500, new TwinError(500, 20500, 'Internal Server Error').body());
    }

    if (!authorized(req.headers.authorization)) {
      return answer(401, unauthenticated().body(), { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    }
    if (raw === 'too-large') return answer(413, new TwinError(413, 20413, 'Request entity too large').body());

    let form: Params | undefined;
    try {
      const matched = router.match(product, method, path);
      if (!matched) throw new TwinError(404, 20404, `The requested resource ${path} was not found`);
      if (matched === 'method-not-allowed') throw new TwinError(405, 20004, 'Method not allowed');
      const accountSid = matched.params.AccountSid;
      if (accountSid !== undefined && accountSid !== credentials.accountSid) {
        throw new TwinError(404, 20404, `The requested resource ${path} was not found`);
      }
      const body = method === 'POST' ? parseBody(String(req.headers['content-type'] ?? ''), raw) : undefined;
      form = body?.form;
      const restReq: RestRequest = {
        method: method as RestRequest['method'],
        product,
        path,
        query: Params.fromSearch(search),
        form: body?.form ?? new Params(),
        files: body?.files ?? new Map(),
        params: matched.params,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v])),
      };
      const out: RestResponse = matched.route.handler(restReq);
      answer(out.status, out.body, out.headers);
    } catch (e) {
      if (e instanceof TwinError) {
        if (product === 'api' && REST_ALERT_CODES.has(e.code)) {
          recordAlert(state, {
            code: e.code,
            message: e.message,
            requestUrl: `https://api.twilio.com${path}`,
            requestMethod: method,
            requestVariables: form ? Object.fromEntries(form.entries()) : undefined,
            apiVersion: '2010-04-01',
          });
        }
        return answer(e.status, e.body());
      }
      answer(500, new TwinError(500, 20500, `Internal Server Error: ${(e as Error).message}`).body());
    }
  }

  async function handleAdminRequest(req: IncomingMessage, res: ServerResponse, path: string) {
    if (VOICE_ADMIN_PATHS.includes(path.replace(/\/+$/, ''))) return handleVoiceAdminRequest(req, res, path);
    const raw = await readBody(req);
    let body: unknown;
    if (raw !== 'too-large' && raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: 'the admin API takes JSON bodies' });
      }
    }
    const out = handleAdmin(admin, (req.method ?? 'GET').toUpperCase(), path, body);
    sendJson(res, out.status, out.body);
  }

  async function handleVoiceAdminRequest(req: IncomingMessage, res: ServerResponse, path: string) {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw !== 'too-large' && raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      return sendJson(res, 400, { error: 'the admin API takes JSON bodies' });
    }
    const out = await handleVoiceAdmin(voice.engine, (req.method ?? 'GET').toUpperCase(), path, body);
    sendJson(res, out?.status ?? 404, out?.body ?? { error: `no admin endpoint ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://twin.invalid');
    // REST requests are in-flight work: virtual time waits for them (admin requests wait for it).
    if (!u.pathname.startsWith('/_twin')) {
      const end = inflight.begin();
      res.once('close', end);
    }
    const work = async () => {
      if (u.pathname === '/_twin' || u.pathname.startsWith('/_twin/')) return handleAdminRequest(req, res, u.pathname);
      const m = /^\/([^/]+)(\/.*)$/.exec(u.pathname);
      const product = m?.[1] as Product | undefined;
      if (!m || !product || !PRODUCTS.includes(product)) {
        return sendJson(res, 404, new TwinError(404, 20404, `The requested resource ${u.pathname} was not found`).body());
      }
      return handleRest(req, res, product, m[2]!, u.search);
    };
    work().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, new TwinError(500, 20500, String(e)).body());
    });
  });
  // A client reuses a kept-alive socket without knowing the server is about to close it; on a
  // loaded machine test steps can be more than Node's 5 s default apart, and that race then shows
  // as a random ECONNRESET. Keep idle sockets for longer than any client waits between requests.
  server.keepAliveTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;

  return {
    url,
    credentials,
    state,
    log,
    admin,
    engine: voice.engine,
    clock,
    hosts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        voice.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
