// The agent's sense of time and its background work. Both are injectable: the scenario tests bind
// time to the twin's virtual clock and report the agent's work to the twin, so a ring timeout
// follows virtual time and the twin waits for the agent's REST calls before moving on.
export interface AgentTimer {
  cancel(): void;
}

export interface AgentClock {
  now(): Date;
  /** Runs fn after `seconds`. */
  after(seconds: number, fn: () => void): AgentTimer;
}

export const systemClock: AgentClock = {
  now: () => new Date(),
  after: (seconds, fn) => {
    const t = setTimeout(fn, seconds * 1000);
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * A clock whose timers all stop at once when the agent stops: nothing the agent scheduled may act
 * after it said it stopped. `onFire` runs after each timer's callback (the journal saves there).
 */
export class StoppableClock implements AgentClock {
  private readonly timers = new Set<AgentTimer>();
  private stopped = false;

  constructor(
    private readonly inner: AgentClock,
    private readonly onFire: () => void = () => {},
  ) {}

  now(): Date {
    return this.inner.now();
  }

  after(seconds: number, fn: () => void): AgentTimer {
    if (this.stopped) return { cancel: () => {} };
    const timer: AgentTimer = this.inner.after(seconds, () => {
      this.timers.delete(handle);
      if (this.stopped) return;
      fn();
      this.onFire();
    });
    const handle: AgentTimer = {
      cancel: () => {
        this.timers.delete(handle);
        timer.cancel();
      },
    };
    this.timers.add(handle);
    return handle;
  }

  /** Cancels every timer and refuses new ones. */
  stop(): void {
    this.stopped = true;
    for (const t of [...this.timers]) t.cancel();
  }
}

/**
 * Work started after a webhook was answered (tenant calls, SMS, cancelling legs): never awaited by
 * the request, but counted, so shutdown and tests can wait until the agent is idle.
 */
export class WorkTracker {
  private readonly open = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly onError: (error: unknown) => void,
    /** Also tells an outside observer (the twin's in-flight counter in tests). */
    private readonly observe?: (work: Promise<unknown>) => void,
    /** Runs after each piece of work settled (the journal saves there). */
    private readonly onSettled?: () => void,
  ) {}

  /** Runs fn on a later turn of the event loop, so the answer that started it goes out first. */
  later(fn: () => Promise<unknown> | unknown): void {
    if (this.stopped) return;
    this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => (this.stopped ? undefined : fn())));
  }

  /** Counts work already running. */
  track(work: Promise<unknown>): void {
    const p = work.catch(this.onError).finally(() => this.onSettled?.());
    this.open.add(p);
    void p.finally(() => this.open.delete(p));
    this.observe?.(p);
  }

  get pending(): number {
    return this.open.size;
  }

  /** Resolves once no work is left (work started by work included). */
  async idle(): Promise<void> {
    while (this.open.size) await Promise.allSettled([...this.open]);
  }

  /** Starts nothing more: work asked for later is dropped (the agent has stopped). */
  stop(): void {
    this.stopped = true;
  }
}

/** Resolves with true when `work` finished within `ms` (real time), false when the time ran out. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const out = await Promise.race([
    work.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  return out;
}
