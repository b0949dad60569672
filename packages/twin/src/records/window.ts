// Time windows shared by the twin's records (Alerts, Executions, Function logs): the date filters
// their list operations take, and how long Twilio keeps them. All times are the twin's virtual time.
import { invalid } from '../errors.js';
import type { Params } from '../params.js';

export const DAY_MS = 86_400_000;

/**
 * Twilio keeps these records 30 days: Alerts ("Queries for alerts older than 30 days are not
 * supported", Monitor Alerts API), Functions' Logs ("retained for up to 30 days and then
 * deleted", Serverless API overview), Studio Executions (TWIN-FIDELITY.md).
 */
export const RETENTION_MS = 30 * DAY_MS;

/** `YYYY-MM-DD`, or an ISO 8601 date-time with `Z` or an offset (seconds and fractions optional). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * A date filter parameter in virtual ms, or undefined when absent; 400 (20001) when unreadable.
 * A bare date is its day's first instant, or with `endOfDay` its last (an inclusive end date).
 */
export function dateParam(query: Params, name: string, endOfDay = false): number | undefined {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return undefined;
  const bare = raw.length === 10;
  const ms = ISO_DATE.test(raw) ? Date.parse(bare ? `${raw}T00:00:00Z` : raw) + (bare && endOfDay ? DAY_MS - 1 : 0) : NaN;
  if (Number.isNaN(ms)) throw invalid(`${name} must be an ISO 8601 date or date-time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ), not ${JSON.stringify(raw)}`);
  return ms;
}

/** Drops records older than the retention window, in place (they are kept oldest first). */
export function expire<T extends { atMs: number }>(records: T[], nowMs: number): T[] {
  const cutoff = nowMs - RETENTION_MS;
  let i = 0;
  while (i < records.length && records[i]!.atMs < cutoff) i++;
  if (i) records.splice(0, i);
  return records;
}

/** The same for a Map kept in insertion (oldest-first) order. */
export function expireMap<T extends { atMs: number }>(records: Map<string, T>, nowMs: number): Map<string, T> {
  const cutoff = nowMs - RETENTION_MS;
  for (const [key, r] of records) {
    if (r.atMs >= cutoff) break;
    records.delete(key);
  }
  return records;
}
