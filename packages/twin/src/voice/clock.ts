// Virtual time. The twin's clock only moves when the scheduler fires the next timers, and the
// scheduler moves on only when all in-flight work has settled: a 60-second call takes
// milliseconds, and nothing waits on the wall clock. Timers due at the same instant fire together.
import type { Clock } from '../clock.js';
import type { Inflight } from './inflight.js';

export class VirtualClock implements Clock {
  private ms: number;

  constructor(start: Date = new Date()) {
    this.ms = start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  nowMs(): number {
    return this.ms;
  }

  /** Only the scheduler moves time, and only forwards. */
  moveTo(ms: number): void {
    if (ms > this.ms) this.ms = ms;
  }
}

export interface Timer {
  cancel(): void;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export interface SchedulerOptions {
  /** Move time on by itself whenever everything settled (default true here; the twin passes false). */
  autoAdvance?: boolean;
  /** Called when a timer's callback throws (the scheduler goes on). */
  onError?: (error: unknown) => void;
}

export class Scheduler {
  private timers: Entry[] = [];
  private seq = 0;
  private driving = false;
  private idleWaiters: Array<() => void> = [];
  /** Timers due after this instant wait (Infinity when advancing by itself). */
  private horizon: number;
  private closed = false;

  constructor(
    readonly clock: VirtualClock,
    readonly inflight: Inflight,
    private readonly options: SchedulerOptions = {},
  ) {
    this.horizon = this.resting();
  }

  /** Runs fn after `seconds` of virtual time. */
  after(seconds: number, fn: () => void): Timer {
    const entry: Entry = { at: this.clock.nowMs() + Math.max(0, seconds) * 1000, seq: this.seq++, fn, cancelled: false };
    // Keep sorted by (at, seq): binary search for the insertion point.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.timers[mid]!;
      if (t.at < entry.at || (t.at === entry.at && t.seq < entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, entry);
    this.kick();
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => this.after(seconds, resolve));
  }

  /** Seconds of virtual time since `startMs`. */
  elapsed(startMs: number): number {
    return (this.clock.nowMs() - startMs) / 1000;
  }

  /** Where the horizon rests between plays: nothing fires unless time runs by itself. */
  private resting(): number {
    return this.options.autoAdvance === false ? -Infinity : Infinity;
  }

  private nextDue(): Entry | undefined {
    while (this.timers.length && this.timers[0]!.cancelled) this.timers.shift();
    const next = this.timers[0];
    return next && next.at <= this.horizon ? next : undefined;
  }

  private kick(): void {
    if (this.driving || this.closed) return;
    this.driving = true;
    void this.drive();
  }

  private async drive(): Promise<void> {
    try {
      for (;;) {
        await this.inflight.quiet();
        if (this.closed) break;
        const next = this.nextDue();
        if (!next) break;
        const instant = next.at;
        this.clock.moveTo(instant);
        // Everything due at this instant fires before anything settles: what happens at the same
        // moment (two tenants pressing 9, a press and a ring timeout) is in flight together, as on
        // Twilio, instead of one running to its end before the other starts.
        // (Timers that these set for the same instant are caused by them: they fire after it settles.)
        const batch = this.seq;
        for (let due = this.nextDue(); due && due.at === instant && due.seq < batch; due = this.nextDue()) {
          this.timers.shift();
          try {
            due.fn();
          } catch (e) {
            this.options.onError?.(e);
          }
        }
      }
    } finally {
      this.driving = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async idle(): Promise<void> {
    for (;;) {
      await this.inflight.quiet();
      if (!this.driving && !this.nextDue()) return;
      if (!this.driving) this.kick();
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /** Runs everything that will ever happen: returns when no timer is left and nothing is in flight. */
  async settle(): Promise<void> {
    this.horizon = Infinity;
    try {
      await this.idle();
    } finally {
      this.horizon = this.resting();
    }
  }

  /** Runs what is due within the next `seconds` of virtual time, then stops there. */
  async advance(seconds: number): Promise<void> {
    const target = this.clock.nowMs() + seconds * 1000;
    this.horizon = target;
    try {
      await this.idle();
      this.clock.moveTo(target);
    } finally {
      this.horizon = this.resting();
      if (this.horizon === Infinity) this.kick();
    }
  }

  /** Pending (not cancelled) timers. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  close(): void {
    this.closed = true;
    this.timers = [];
  }
}
