// Typed ESM face of the bedtime decision. The code itself lives in the deployed Twilio Function
// library (CommonJS) so the CLI, the simulator and the live Function decide the same way.
import { createRequire } from 'node:module';

export type DayName = 'Sun' | 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat';

/** A weekly window: starts on each of `days` at `start` ("HH:MM" local); `end <= start` crosses midnight. */
export type BedtimeWindow = { days: DayName[]; start: string; end: string };

export type BedtimeSchedule = readonly BedtimeWindow[];

interface BedtimeLib {
  DAY_NAMES: readonly DayName[];
  parseBedtimeSpec(spec: string): BedtimeWindow;
  formatBedtimeWindow(window: BedtimeWindow): string;
  validateBedtimeWindow(window: unknown): string | null;
  validateBedtimeSchedule(schedule: unknown): string | null;
  localWallClock(timeZone: string, instant: Date | number): { day: DayName; time: string };
  bedtimeWindowAt(schedule: BedtimeSchedule, timeZone: string, instant: Date | number): BedtimeWindow | null;
  isBedtime(schedule: BedtimeSchedule, timeZone: string, instant: Date | number): boolean;
}

// src/household/ and dist/household/ are both two levels below the package root.
const require = createRequire(import.meta.url);
const lib = require('../../templates/functions/lib/bedtime.js') as BedtimeLib;

/** Days in week order, Sunday first. */
export const DAY_NAMES: readonly DayName[] = lib.DAY_NAMES;

/** "Sun-Thu 20:00-07:00", "Mon,Wed,Fri 21:30-06:45", "daily 21:00-07:00" -> window. Throws a descriptive Error. */
export function parseBedtimeSpec(spec: string): BedtimeWindow {
  return lib.parseBedtimeSpec(spec);
}

/** Window -> canonical spec ("Sun-Thu 20:00-07:00"); round-trips with parseBedtimeSpec. */
export function formatBedtimeWindow(window: BedtimeWindow): string {
  return lib.formatBedtimeWindow(window);
}

/** An error message for a hand-written window, or null if it is valid. */
export function validateBedtimeWindow(window: unknown): string | null {
  return lib.validateBedtimeWindow(window);
}

/** An error message for a hand-written schedule (naming the window), or null if it is valid. */
export function validateBedtimeSchedule(schedule: unknown): string | null {
  return lib.validateBedtimeSchedule(schedule);
}

/** Local day of week and "HH:MM" at an instant in an IANA time zone. */
export function localWallClock(timeZone: string, instant: Date | number): { day: DayName; time: string } {
  return lib.localWallClock(timeZone, instant);
}

/** The first window covering the instant, or null. Throws on a bad schedule or time zone. */
export function bedtimeWindowAt(schedule: BedtimeSchedule, timeZone: string, instant: Date | number): BedtimeWindow | null {
  return lib.bedtimeWindowAt(schedule, timeZone, instant);
}

/** Whether it is bedtime at the instant in the household's time zone. */
export function isBedtime(schedule: BedtimeSchedule, timeZone: string, instant: Date | number): boolean {
  return lib.isBedtime(schedule, timeZone, instant);
}
