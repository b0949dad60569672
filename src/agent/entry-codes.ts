// Entry codes a visitor can type at the door. Stored only as salted scrypt hashes, in the monitor
// code's format (hashed by the same library, templates/functions/lib/monitor-code.js). Checked
// here with the asynchronous scrypt, so a visitor typing a code never stalls another buzz's
// webhook, and always against every stored code, so the time taken says nothing about which
// (or whether one) matched.
import { scrypt, timingSafeEqual } from 'node:crypto';
import type { EntryCode } from '../config/schema.js';

/** The same bound as the monitor-code library: about a second of CPU at most per code. */
const MAX_WORK = 16 * 16384 * 8;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const f = stored.split('$');
  if (f.length !== 6 || f[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(f[1]), Number(f[2]), Number(f[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || (N & (N - 1)) !== 0 || N * r * p > MAX_WORK) return undefined;
  if (!BASE64.test(f[4] ?? '') || !BASE64.test(f[5] ?? '')) return undefined;
  const salt = Buffer.from(f[4]!, 'base64');
  const hash = Buffer.from(f[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return undefined;
  return { N, r, p, salt, hash };
}

function derive(code: string, parsed: Parsed): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const { N, r, p, salt, hash } = parsed;
    scrypt(code, salt, hash.length, { N, r, p, maxmem: 256 * N * r }, (err, key) => resolve(err ? undefined : key));
  });
}

/** The name of the entry code `typed` matches, if any. */
export async function matchEntryCode(typed: string, codes: readonly EntryCode[]): Promise<string | undefined> {
  const shaped = /^\d{4,8}$/.test(typed);
  const results = await Promise.all(
    codes.map(async (c) => {
      const parsed = parse(c.hash);
      if (!parsed) return false;
      // Derive even for a badly shaped code, so a wrong length takes as long as a wrong code.
      const key = await derive(shaped ? typed : '0000', parsed);
      return shaped && key !== undefined && key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
    }),
  );
  const i = results.indexOf(true);
  return i < 0 ? undefined : codes[i]!.name;
}

/** Wrong entry codes from one number, across buzzes, before codes are refused for a while. */
export const WRONG_CODE_LIMIT = 5;
/** The sliding window those wrong codes are counted in. */
export const WRONG_CODE_WINDOW_MS = 10 * 60_000;
/** How long codes are refused once the limit is reached. */
export const CODE_COOL_DOWN_MS = 15 * 60_000;
/** Tries remembered per number: enough to decide, so a flood cannot grow the list. */
const KEPT_TRIES = 64;

interface Try {
  /** The buzz it was typed in; undefined once it counted for good. */
  buzz: string | undefined;
  at: number;
}

interface NumberState {
  tries: Try[];
  lockedUntil: number;
}

/** The guard's state as the journal keeps it. */
export interface EntryGuardSnapshot {
  [from: string]: { tries: Array<{ buzz?: string; at: number }>; lockedUntil: number };
}

/**
 * Counts wrong entry codes per calling number in a sliding window, across buzzes. A try is counted
 * when the code prompt is given, and given back only when the visitor typed the right code or let
 * the prompt time out to ring the tenants: so a visitor who hangs up at the prompt (Twilio tells
 * the agent nothing then) has spent a try. Past the limit, codes are refused for a cool-down.
 */
export class EntryCodeGuard {
  private readonly numbers = new Map<string, NumberState>();

  constructor(
    readonly limit = WRONG_CODE_LIMIT,
    readonly windowMs = WRONG_CODE_WINDOW_MS,
    readonly coolDownMs = CODE_COOL_DOWN_MS,
  ) {}

  private state(from: string, now: number): NumberState {
    let s = this.numbers.get(from);
    if (!s) {
      s = { tries: [], lockedUntil: 0 };
      this.numbers.set(from, s);
    }
    s.tries = s.tries.filter((t) => now - t.at < this.windowMs).slice(-KEPT_TRIES);
    return s;
  }

  /**
   * Whether `from` may type a code now (`buzz` is the one asking: its own open try does not count
   * against it). `locked` is true only on the call that started a cool-down: text the tenants then.
   */
  check(from: string, now: Date, buzz: string): { allowed: boolean; locked: boolean; until: Date } {
    const s = this.state(from, now.getTime());
    if (s.lockedUntil > now.getTime()) return { allowed: false, locked: false, until: new Date(s.lockedUntil) };
    const counted = s.tries.filter((t) => t.buzz !== buzz).length;
    if (counted < this.limit) return { allowed: true, locked: false, until: new Date(0) };
    s.lockedUntil = now.getTime() + this.coolDownMs;
    s.tries = [];
    return { allowed: false, locked: true, until: new Date(s.lockedUntil) };
  }

  /** The code prompt is given for `buzz`: one try is spent until it is given back. */
  prompted(from: string, now: Date, buzz: string): void {
    const s = this.state(from, now.getTime());
    if (!s.tries.some((t) => t.buzz === buzz)) s.tries.push({ buzz, at: now.getTime() });
  }

  /** The visitor typed a wrong code: the open try counts for good. */
  wrong(from: string, now: Date, buzz: string): void {
    const s = this.state(from, now.getTime());
    const open = s.tries.find((t) => t.buzz === buzz);
    if (open) open.buzz = undefined;
    else s.tries.push({ buzz: undefined, at: now.getTime() });
  }

  /** The right code, or no code at all (the visitor chose to ring): the open try is given back. */
  giveBack(from: string, buzz: string): void {
    const s = this.numbers.get(from);
    if (s) s.tries = s.tries.filter((t) => t.buzz !== buzz);
  }

  snapshot(): EntryGuardSnapshot {
    const out: EntryGuardSnapshot = {};
    for (const [from, s] of this.numbers) {
      if (s.tries.length || s.lockedUntil) out[from] = { tries: s.tries.map((t) => ({ ...(t.buzz ? { buzz: t.buzz } : {}), at: t.at })), lockedUntil: s.lockedUntil };
    }
    return out;
  }

  restore(snapshot: EntryGuardSnapshot): void {
    for (const [from, s] of Object.entries(snapshot)) {
      if (!Array.isArray(s?.tries) || typeof s.lockedUntil !== 'number') continue;
      const tries = s.tries.filter((t) => typeof t?.at === 'number').map((t) => ({ buzz: typeof t.buzz === 'string' ? t.buzz : undefined, at: t.at }));
      this.numbers.set(from, { tries: tries.slice(-KEPT_TRIES), lockedUntil: s.lockedUntil });
    }
  }
}
