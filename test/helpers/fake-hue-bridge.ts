// A loopback fake of the Hue bridge's v1 API: the routes node-hue-api 4.0.11 calls to pair, list
// and flash, with the bridge's error shapes (HTTP 200 + [{"error":…}]). Plain HTTP on a random
// port, or HTTPS with a self-signed certificate whose CN is the bridge id (what createLocal checks).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeLight {
  name: string;
  type: string;
  modelid: string;
  state: Record<string, unknown>;
}

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeBridgeOptions {
  bridgeId?: string;
  lights?: Record<string, FakeLight>;
  /** Users the bridge already knows. */
  users?: string[];
  /** The link button state; pairing answers 101 while false. */
  linkPressed?: boolean;
  /** Press the button by itself after this many refused pairing attempts. */
  pressAfter?: number;
  /** Accept connections but never answer (a hung bridge). */
  silent?: boolean;
}

export interface FakeBridge {
  readonly url: string;
  readonly port: number;
  readonly bridgeId: string;
  readonly calls: RecordedCall[];
  readonly users: Set<string>;
  readonly lights: Record<string, FakeLight>;
  linkPressed: boolean;
  /** The recorded light state PUTs, as [id, body]. */
  lightStates(): [string, unknown][];
  close(): Promise<void>;
}

export const FAKE_BRIDGE_ID = '001788FFFE0A1B2C';

export function defaultLights(): Record<string, FakeLight> {
  const color = (name: string): FakeLight => ({
    name,
    type: 'Extended color light',
    modelid: 'LCT015',
    state: {
      on: false, bri: 254, hue: 8418, sat: 140, effect: 'none', xy: [0.4573, 0.41], ct: 366,
      alert: 'none', colormode: 'ct', mode: 'homeautomation', reachable: true,
    },
  });
  return {
    '1': color('Hall'),
    '2': { name: 'Kitchen', type: 'Dimmable light', modelid: 'LWB010',
      state: { on: true, bri: 200, alert: 'none', mode: 'homeautomation', reachable: true } },
    '3': color('Living room'),
    '4': { name: 'Porch plug', type: 'On/Off plug-in unit', modelid: 'LOM001',
      state: { on: false, alert: 'select', mode: 'homeautomation', reachable: false } },
  };
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const hueError = (type: number, address: string, description: string) => [{ error: { type, address, description } }];

function handler(bridge: FakeBridge & { pressAfter?: number; refused: number; nextUser: number }) {
  const config = () => ({
    name: 'Fake Hue', datastoreversion: '131', swversion: '1958077010', apiversion: '1.58.0',
    mac: '00:17:88:0a:1b:2c', bridgeid: bridge.bridgeId, factorynew: false, replacesbridgeid: null,
    modelid: 'BSB002', starterkitid: '',
  });
  return (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const path = new URL(req.url ?? '/', 'http://bridge').pathname;
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return json(res, hueError(2, path, 'body contains invalid json'));
    }
    const method = req.method ?? 'GET';
    bridge.calls.push({ method, path, body });
    const parts = path.split('/').filter(Boolean); // ['api', user?, resource?, id?, sub?]
    if (parts[0] !== 'api') return json(res, hueError(4, path, `method, ${method}, not available for resource, ${path}`));
    if (method === 'GET' && parts.length === 2 && (parts[1] === 'config' || parts[1] === 'nouser')) return json(res, config());
    if (method === 'POST' && parts.length === 1) {
      if (!bridge.linkPressed && bridge.pressAfter !== undefined && bridge.refused >= bridge.pressAfter) bridge.linkPressed = true;
      if (!bridge.linkPressed) {
        bridge.refused += 1;
        return json(res, hueError(101, '', 'link button not pressed'));
      }
      const username = `fakeuser${String(bridge.nextUser++).padStart(4, '0')}abcdefghijklmnopqrstuvwxyz`;
      bridge.users.add(username);
      return json(res, [{ success: { username, clientkey: '0123456789ABCDEF0123456789ABCDEF' } }]);
    }
    const user = parts[1] ?? '';
    if (!bridge.users.has(user)) return json(res, hueError(1, `/${parts.slice(2).join('/')}`, 'unauthorized user'));
    const [resource, id, sub] = parts.slice(2);
    if (method === 'GET' && resource === undefined) {
      return json(res, {
        lights: bridge.lights, groups: {}, config: { ...config(), whitelist: {} },
        schedules: {}, scenes: {}, rules: {}, sensors: {}, resourcelinks: {},
      });
    }
    if (method === 'GET' && resource === 'lights' && id === undefined) return json(res, bridge.lights);
    if (method === 'PUT' && resource === 'lights' && id !== undefined && sub === 'state') {
      const light = bridge.lights[id];
      if (!light) return json(res, hueError(3, `/lights/${id}/state`, `resource, /lights/${id}/state, not available`));
      const changes = (body ?? {}) as Record<string, unknown>;
      Object.assign(light.state, changes);
      return json(res, Object.entries(changes).map(([k, v]) => ({ success: { [`/lights/${id}/state/${k}`]: v } })));
    }
    if (method === 'PUT' && resource === 'groups' && id !== undefined && sub === 'action') {
      if (id !== '0') return json(res, hueError(3, `/groups/${id}`, `resource, /groups/${id}, not available`));
      const changes = (body ?? {}) as Record<string, unknown>;
      for (const light of Object.values(bridge.lights)) Object.assign(light.state, changes);
      return json(res, Object.entries(changes).map(([k, v]) => ({ success: { [`/groups/${id}/action/${k}`]: v } })));
    }
    return json(res, hueError(3, path, `resource, ${path}, not available`));
  };
}

