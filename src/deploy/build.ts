// Waiting for a Serverless build: poll its status with back-off until it completes or fails, up
// to a timeout counted in the delays we chose (so an injected sleep makes tests instant).

export interface PollOptions {
  sleep: (ms: number) => Promise<void>;
  /** First wait in ms (default 500); each next wait is 1.5× longer, up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after waiting this long in total (default 5 minutes). */
  timeoutMs?: number;
}

export type BuildOutcome = { status: 'completed' | 'failed'; polls: number } | { status: 'timeout'; polls: number; waitedMs: number };

export async function pollBuild(fetchStatus: () => Promise<string>, options: PollOptions): Promise<BuildOutcome> {
  let delay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 5000;
  const timeout = options.timeoutMs ?? 300_000;
  let waited = 0;
  for (let polls = 1; ; polls++) {
    const status = await fetchStatus();
    if (status === 'completed' || status === 'failed') return { status, polls };
    if (waited >= timeout) return { status: 'timeout', polls, waitedMs: waited };
    const next = Math.min(delay, timeout - waited);
    await options.sleep(next);
    waited += next;
    delay = Math.min(maxDelay, Math.round(delay * 1.5));
  }
}
