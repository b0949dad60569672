// Retrying 429 (Too Many Requests) with exponential back-off and jitter, honouring Retry-After.

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First back-off step in ms (default 250). */
  baseDelayMs?: number;
  /** Cap on computed back-off in ms (default 5000). A server's Retry-After is honoured up to maxRetryAfterMs. */
  maxDelayMs?: number;
  /** Longest Retry-After honoured, in ms (default 60000). */
  maxRetryAfterMs?: number;
  /** Injected in tests so nothing waits on the wall clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds to wait before retry number `attempt` (1-based). */
export function retryDelayMs(attempt: number, retryAfter: string | undefined, options: RetryOptions = {}): number {
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(maxRetryAfter, Math.round(Number(trimmed) * 1000));
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.min(maxRetryAfter, Math.max(0, date - Date.now()));
  }
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 5000;
  const exp = Math.min(cap, base * 2 ** (attempt - 1));
  const random = options.random ?? Math.random;
  return Math.round(exp / 2 + (exp / 2) * random()); // "equal jitter"
}

export interface RetryableResponse {
  statusCode: number;
  retryAfter: string | undefined;
}

/** Run `send` until it answers something other than 429 or the retries run out. */
export async function with429Retry<T>(
  send: () => Promise<T>,
  inspect: (response: T) => RetryableResponse,
  options: RetryOptions = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 3;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    const { statusCode, retryAfter } = inspect(response);
    if (statusCode !== 429 || attempt > maxRetries) return response;
    await sleep(retryDelayMs(attempt, retryAfter, options));
  }
}

/** A header value from a plain or axios-style headers object, case-insensitively. */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as Record<string, unknown> & { get?: (n: string) => unknown };
  if (typeof h.get === 'function') {
    const v = h.get(name);
    if (v !== undefined && v !== null) return String(v);
  }
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : h[key];
  return v === undefined || v === null ? undefined : String(v);
}
