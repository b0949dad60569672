// HueBridge over node-hue-api 4.0.11 (the v1 API). The library is loaded lazily, and only after
// NODE_HUE_API_USE_INSECURE_CONNECTION is set: it reads that variable once, at load, and otherwise
// console.logs a warning on stdout (breaking --json) whenever a plain-HTTP connection is made.
//
// Its requests have no timeout of their own, so this adapter sets one on the library's private
// axios copy and also races every call against a deadline: an unreachable bridge fails fast, and
// the buzzer never waits on the lights.
import { createRequire } from 'node:module';
import { InputError } from '../errors.js';
import {
  HueError,
  HueLinkButtonError,
  HueTimeoutError,
  HueUnauthorizedError,
  HueUnreachableError,
  type BridgeInfo,
  type FlashOptions,
  type FlashResult,
  type HueBridge,
  type HueLight,
  type PairResult,
} from './bridge.js';
import { parseBridgeAddress, type BridgeAddress } from './discovery.js';

/** The parts of node-hue-api's v3 Api this adapter uses (its JSDoc types are loose). */
interface LibApi {
  getCachedState(): Promise<unknown>;
  configuration: {
    getAll(): Promise<unknown>;
    getUnauthenticatedConfig(): Promise<{ config?: Record<string, unknown> }>;
  };
  users: { createUser(appName: string, deviceName: string): Promise<{ username: string; clientkey?: string }> };
  lights: {
    getAll(): Promise<{ id: number; name: string; type: string; state: Record<string, unknown> }[]>;
    setLightState(id: number, state: unknown): Promise<unknown>;
  };
  groups: { setGroupState(id: number, state: unknown): Promise<unknown> };
}

type Alert = 'lselect' | 'select' | 'none';

interface Library {
  createLocal(host: string, port: number, timeoutMs: number, username: string | undefined): Promise<LibApi>;
  createInsecureLocal(host: string, port: number, username: string | undefined): Promise<LibApi>;
  lightState(on: boolean | undefined, alert: Alert): unknown;
  groupState(on: boolean | undefined, alert: Alert): unknown;
  /** The library's own axios defaults (its private axios 0.30 copy, not the app's). */
  axiosDefaults: { timeout?: number };
}

let library: Promise<Library> | undefined;

function loadLibrary(): Promise<Library> {
  library ??= (async () => {
    process.env.NODE_HUE_API_USE_INSECURE_CONNECTION ??= '1';
    const mod = await import('node-hue-api');
    const { v3 } = mod.default;
    const requireFromHue = createRequire(createRequire(import.meta.url).resolve('node-hue-api'));
    const axios = requireFromHue('axios') as { defaults: { timeout?: number } };
    const withAlert = <S extends { alert(value: string): S; on(value: boolean): S }>(s: S, on: boolean | undefined, alert: Alert) =>
      (on === undefined ? s : s.on(on)).alert(alert);
    return {
      createLocal: (host, port, timeoutMs, username) =>
        v3.api.createLocal(host, port).connect(username, undefined, timeoutMs) as Promise<unknown> as Promise<LibApi>,
      createInsecureLocal: (host, port, username) =>
        v3.api.createInsecureLocal(host, port).connect(username, undefined) as Promise<unknown> as Promise<LibApi>,
      lightState: (on, alert) => withAlert(new v3.lightStates.LightState(), on, alert),
      groupState: (on, alert) => withAlert(new v3.lightStates.GroupLightState(), on, alert),
      axiosDefaults: axios.defaults,
    };
  })();
  return library;
}

export interface NodeHueBridgeOptions {
  /** A bridge address as parseBridgeAddress accepts it, or already parsed. */
  address: string | BridgeAddress;
  /** The paired user name; needed for everything but info() and pair(). */
  username?: string;
  /** Deadline for each call (connection included). */
  timeoutMs?: number;
  /** Default deadline for flash(): short, because a buzz must not wait on the lights. */
  flashTimeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_FLASH_TIMEOUT_MS = 2500;

export function createNodeHueBridge(options: NodeHueBridgeOptions): HueBridge {
  return new NodeHueApiBridge(options);
}

class NodeHueApiBridge implements HueBridge {
  readonly address: string;
  readonly #target: BridgeAddress;
  readonly #timeoutMs: number;
  readonly #flashTimeoutMs: number;
  #username: string | undefined;
  /** One connection per mode, reused (the agent flashes on every buzz); dropped after any failure. */
  #sessions: { user?: Promise<LibApi>; anonymous?: Promise<LibApi> } = {};

