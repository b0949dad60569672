// The buzzes in progress, kept in a small file in the config folder, so an agent killed and
// restarted in the middle of a buzz carries on: a tenant's key press still finds its buzz, the
// ring deadline is armed again, the wrong entry codes still count. It also keeps a one-line
// summary of the last few buzzes, however they ended, for the owner's `status` text, and the
// owner's texts already run (their MessageSids), so a signed text replayed after a restart is not
// run again (texts.ts). Each write is
// a whole new file renamed over the old one (never half a file), mode 0600 (it names the tenants'
// numbers).
// No fsync: a killed or crashed process loses nothing the kernel already holds, and a power cut
// ends the calls themselves.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Buzz, type BuzzPhase } from './buzz-state.js';
import type { EntryGuardSnapshot } from './entry-codes.js';
import type { AgentLogger } from './logger.js';

export const JOURNAL_FILE = 'buzzes.json';
const VERSION = 1;
/** A visitor at the code prompt this long ago has gone (the prompt waits seconds, not minutes). */
export const ENTRY_STALE_MS = 10 * 60_000;
/** Twilio ends every call after 4 hours: an older buzz cannot still be going on. */
export const MAX_BUZZ_AGE_MS = 4 * 3600_000;
const LIVE: ReadonlySet<BuzzPhase> = new Set<BuzzPhase>(['entry', 'ringing', 'talking']);
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

/** Buzz summaries kept for `status` (whatever their outcome). */
export const RECENT_KEPT = 5;
const PHASES: ReadonlySet<BuzzPhase> = new Set<BuzzPhase>(['entry', 'ringing', 'talking', 'opened', 'missed', 'gone']);

/** A text command already run: its MessageSid and when (texts.ts decides how many are kept). */
export interface RanText {
  sid: string;
  at: Date;
}
const MESSAGE_SID = /^[SM]M[0-9a-fA-F]{32}$/;

/** How a buzz went, in one line's worth of fields. */
export interface BuzzSummary {
  callSid: string;
  at: Date;
  phase: BuzzPhase;
  /** Who opened the door (phase opened) or answered (talking). */
  by?: string | undefined;
}

export interface JournalContents {
  buzzes: Buzz[];
  entryGuard: EntryGuardSnapshot;
  /** The last buzzes before the restart, newest first. */
  recent: BuzzSummary[];
  /** The texts already run, oldest first (none from a journal written before they were kept). */
  texts: RanText[];
}

export function summarise(b: Buzz): BuzzSummary {
  return { callSid: b.callSid, at: b.at, phase: b.phase, by: b.phase === 'opened' ? b.openedBy : b.phase === 'talking' ? b.winnerLeg?.tenant.name : undefined };
}

/**
 * The `n` newest buzzes, newest first: this agent's own, then those carried over a restart. `buzzes`
 * is in arrival order (the registry's), so only its last `n` are looked at.
 */
export function latestBuzzes(buzzes: readonly Buzz[], carried: readonly BuzzSummary[], n: number): BuzzSummary[] {
  const own = buzzes.slice(-n).map(summarise);
  const seen = new Set(own.map((b) => b.callSid));
  return [...own, ...carried.filter((b) => !seen.has(b.callSid))].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, n);
}

function decodeSummary(raw: unknown): BuzzSummary | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const at = decodeDate(r.at);
  if (typeof r.callSid !== 'string' || !CALL_SID.test(r.callSid) || !at || !PHASES.has(r.phase as BuzzPhase)) return undefined;
  return { callSid: r.callSid, at, phase: r.phase as BuzzPhase, by: typeof r.by === 'string' ? r.by.slice(0, 100) : undefined };
}

function decodeRanText(raw: unknown): RanText | undefined {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const at = decodeDate(r.at);
  return typeof r.sid === 'string' && MESSAGE_SID.test(r.sid) && at ? { sid: r.sid, at } : undefined;
}

/** Whether a buzz is still worth carrying over a restart. */
function worthKeeping(b: Buzz, now: number): boolean {
  const age = now - b.at.getTime();
  if (!LIVE.has(b.phase) || age > MAX_BUZZ_AGE_MS) return false;
  return b.phase !== 'entry' || age < ENTRY_STALE_MS;
}

