// Twilio's outbound call queue. Calls created through the REST API (Calls, and Participants-API
// legs) are queued and leave the queue at the account's calls per second (CPS), 1 by default;
// inbound calls and <Dial> legs are not limited. Each call reports `queue_time`, the estimated
// wait in ms. A call that would not be placed within 24 hours is refused with 22005.
import { TwinError } from '../errors.js';
import type { TwinState } from '../state.js';

export const DEFAULT_CPS = 1;
/** Twilio accepts up to 30 CPS from the console with a Business Profile, more by arrangement. */
export const MAX_CPS = 1000;
export const MAX_QUEUE_MS = 24 * 60 * 60 * 1000;

export interface QueueSlot {
  /** Estimated wait before the call is placed, in whole ms (the resource's `queue_time`). */
  queueTimeMs: number;
  /** Virtual ms at which the call leaves the queue and starts dialling. */
  dequeueAtMs: number;
}

/** Takes the next place in the queue for a new REST-created call, or refuses it (22005). */
export function enqueueCall(state: TwinState): QueueSlot {
  const now = state.now().getTime();
  const dequeueAtMs = Math.max(now, state.callQueueFreeAt);
  const queueTimeMs = Math.round(dequeueAtMs - now);
  if (queueTimeMs > MAX_QUEUE_MS) {
    throw new TwinError(400, 22005, `Call Queue Full: there are more than 24 hours of calls in your call queue (${state.account.cps} calls per second)`);
  }
  state.callQueueFreeAt = dequeueAtMs + 1000 / state.account.cps;
  return { queueTimeMs, dequeueAtMs };
}

/** The queue as the admin API shows it. */
export function queueInfo(state: TwinState): { cps: number; queued_until: string | null; queue_time: number } {
  const now = state.now().getTime();
  const wait = Math.max(0, state.callQueueFreeAt - now);
  return {
    cps: state.account.cps,
    /** When a call created now would leave the queue (null: at once). */
    queued_until: wait > 0 ? new Date(state.callQueueFreeAt).toISOString() : null,
    queue_time: Math.round(wait),
  };
}

export function checkCps(raw: unknown): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_CPS) {
    throw new Error(`cps must be a whole number of calls per second from 1 to ${MAX_CPS}`);
  }
  return n;
}