  constructor(options: NodeHueBridgeOptions) {
    this.#target = typeof options.address === 'string' ? parseBridgeAddress(options.address) : options.address;
    this.address = this.#target.text;
    this.#username = options.username;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#flashTimeoutMs = options.flashTimeoutMs ?? DEFAULT_FLASH_TIMEOUT_MS;
  }

  info(): Promise<BridgeInfo> {
    return this.#call(this.#timeoutMs, async () => {
      const api = await this.#session('anonymous');
      const config = (await api.configuration.getUnauthenticatedConfig()).config ?? {};
      const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : '');
      if (!text('bridgeid')) throw new HueError('bridge', `${this.address} answered, but not like a Hue bridge (no bridge id)`);
      return {
        bridgeId: text('bridgeid').toLowerCase(),
        name: text('name'),
        modelId: text('modelid'),
        apiVersion: text('apiversion'),
      };
    });
  }

  async pair(appName: string, deviceName: string): Promise<PairResult> {
    // The bridge joins them as "app#device" and refuses longer parts; the library doesn't check.
    if (!appName || appName.length > 20) throw new InputError('the Hue application name must be 1 to 20 characters');
    if (!deviceName || deviceName.length > 19) throw new InputError('the Hue device name must be 1 to 19 characters');
    return this.#call(this.#timeoutMs, async () => {
      const api = await this.#session('anonymous');
      const user = await api.users.createUser(appName, deviceName);
      this.#username = user.username;
      delete this.#sessions.user;
      return { username: user.username, ...(user.clientkey ? { clientKey: user.clientkey } : {}) };
    });
  }

  listLights(): Promise<HueLight[]> {
    return this.#call(this.#timeoutMs, async () => {
      const api = await this.#session('user');
      const lights = await api.lights.getAll();
      return lights
        .map((light) => ({
          id: String(light.id),
          name: light.name,
          type: light.type,
          reachable: light.state.reachable !== false,
          on: light.state.on === true,
        }))
        .sort((a, b) => Number(a.id) - Number(b.id));
    });
  }

  async flash(lights: readonly string[] | 'all', options: FlashOptions = {}): Promise<FlashResult> {
    const ids = lights === 'all' ? 'all' : [...new Set(lights)];
    const flashed: string[] = [];
    try {
      const alert = options.length === 'short' ? 'select' : 'lselect';
      await this.#call(options.timeoutMs ?? this.#flashTimeoutMs, () => this.#alert(ids, true, alert, flashed));
      return { ok: true, lights: ids };
    } catch (err) {
      return { ok: false, lights: ids, flashed: [...flashed], error: toHueError(err, this.address, this.#timeoutMs) };
    }
  }

  async stopFlash(lights: readonly string[] | 'all'): Promise<void> {
    const ids = lights === 'all' ? 'all' : [...new Set(lights)];
    await this.#call(this.#flashTimeoutMs, () => this.#alert(ids, undefined, 'none', []));
  }

  /** Sends an alert to each light (in parallel; the library spaces them ~60 ms apart) or to group 0. */
  async #alert(ids: string[] | 'all', on: boolean | undefined, alert: Alert, done: string[]): Promise<void> {
    const lib = await loadLibrary();
    const api = await this.#session('user');
    if (ids === 'all') {
      await api.groups.setGroupState(0, lib.groupState(on, alert));
      return;
    }
    const bad = ids.find((id) => !/^\d+$/.test(id));
    if (bad !== undefined) throw new HueError('not-found', `"${bad}" is not a Hue light id (ids are numbers)`);
    const outcomes = await Promise.allSettled(
      ids.map(async (id) => {
        await api.lights.setLightState(Number(id), lib.lightState(on, alert));
        done.push(id);
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Runs one call under a deadline, translating every failure to a HueError. */
  async #call<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HueTimeoutError(this.address, timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([work(), deadline]);
    } catch (err) {
      // A stale session (the bridge restarted, lights were added, the user was deleted) must not
      // poison the next call.
      this.#sessions = {};
      throw toHueError(err, this.address, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  #session(mode: 'user' | 'anonymous'): Promise<LibApi> {
    const cached = this.#sessions[mode];
    if (cached) return cached;
    const username = mode === 'user' ? this.#username : undefined;
    if (mode === 'user' && !username) {
      return Promise.reject(new HueUnauthorizedError({ hint: 'pair first: homephone hue pair' }));
    }
    const session = this.#connect(username);
    // Drop a failed connection at once; the caller still sees the rejection through #call.
    session.catch(() => {
      if (this.#sessions[mode] === session) delete this.#sessions[mode];
    });
    this.#sessions[mode] = session;
    return session;
  }

  async #connect(username: string | undefined): Promise<LibApi> {
    const lib = await loadLibrary();
    lib.axiosDefaults.timeout = this.#timeoutMs;
    const { protocol, host, port } = this.#target;
    const api =
      protocol === 'http'
        ? await lib.createInsecureLocal(host, port, username)
        : await lib.createLocal(host, port, this.#timeoutMs, username);
    // The library loads the bridge state in the background and swallows a failure, leaving later
    // calls to die on a null. Wait for it, and on failure ask again to surface the real error.
    if ((await api.getCachedState()) === null) {
      await (username ? api.configuration.getAll() : api.configuration.getUnauthenticatedConfig());
      throw new HueError('bridge', `${this.address} did not send its state`);
    }
    return api;
  }
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  EHOSTDOWN: 'the host is down',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  EADDRNOTAVAIL: 'the address is not available',
};

/** Translates whatever node-hue-api, axios or node threw into a HueError. */
function toHueError(err: unknown, address: string, timeoutMs: number): HueError {
  if (err instanceof HueError) return err;
  const e = err as {
    message?: unknown;
    code?: unknown;
    response?: { status?: number };
    getHueErrorType?: () => number;
    getHueErrorMessage?: () => string | null;
  };
  const hueType = typeof e?.getHueErrorType === 'function' ? e.getHueErrorType() : -1;
  if (hueType === 101) return new HueLinkButtonError({ cause: err });
  if (hueType === 1) return new HueUnauthorizedError({ cause: err });
  const message = typeof e?.message === 'string' ? e.message : String(err);
  // node-hue-api keeps only the message of a transport error, so read the code back out of it.
  const code = typeof e?.code === 'string' ? e.code : /\b(E[A-Z_]{4,})\b/.exec(message)?.[1];
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout of \d+ms exceeded|timed out/i.test(message)) {
    return new HueTimeoutError(address, timeoutMs, { cause: err });
  }
  if (code && networkReasons[code]) return new HueUnreachableError(address, networkReasons[code], { cause: err });
  if (code === 'EPROTO' || code?.startsWith('ERR_SSL') || /socket hang up|wrong version number/i.test(message)) {
    return new HueUnreachableError(address, `the TLS connection failed (${code ?? message})`, {
      cause: err,
      hint: 'for a plain-HTTP emulator give the address as http://host:port',
    });
  }
  if (/certificate/i.test(message)) {
    return new HueError('certificate', `the Hue bridge at ${address} presented a certificate that does not match its bridge id`, {
      cause: err,
      hint: 'check the address really is your Hue bridge',
    });
  }
  const missing = /Light with id:(\S+) was not found/.exec(message);
  if (missing) {
    return new HueError('not-found', `light ${missing[1]} is not on this bridge`, { cause: err, hint: 'see homephone hue lights' });
  }
  const status = e?.response?.status;
  if (typeof status === 'number') {
    return new HueError('bridge', `${address} answered HTTP ${status}: it does not look like a Hue bridge`, { cause: err });
  }
  if (hueType > 0) {
    return new HueError('bridge', `the Hue bridge refused the request: ${message} (error ${hueType})`, { cause: err, hueType });
  }
  return new HueError('bridge', `the Hue bridge request failed: ${message}`, { cause: err });
}
