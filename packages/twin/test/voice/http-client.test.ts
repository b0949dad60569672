// The twin's real HTTP client (webhooks, callbacks, media): what it sends, what it gives back,
// redirects, its deadline, connection failures, and kept-alive sockets that are never reused once
// their server may have closed them. A local server records every request and connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, type Route } from '../../src/voice/http-client.js';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  connection: number;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
let connections = 0;
const handlers = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
const clients: HttpClient[] = [];
const allow: Route = (url) => url;

function client(options?: ConstructorParameters<typeof HttpClient>[0]): HttpClient {
  const c = new HttpClient(options);
  clients.push(c);
  return c;
}

const form = 'CallSid=CA1&From=%2B15550001111';
const signed = { 'User-Agent': 'TwilioProxy/1.1', 'X-Twilio-Signature': 'c2lnbmF0dXJl', 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), connection: (req.socket as unknown as { n: number }).n });
      const handler = handlers.get(path);
      if (handler) handler(req, res);
      else res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<Response/>');
    });
  });
  server.on('connection', (socket) => Object.assign(socket, { n: ++connections }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  seen.length = 0;
  handlers.clear();
  for (const c of clients.splice(0)) c.close();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('HttpClient', () => {
  it('sends the method, the headers and the form body as given, and gives back status, type, bytes and headers', async () => {
    handlers.set('/voice', (_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'Content-Type': 'text/xml; charset=utf-8', 'X-Zed': 'z', 'X-Alpha': 'a' }).end('<Response><Say>é</Say></Response>');
    });
    const answer = await client().send(new URL(`${base}/voice?x=1`), 'POST', signed, form, allow);
    expect(answer).toMatchObject({ status: 201, contentType: 'text/xml; charset=utf-8', body: '<Response><Say>é</Say></Response>' });
    if ('networkError' in answer) throw new Error(answer.networkError);
    expect(answer.raw.equals(Buffer.from('<Response><Say>é</Say></Response>'))).toBe(true);
    // Lower-case names in order, as fetch's Headers gave them; the last Set-Cookie, as fetch's entries.
    const names = Object.keys(answer.headers);
    expect(names).toEqual([...names].sort());
    expect(answer.headers).toMatchObject({ 'x-alpha': 'a', 'x-zed': 'z', 'set-cookie': 'b=2' });
    const [req] = seen;
    expect(req).toMatchObject({ method: 'POST', path: '/voice', body: form });
    expect(req!.headers).toMatchObject({
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': 'c2lnbmF0dXJl',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'content-length': String(form.length),
      accept: '*/*',
    });
  });

  it('follows redirects as fetch did: 302 turns a POST into a GET without its body, 307 keeps both, the signature goes along', async () => {
    handlers.set('/moved', (_req, res) => res.writeHead(302, { Location: '/there' }).end());
    handlers.set('/kept', (_req, res) => res.writeHead(307, { Location: `${base}/there` }).end());
    const c = client();
    expect(await c.send(new URL(`${base}/moved`), 'POST', signed, form, allow)).toMatchObject({ status: 200, body: '<Response/>' });
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/moved', form],
      ['GET', '/there', ''],
    ]);
    expect(seen[1]!.headers['content-type']).toBeUndefined();
    expect(seen[1]!.headers['x-twilio-signature']).toBe('c2lnbmF0dXJl');
    seen.length = 0;
    expect(await c.send(new URL(`${base}/kept`), 'POST', signed, form, allow)).toMatchObject({ status: 200 });
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/kept', form],
      ['POST', '/there', form],
    ]);
    expect(seen[1]!.headers['content-type']).toBe(signed['Content-Type']);
  });

  it('routes every redirect (a refused host is a network error) and gives up after 20', async () => {
    handlers.set('/away', (_req, res) => res.writeHead(301, { Location: 'https://elsewhere.example.com/x' }).end());
    handlers.set('/loop', (_req, res) => res.writeHead(302, { Location: '/loop' }).end());
    handlers.set('/no-location', (_req, res) => res.writeHead(302).end('stay'));
    const routes: string[] = [];
    const refuseOthers: Route = (url) => (routes.push(url.href), url.hostname === '127.0.0.1' ? url : { refused: `${url.hostname} is not a local address` });
    const c = client();
    expect(await c.send(new URL(`${base}/away`), 'GET', {}, undefined, refuseOthers)).toEqual({ networkError: 'elsewhere.example.com is not a local address' });
    expect(routes).toEqual(['https://elsewhere.example.com/x']);
    expect(await c.send(new URL(`${base}/loop`), 'GET', {}, undefined, allow)).toEqual({ networkError: 'redirect count exceeded' });
    expect(seen.filter((s) => s.path === '/loop')).toHaveLength(21);
    // A 3xx without a Location is an answer like any other.
    expect(await c.send(new URL(`${base}/no-location`), 'GET', {}, undefined, allow)).toMatchObject({ status: 302, body: 'stay' });
  });

  it('fails with TimeoutError when no answer comes before the deadline, and with the error code when nothing listens', async () => {
    let hung: ServerResponse | undefined;
    handlers.set('/hang', (_req, res) => (hung = res));
    expect(await client({ timeoutMs: 50 }).send(new URL(`${base}/hang`), 'GET', {}, undefined, allow)).toEqual({ networkError: 'TimeoutError' });
    hung?.destroy();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await client().send(new URL(`http://127.0.0.1:${port}/`), 'POST', signed, form, allow)).toEqual({ networkError: 'ECONNREFUSED' });
  });

  it('fails with ECONNRESET when the connection closes before the whole answer came', async () => {
    handlers.set('/cut', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': '100' });
      res.write('<Response>', () => res.socket?.destroy());
    });
    expect(await client().send(new URL(`${base}/cut`), 'GET', {}, undefined, allow)).toEqual({ networkError: 'ECONNRESET' });
  });

  it('keeps a connection alive between requests, but never reuses one idle for as long as its server may keep it', async () => {
    let now = 0;
    const c = client({ now: () => now });
    const connection = async (path = '/') => {
      const answer = await c.send(new URL(base + path), 'GET', {}, undefined, allow);
      expect(answer).toMatchObject({ status: 200 });
      return seen.at(-1)!.connection;
    };
    const first = await connection();
    now += 3_999;
    expect(await connection()).toBe(first);
    // Idle 4 s (Node's server closes after 5 s): a new connection, even though no timer has fired.
    now += 4_000;
    const second = await connection();
    expect(second).not.toBe(first);
    // A server that announces Keep-Alive: timeout=1 is never sent a request on an idle socket.
    handlers.set('/short', (_req, res) => res.writeHead(200, { 'Keep-Alive': 'timeout=1' }).end('ok'));
    const third = await connection('/short');
    expect(await connection('/short')).not.toBe(third);
  });
});
