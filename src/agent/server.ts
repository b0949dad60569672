// The agent's HTTP(S) server: routes below the public URL, a small body limit, and Twilio's
// signature on every request that is not the health check or the ringback audio. Unsigned or
// forged requests get 403, oversized bodies 413, other methods 405, unknown paths 404.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { AgentRequest, Reply } from './buzz.js';
import type { AgentLogger } from './logger.js';
import type { PublicUrl, SignatureChecker } from './signature.js';

export const MAX_BODY_BYTES = 64 * 1024;
/** A client that keeps sending past the limit is cut off here. */
const MAX_DRAIN_BYTES = 1024 * 1024;
/**
 * Connections held at most. Beyond SHED_ABOVE open connections, each new one closes the oldest
 * connection that has no request in progress: idle sockets (a flood, a slow client, a proxy's
 * pool) can never lock out Twilio's next webhook. MAX_CONNECTIONS is the hard ceiling (each is a
 * file descriptor; the systemd unit's LimitNOFILE is above it).
 */
export const SHED_ABOVE = 256;
export const MAX_CONNECTIONS = 1024;
/** Twilio gives up on a webhook after 15 s: a request that takes longer to arrive is not waited for. */
export const REQUEST_TIMEOUT_MS = 15_000;
export const HEADERS_TIMEOUT_MS = 10_000;
/**
 * An idle keep-alive connection is closed after this: longer than a reverse proxy's usual 60 s pool
 * timeout, so the proxy never sends a webhook on a connection the agent is closing (a POST is not
 * retried). Under pressure idle connections are shed long before (SHED_ABOVE).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** A connection that sends nothing at all is closed after this. */
export const IDLE_SOCKET_TIMEOUT_MS = 30_000;

export interface Route {
  methods: ReadonlyArray<'GET' | 'POST'>;
  /** Demands a valid X-Twilio-Signature (every route Twilio calls). */
  signed: boolean;
  handle(req: AgentRequest): Reply | Promise<Reply>;
}

export interface ServerOptions {
  routes: Record<string, Route>;
  url: PublicUrl;
  checker: SignatureChecker;
  log: AgentLogger;
  tls?: { cert: Buffer | string; key: Buffer | string } | undefined;
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  const length = typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length;
  res.writeHead(reply.status, { 'Content-Type': reply.type, 'Content-Length': String(length), ...headers });
  res.end(reply.body);
}

const plain = (status: number, body: string): Reply => ({ status, type: 'text/plain; charset=utf-8', body: `${body}\n` });

export function createAgentServer(options: ServerOptions): Server {
  const { routes, url, checker, log } = options;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const arrivedAt = performance.now();
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? '' : raw.slice(q);
    const rel = url.relative(pathname);
    const route = routes[rel] ?? (rel.length > 1 && rel.endsWith('/') ? routes[rel.slice(0, -1)] : undefined);
    if (!route) {
      req.resume();
      return send(res, plain(404, 'not found'));
    }
    const method = req.method ?? 'GET';
    if (!route.methods.includes(method as 'GET' | 'POST')) {
      req.resume();
      return send(res, plain(405, 'method not allowed'), { Allow: route.methods.join(', ') });
    }
    const query = new URLSearchParams(search);
    const finish = (params: Record<string, string>, forSignature: Record<string, string>) => {
      if (route.signed && !checker.valid(header(req, 'x-twilio-signature'), rel, search, forSignature)) {
        log.warn('request.forbidden', { path: rel, reason: header(req, 'x-twilio-signature') ? 'invalid signature' : 'no signature' });
        return send(res, plain(403, 'forbidden: not signed by Twilio for this URL'));
      }
      let out: Reply | Promise<Reply>;
      try {
        out = route.handle({ route: rel, query, params, arrivedAt });
      } catch (err) {
        return failed(res, log, rel, err);
      }
      if (out instanceof Promise) out.then((r) => send(res, r), (err: unknown) => failed(res, log, rel, err));
      else send(res, out);
    };
    if (method === 'GET') {
      req.resume();
      return finish(Object.fromEntries(query), {});
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge(req, res, log, rel);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        tooLarge(req, res, log, rel);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (over) return;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      finish(params, params);
    });
    req.on('error', () => res.destroy());
  };

  const httpOptions = { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1_000 };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, ...httpOptions }, handle)
    : createHttpServer(httpOptions, handle);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
  server.setTimeout(IDLE_SOCKET_TIMEOUT_MS, (socket: Socket) => socket.destroy());
  shedIdleConnections(server, log);
  return server;
}

/**
 * Keeps the open connections in arrival order with whether a request is in progress on each; past
 * SHED_ABOVE, a new connection closes the oldest idle one.
 */
function shedIdleConnections(server: Server, log: AgentLogger): void {
  const open = new Map<Socket, { busy: number }>();
  let shed = 0;
  let lastLogged = 0;
  server.on('connection', (socket: Socket) => {
    const state = { busy: 0 };
    open.set(socket, state);
    socket.once('close', () => open.delete(socket));
    if (open.size <= SHED_ABOVE) return;
    for (const [s, st] of open) {
      if (open.size <= SHED_ABOVE) break;
      if (s === socket || st.busy > 0) continue;
      open.delete(s);
      s.destroy();
      shed += 1;
    }
    // One line per hundred, not one per socket: a flood must not flood the journal too.
    if (shed - lastLogged >= 100 || lastLogged === 0) {
      log.warn('server.connections-shed', { shed, open: open.size });
      lastLogged = shed;
    }
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Over TLS the request's socket wraps the TCP one the connection event saw.
    const raw = (req.socket as Socket & { _parent?: Socket })._parent ?? req.socket;
    const state = open.get(raw) ?? open.get(req.socket);
    if (!state) return;
    state.busy += 1;
    res.once('close', () => {
      state.busy -= 1;
    });
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function tooLarge(req: IncomingMessage, res: ServerResponse, log: AgentLogger, path: string): void {
  log.warn('request.too-large', { path, limit: MAX_BODY_BYTES });
  send(res, plain(413, `request body over ${MAX_BODY_BYTES} bytes`), { Connection: 'close' });
  // Read what is still coming so the client sees the answer; cut off a client that won't stop.
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAIN_BYTES) req.destroy();
  });
  req.resume();
}

function failed(res: ServerResponse, log: AgentLogger, path: string, err: unknown): void {
  log.error('request.failed', { path, error: err instanceof Error ? err.message : String(err) });
  if (!res.headersSent) send(res, plain(500, 'internal error'));
  else res.destroy();
}
