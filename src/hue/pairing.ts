// Waiting for the link button. A bridge answers a pairing request with error 101 until its button
// has been pressed (and for ~30 s after), and no library waits, so this loop retries until a
// deadline. The clock is injectable: tests drive the countdown without sleeping.
import type { HueBridge, PairResult } from './bridge.js';
import { HueLinkButtonError, HuePairingTimeoutError } from './bridge.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WaitOptions {
  /** Give up after this long. The default, 60 s, leaves time to walk to the bridge. */
  timeoutMs?: number;
  /** Pause between attempts. */
  intervalMs?: number;
  clock?: Clock;
  /** Called after each refused attempt with the whole seconds left, for a countdown. */
  onTick?: (secondsLeft: number) => void;
}

export const DEFAULT_PAIRING_TIMEOUT_MS = 60_000;

/**
 * Runs `attempt` until it succeeds, retrying only HueLinkButtonError, with one last attempt at the
 * deadline. Any other error ends the wait at once (an unreachable bridge will not get better).
 */
export async function waitForLinkButton<T>(attempt: () => Promise<T>, options: WaitOptions = {}): Promise<T> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PAIRING_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? 1000;
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof HueLinkButtonError)) throw err;
      const left = deadline - clock.now();
      if (left <= 0) throw new HuePairingTimeoutError(Math.round(timeoutMs / 100) / 10, { cause: err });
      options.onTick?.(Math.ceil(left / 1000));
      await clock.sleep(Math.min(intervalMs, left));
    }
  }
}

/** Pairs with `bridge`, waiting for its link button: the whole of `homephone hue pair` minus the printing. */
export function pairWithBridge(
  bridge: HueBridge,
  appName: string,
  deviceName: string,
  options: WaitOptions = {},
): Promise<PairResult> {
  return waitForLinkButton(() => bridge.pair(appName, deviceName), options);
}