/** A buzz as plain JSON: every field but its timers; dates marked so they come back as dates. */
function encode(b: Buzz): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) {
    if (typeof v === 'function') continue;
    if (v && typeof v === 'object' && typeof (v as { cancel?: unknown }).cancel === 'function') continue; // a timer
    out[k] = v instanceof Date ? { $date: v.toISOString() } : v;
  }
  return out;
}

function decodeDate(v: unknown): Date | undefined {
  const iso = (v as { $date?: unknown } | null)?.$date;
  const d = typeof iso === 'string' ? new Date(iso) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

function decode(raw: unknown): Buzz | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const at = decodeDate(r.at);
  const phase = r.phase as BuzzPhase;
  if (typeof r.callSid !== 'string' || !CALL_SID.test(r.callSid) || typeof r.room !== 'string' || !at || !LIVE.has(phase)) return undefined;
  if (!Array.isArray(r.legs)) return undefined;
  const buzz = new Buzz(r.callSid, r.room, at, phase);
  for (const [k, v] of Object.entries(r)) {
    if (k === 'callSid' || k === 'room' || k === 'at' || k === 'phase' || k === '__proto__' || k === 'constructor') continue;
    (buzz as unknown as Record<string, unknown>)[k] = decodeDate(v) ?? v;
  }
  return buzz;
}

export class BuzzJournal {
  private last = '';
  private failing = false;
  /** The summaries read back at start: still the latest until newer buzzes push them out. */
  private carried: BuzzSummary[] = [];

  constructor(
    readonly path: string,
    private readonly log: AgentLogger,
  ) {}

  /** What the last agent left; nothing (and a warning) when the file is unreadable or foreign. */
  load(now: Date): JournalContents {
    const empty: JournalContents = { buzzes: [], entryGuard: {}, recent: [], texts: [] };
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('journal.unreadable', { path: this.path, error: (err as Error).message });
      return empty;
    }
    try {
      const doc = JSON.parse(text) as { version?: unknown; buzzes?: unknown; entryGuard?: unknown; recent?: unknown; texts?: unknown };
      if (doc.version !== VERSION || !Array.isArray(doc.buzzes)) throw new Error(`not a version ${VERSION} journal`);
      const buzzes = doc.buzzes.map(decode).filter((b): b is Buzz => b !== undefined && worthKeeping(b, now.getTime()));
      const entryGuard = doc.entryGuard && typeof doc.entryGuard === 'object' ? (doc.entryGuard as EntryGuardSnapshot) : {};
      // Written by an older agent without summaries: none (not a damaged journal).
      const recent = Array.isArray(doc.recent) ? doc.recent.map(decodeSummary).filter((b): b is BuzzSummary => b !== undefined).slice(0, RECENT_KEPT) : [];
      // Likewise without the texts run (an agent from before they were kept).
      const texts = Array.isArray(doc.texts) ? doc.texts.map(decodeRanText).filter((t): t is RanText => t !== undefined) : [];
      this.carried = recent;
      this.last = text;
      return { buzzes, entryGuard, recent, texts };
    } catch (err) {
      this.log.warn('journal.unreadable', { path: this.path, error: (err as Error).message });
      return empty;
    }
  }

  /** Writes the buzzes still going on and the texts run, when anything changed since the last write. */
  save(buzzes: readonly Buzz[], entryGuard: EntryGuardSnapshot, texts: readonly RanText[], now: Date): void {
    const live = buzzes.filter((b) => worthKeeping(b, now.getTime())).map(encode);
    const recent = latestBuzzes(buzzes, this.carried, RECENT_KEPT).map((b) => ({ ...b, at: { $date: b.at.toISOString() } }));
    const ran = texts.map((t) => ({ sid: t.sid, at: { $date: t.at.toISOString() } }));
    const text = `${JSON.stringify({ version: VERSION, buzzes: live, entryGuard, recent, texts: ran })}\n`;
    if (text === this.last) return;
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      rmSync(tmp, { force: true }); // a leftover would keep its own mode
      writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
      renameSync(tmp, this.path);
      this.last = text;
      if (this.failing) this.log.info('journal.writing-again', { path: this.path });
      this.failing = false;
    } catch (err) {
      // A buzz must not fail because the disk did: say so once, keep answering from memory.
      if (!this.failing) this.log.error('journal.write-failed', { path: this.path, error: (err as Error).message });
      this.failing = true;
    }
  }
}
