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
 * Work started after a webhook was answered (tenant calls, SMS, cancelling legs): never awaited by
 * the request, but counted, so shutdown and tests can wait until the agent is idle.
 */
export class WorkTracker {
  private readonly open = new Set<Promise<unknown>>();

  constructor(
    private readonly onError: (error: unknown) => void,
    /** Also tells an outside observer (the twin's in-flight counter in tests). */
    private readonly observe?: (work: Promise<unknown>) => void,
  ) {}

  /** Runs fn on a later turn of the event loop, so the answer that started it goes out first. */
  later(fn: () => Promise<unknown> | unknown): void {
    this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(fn));
  }

  /** Counts work already running. */
  track(work: Promise<unknown>): void {
    const p = work.catch(this.onError);
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
}
