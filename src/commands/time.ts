// The one way a command takes a time (--at): local time in the household's zone, or an instant
// with an explicit offset.
import { InputError } from '../errors.js';
import { localTimeToInstant } from '../household/local-time.js';

/** Reads --at; `zone` is the household's time zone (UTC when none is set). */
export function parseAt(value: unknown, zone: string | undefined, flag = '--at'): Date {
  const where = zone ?? 'UTC';
  try {
    return localTimeToInstant(String(value), where);
  } catch (err) {
    throw new InputError(`${flag}: ${(err as Error).message}`, {
      hint: `local time in ${where}, e.g. ${flag} "2026-11-20 23:30", or with an offset: ${flag} "2026-11-20 23:30-05:00"`,
    });
  }
}

/** The help text for --at, the same on every command. */
export const AT_HELP = 'local household time "YYYY-MM-DD HH:MM", or with an offset "YYYY-MM-DD HH:MM-05:00"';
