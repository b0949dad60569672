// The buzzes in progress, kept in a small file in the config folder, so an agent killed and
// restarted in the middle of a buzz carries on: a tenant's key press still finds its buzz, the
// ring deadline is armed again, the wrong entry codes still count. Each write is a whole new file
// renamed over the old one (never half a file), mode 0600 (it names the tenants' numbers).
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

export interface JournalContents {
  buzzes: Buzz[];
  entryGuard: EntryGuardSnapshot;
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

  constructor(
    readonly path: string,
    private readonly log: AgentLogger,
  ) {}

  /** What the last agent left; nothing (and a warning) when the file is unreadable or foreign. */
  load(now: Date): JournalContents {
    const empty: JournalContents = { buzzes: [], entryGuard: {} };
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('journal.unreadable', { path: this.path, error: (err as Error).message });
      return empty;
    }
    try {
      const doc = JSON.parse(text) as { version?: unknown; buzzes?: unknown; entryGuard?: unknown };
      if (doc.version !== VERSION || !Array.isArray(doc.buzzes)) throw new Error(`not a version ${VERSION} journal`);
      const buzzes = doc.buzzes.map(decode).filter((b): b is Buzz => b !== undefined && worthKeeping(b, now.getTime()));
      const entryGuard = doc.entryGuard && typeof doc.entryGuard === 'object' ? (doc.entryGuard as EntryGuardSnapshot) : {};
      this.last = text;
      return { buzzes, entryGuard };
    } catch (err) {
      this.log.warn('journal.unreadable', { path: this.path, error: (err as Error).message });
      return empty;
    }
  }

  /** Writes the buzzes still going on, when anything changed since the last write. */
  save(buzzes: readonly Buzz[], entryGuard: EntryGuardSnapshot, now: Date): void {
    const live = buzzes.filter((b) => worthKeeping(b, now.getTime())).map(encode);
    const text = `${JSON.stringify({ version: VERSION, buzzes: live, entryGuard })}\n`;
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
