// The Calls list filters Twilio documents: To, From, ParentCallSid, Status, and StartTime/EndTime
// with their inequality forms. `StartTime>=2026-12-01` in a query string is the parameter
// `StartTime>` with the value 2026-12-01: on or after midnight (UTC) of that date; `StartTime<=` is
// on or before midnight of that date; `StartTime=` is that date. Only the date counts: a time of
// day is dropped (TWIN-FIDELITY.md, Unconfirmed: whether Twilio honours one), so a client must
// not rely on the list to cut its calls off within a day.
import { TwinError } from '../errors.js';
import type { Params } from '../params.js';
import type { CallJson, CallStatus } from '../state.js';

export const CALL_STATUSES: readonly CallStatus[] = ['queued', 'ringing', 'in-progress', 'canceled', 'completed', 'failed', 'busy', 'no-answer'];

/** The query parameters the twin filters Calls by (each one declared by Twilio's OpenAPI). */
export const CALL_LIST_FILTERS = ['To', 'From', 'ParentCallSid', 'Status', 'StartTime', 'StartTime<', 'StartTime>', 'EndTime', 'EndTime<', 'EndTime>'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight UTC of the date a filter value names (YYYY-MM-DD, or an ISO 8601 date-time). */
function dayOf(param: string, value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(m[3])) {
    throw new TwinError(400, 20001, `Invalid ${param}: '${value}' is not a date (YYYY-MM-DD)`);
  }
  return ms;
}

function timeFilter(query: Params, name: 'StartTime' | 'EndTime', field: 'start_time' | 'end_time'): (c: CallJson) => boolean {
  const checks: Array<(t: number) => boolean> = [];
  const on = query.get(name);
  const after = query.get(`${name}>`);
  const before = query.get(`${name}<`);
  if (on !== undefined) {
    const d = dayOf(name, on);
    checks.push((t) => t >= d && t < d + DAY_MS);
  }
  if (after !== undefined) {
    const d = dayOf(`${name}>`, after);
    checks.push((t) => t >= d);
  }
  if (before !== undefined) {
    const d = dayOf(`${name}<`, before);
    checks.push((t) => t <= d);
  }
  if (!checks.length) return () => true;
  return (c) => {
    const raw = c[field];
    // A call not yet dialled (or not yet ended) has no such time: no date filter matches it.
    if (!raw) return false;
    const t = Date.parse(raw);
    return checks.every((check) => check(t));
  };
}

/** The predicate a Calls list query asks for; a bad Status or date is 400. */
export function callFilter(query: Params): (c: CallJson) => boolean {
  const status = query.oneOf('Status', CALL_STATUSES);
  const exact: Array<[string, keyof CallJson]> = [
    ['To', 'to'],
    ['From', 'from'],
    ['ParentCallSid', 'parent_call_sid'],
  ];
  const start = timeFilter(query, 'StartTime', 'start_time');
  const end = timeFilter(query, 'EndTime', 'end_time');
  return (c) =>
    exact.every(([p, field]) => query.get(p) === undefined || c[field] === query.get(p)) &&
    (status === undefined || c.status === status) &&
    start(c) &&
    end(c);
}
