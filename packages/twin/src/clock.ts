// Where the twin gets "now" from. The REST side only stamps dates; the voice engine (a later
// issue) replaces this with virtual time so scenarios run without wall-clock waits.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** 'Thu, 30 Jul 2015 23:19:04 +0000' — the 2010 API's dates. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** '2018-11-10T20:00:00Z' — the v1/v2 APIs' dates (no milliseconds). */
export function iso8601(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
