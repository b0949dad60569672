// In-flight work: real HTTP requests to outside webhooks, Function invocations' loopback REST calls,
// requests the twin's REST server is answering. Virtual time may move on only when none is open
// and none has started for a few event-loop turns (so a collaborator that answers a webhook and
// then calls the REST API gets the chance to).
export class Inflight {
  private open = 0;
  /** Bumped on every begin/end, so a quiet window that saw any activity is not quiet. */
  private epoch = 0;
  private zeroWaiters: Array<() => void> = [];

  constructor(
    /** setImmediate turns that must pass with nothing open. */
    private readonly quietTurns = 3,
    /** Extra wall-clock window for collaborators in other processes; 0 in-process. */
    private readonly quietMs = 0,
  ) {}

  get count(): number {
    return this.open;
  }

  /** Opens one piece of work; the returned function closes it (idempotent). */
  begin(): () => void {
    this.open += 1;
    this.epoch += 1;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.open -= 1;
      this.epoch += 1;
      if (this.open === 0) {
        const waiters = this.zeroWaiters;
        this.zeroWaiters = [];
        for (const w of waiters) w();
      }
    };
  }

  track<T>(work: Promise<T>): Promise<T> {
    const end = this.begin();
    return work.finally(end);
  }

  /** The epoch when quiet() last returned: no work has begun or ended since, if it is still current. */
  private quietAt = -1;

  /**
   * Resolves once nothing is open and nothing happened for the quiet window. The wall-clock part
   * (quietMs) is waited only when some work began or ended since the last quiet moment: a
   * collaborator in another process acts in answer to a request, so with none since, there is
   * nothing to wait for (virtual time then runs through pauses and rings without wall-clock waits).
   */
  async quiet(): Promise<void> {
    for (;;) {
      if (this.open > 0) await new Promise<void>((resolve) => this.zeroWaiters.push(resolve));
      const seen = this.epoch;
      for (let i = 0; i < this.quietTurns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.quietMs > 0 && seen !== this.quietAt) await new Promise<void>((resolve) => setTimeout(resolve, this.quietMs));
      if (this.open === 0 && this.epoch === seen) {
        this.quietAt = seen;
        return;
      }
    }
  }
}
