// The HueBridge contract the CLI and the buzzer agent use, and its typed errors. Adapters (today
// node-hue-api over the v1 API) translate their library's failures into these, so callers never
// look inside a third-party error.
import { ExitCode, HomephoneError, type ErrorOptions } from '../errors.js';

export interface HueLight {
  /** The bridge's v1 light id ("1", "2", …). */
  id: string;
  name: string;
  /** The bridge's type text, e.g. "Extended color light", "On/Off plug-in unit". */
  type: string;
  reachable: boolean;
  on: boolean;
}

/** What the bridge tells anyone, paired or not (GET /api/config). */
export interface BridgeInfo {
  /** Lower-case bridge id, e.g. "001788fffea532a7". */
  bridgeId: string;
  name: string;
  modelId: string;
  apiVersion: string;
}

export interface PairResult {
  /** The whitelisted user name: a secret (it is the key to the bridge). */
  username: string;
  clientKey?: string;
}

export interface FlashOptions {
  /** `long` breathes for about 15 s (v1 `lselect`), `short` once (`select`). Default `long`. */
  length?: 'long' | 'short';
  /** Overall deadline for this flash, connection included. */
  timeoutMs?: number;
}

/** The outcome of one flash. `flash()` resolves with this and never rejects. */
export type FlashResult =
  | { ok: true; lights: string[] | 'all' }
  | { ok: false; lights: string[] | 'all'; flashed: string[]; error: HueError };

export interface HueBridge {
  /** The canonical address, as stored in hue.bridgeAddress (a host, or http://host:port for emulators and tests). */
  readonly address: string;
  info(): Promise<BridgeInfo>;
  /** One pairing attempt: rejects with HueLinkButtonError until the link button was pressed. */
  pair(appName: string, deviceName: string): Promise<PairResult>;
  listLights(): Promise<HueLight[]>;
  /**
   * Flashes the lights (`'all'` = every light, through group 0). Quick and bounded by a short
   * timeout; resolves with the outcome instead of rejecting, so a caller may fire and forget.
   */
  flash(lights: readonly string[] | 'all', options?: FlashOptions): Promise<FlashResult>;
  /** Ends a long flash early (`{"alert":"none"}`). */
  stopFlash(lights: readonly string[] | 'all'): Promise<void>;
}

export type HueErrorKind =
  | 'link-button'
  | 'pairing-timeout'
  | 'unauthorized'
  | 'unreachable'
  | 'timeout'
  | 'certificate'
  | 'not-found'
  | 'discovery'
  | 'bridge';

/** Any failure talking to a Hue bridge. `kind` says which; subclasses exist for the ones callers handle. */
export class HueError extends HomephoneError {
  readonly kind: HueErrorKind;
  /** The v1 error type when the bridge sent one (1, 3, 101…). */
  readonly hueType: number | undefined;

  constructor(kind: HueErrorKind, message: string, options: ErrorOptions & { hueType?: number } = {}) {
    super(message, options);
    this.kind = kind;
    this.hueType = options.hueType;
  }
}

/** v1 error 101: the link button has not been pressed in the last 30 s or so. */
export class HueLinkButtonError extends HueError {
  constructor(options: ErrorOptions = {}) {
    super('link-button', 'the link button on the Hue bridge has not been pressed', {
      hint: 'press the round link button on top of the bridge, then pair within 30 seconds',
      ...options,
      hueType: 101,
    });
  }
}

/** Pairing gave up: the button was not pressed before the deadline. */
export class HuePairingTimeoutError extends HueError {
  constructor(seconds: number, options: ErrorOptions = {}) {
    super('pairing-timeout', `the link button on the Hue bridge was not pressed within ${seconds} s`, {
      hint: 'press the round link button on top of the bridge first, then run the pairing again within 30 seconds',
      ...options,
      hueType: 101,
    });
  }
}

/** v1 error 1: the stored user name is unknown to this bridge (deleted, or another bridge). */
export class HueUnauthorizedError extends HueError {
  override readonly exitCode = ExitCode.auth;

  constructor(options: ErrorOptions = {}) {
    super('unauthorized', 'the Hue bridge does not know this user (unauthorized user)', {
      hint: 'pair again: homephone hue pair',
      ...options,
      hueType: 1,
    });
  }
}

/** The bridge did not answer: refused, no route, unknown host, or (HueTimeoutError) too slow. */
export class HueUnreachableError extends HueError {
  constructor(address: string, reason: string, options: ErrorOptions & { kind?: 'unreachable' | 'timeout' } = {}) {
    const { kind = 'unreachable', ...rest } = options;
    super(kind, `cannot reach the Hue bridge at ${address}: ${reason}`, {
      hint: 'check that the bridge is powered and on this network, and its address (homephone config get hue.bridgeAddress)',
      ...rest,
    });
  }
}

export class HueTimeoutError extends HueUnreachableError {
  constructor(address: string, timeoutMs: number, options: ErrorOptions = {}) {
    super(address, `no answer within ${timeoutMs} ms`, { ...options, kind: 'timeout' });
  }
}

export function isHueError(err: unknown): err is HueError {
  return err instanceof HueError;
}