async function serve(server: Server, options: FakeBridgeOptions, port: number, scheme: 'http' | 'https'): Promise<FakeBridge> {
  const state = {
    bridgeId: options.bridgeId ?? FAKE_BRIDGE_ID,
    calls: [] as RecordedCall[],
    users: new Set(options.users ?? []),
    lights: options.lights ?? defaultLights(),
    linkPressed: options.linkPressed ?? false,
    pressAfter: options.pressAfter,
    refused: 0,
    nextUser: 1,
    url: '',
    port: 0,
    lightStates(): [string, unknown][] {
      return state.calls
        .filter((c) => c.method === 'PUT' && /^\/api\/[^/]+\/lights\/\d+\/state$/.test(c.path))
        .map((c) => [c.path.split('/')[4] ?? '', c.body]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const handle = handler(state);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (options.silent) return; // hold the request open: a hung bridge
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => handle(req, res, raw));
  });
  // No 5 s idle keep-alive timer: it races same-process clients whose event loop was busy longer.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  state.port = (server.address() as { port: number }).port;
  state.url = `${scheme}://127.0.0.1:${state.port}`;
  return state;
}

/** The fake over plain HTTP on 127.0.0.1 and a random port: reach it as `http://127.0.0.1:PORT`. */
export function startFakeHueBridge(options: FakeBridgeOptions = {}): Promise<FakeBridge> {
  return serve(createHttpServer(), options, 0, 'http');
}

/** A self-signed certificate for `cn`, made with openssl (the bridge's CN is its lower-case id). */
export function selfSignedCertificate(cn: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-hue-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', `/CN=${cn}`, '-days', '2', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The fake over HTTPS, on 443 by default: node-hue-api's createLocal fetches the certificate from
 * port 443 whatever port it was given, and compares its CN with the bridge id.
 */
export function startFakeHueBridgeHttps(
  options: FakeBridgeOptions & { certificateCn?: string; port?: number } = {},
): Promise<FakeBridge> {
  const { key, cert } = selfSignedCertificate(options.certificateCn ?? (options.bridgeId ?? FAKE_BRIDGE_ID).toLowerCase());
  return serve(createHttpsServer({ key, cert }), options, options.port ?? 443, 'https');
}

/** Whether this process may listen on 127.0.0.1:443, and if not, why. */
export async function probePort443(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const server = createNetServer();
  return new Promise((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ ok: false, reason: `cannot listen on 127.0.0.1:443 (${err.code ?? err.message})` }),
    );
    server.listen(443, '127.0.0.1', () => server.close(() => resolve({ ok: true })));
  });
}

/** A loopback port with nothing listening: connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
