// @ts-check
'use strict';

// Bedtime schedule: a weekly schedule in the household's IANA time zone.
// Deployed as is to Twilio Functions (CommonJS, no dependencies) and required by the CLI,
// so the call-time decision and the simulator run the very same code.
//
// A window {days, start, end} starts on each of its days at `start` local wall time. If
// end <= start it crosses midnight and ends the next day at `end`; such a window belongs to the
// day it starts ("Fri 22:00-08:00" covers Saturday 07:59, "Sat 22:00-08:00" does not).
// Start is inclusive, end exclusive. Evaluation uses local wall-clock time, so on DST days a
// window covers exactly the wall times it names: a skipped hour never occurs and a repeated hour
// is covered both times.

/** @typedef {'Sun'|'Mon'|'Tue'|'Wed'|'Thu'|'Fri'|'Sat'} DayName */
/** @typedef {{ days: DayName[], start: string, end: string }} BedtimeWindow */

/** @type {readonly DayName[]} */
const DAY_NAMES = Object.freeze(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const TIME_RE = /^(\d{1,2}):(\d{2})$/;
const CANONICAL_TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** @type {Readonly<Record<string, readonly number[]>>} */
const DAY_ALIASES = Object.freeze({
  daily: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
});

/**
 * Day index (Sun = 0) of a day name, short or full, any case; -1 if unknown.
 * @param {string} name
 * @returns {number}
 */
function dayIndex(name) {
  const lower = name.toLowerCase();
  const short = DAY_NAMES.findIndex((d) => d.toLowerCase() === lower);
  return short !== -1 ? short : FULL_DAY_NAMES.indexOf(lower);
}

/**
 * @param {string} name
 * @param {string} spec
 * @returns {number}
 */
function requireDay(name, spec) {
  const index = dayIndex(name);
  if (index === -1) {
    throw new Error(
      `bad day "${name}" in bedtime "${spec}": use Sun, Mon, Tue, Wed, Thu, Fri, Sat (or full names), "daily", "weekdays" or "weekends"`,
    );
  }
  return index;
}

/**
 * Parses the days part ("Sun-Thu", "Mon,Wed,Fri", "Fri-Mon", "daily") into day indexes.
 * @param {string} daysPart
 * @param {string} spec
 * @returns {Set<number>}
 */
function parseDays(daysPart, spec) {
  /** @type {Set<number>} */
  const days = new Set();
  for (const rawItem of daysPart.split(',')) {
    const item = rawItem.trim();
    if (item === '') throw new Error(`empty day in bedtime "${spec}": list days like "Mon,Wed,Fri"`);
    const alias = DAY_ALIASES[item.toLowerCase()];
    if (alias) {
      for (const d of alias) days.add(d);
      continue;
    }
    const range = item.split('-').map((s) => s.trim());
    if (range.length > 2) throw new Error(`bad day range "${item}" in bedtime "${spec}": use a range like "Sun-Thu"`);
    const first = requireDay(range[0] ?? '', spec);
    const last = range.length === 2 ? requireDay(range[1] ?? '', spec) : first;
    // Ranges may wrap around the week end: "Fri-Mon" is Fri, Sat, Sun, Mon.
    for (let d = first; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  return days;
}

/**
 * Parses "H:MM" or "HH:MM" (24-hour) into canonical "HH:MM".
 * @param {string} text
 * @param {string} spec
 * @returns {string}
 */
function parseTime(text, spec) {
  const match = TIME_RE.exec(text);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  if (!(hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59)) {
    throw new Error(`bad time "${text}" in bedtime "${spec}": use 24-hour HH:MM between 00:00 and 23:59`);
  }
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/**
 * Parses a bedtime spec such as "Sun-Thu 20:00-07:00", "Mon,Wed,Fri 21:30-06:45" or
 * "daily 21:00-07:00". Throws an Error saying what is wrong.
 * @param {string} spec
 * @returns {BedtimeWindow}
 */
function parseBedtimeSpec(spec) {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new Error('empty bedtime: expected "<days> HH:MM-HH:MM", e.g. "Sun-Thu 20:00-07:00"');
  }
  const text = spec.trim();
  // The time range is the last part; day lists may contain spaces after commas.
  const match = /^(.*?)\s+([^\s-]+)\s*-\s*([^\s-]+)$/.exec(text);
  if (!match) {
    throw new Error(`bad bedtime "${text}": expected "<days> HH:MM-HH:MM", e.g. "Sun-Thu 20:00-07:00"`);
  }
  const [, daysPart = '', startText = '', endText = ''] = match;
  const days = parseDays(daysPart, text);
  const start = parseTime(startText, text);
  const end = parseTime(endText, text);
  if (start === end) {
    throw new Error(`bad bedtime "${text}": start equals end (${start}); a window must have a length`);
  }
  return { days: [...days].sort((a, b) => a - b).map((d) => /** @type {DayName} */ (DAY_NAMES[d])), start, end };
}

/**
 * Formats day indexes (sorted, unique, not all seven) as runs around the week:
 * three or more consecutive days as a range ("Sun-Thu", "Fri-Mon"), shorter runs as a list.
 * @param {number[]} indexes
 * @returns {string}
 */
function formatDays(indexes) {
  const set = new Set(indexes);
  if (set.size === 7) return 'daily';
  /** @type {string[]} */
  const parts = [];
  // A run starts at a day whose predecessor is absent; walking all run starts in week order
  // keeps the output canonical.
  for (const startDay of indexes) {
    if (set.has((startDay + 6) % 7)) continue;
    let length = 1;
    while (set.has((startDay + length) % 7)) length++;
    const run = Array.from({ length }, (_, i) => DAY_NAMES[(startDay + i) % 7]);
    parts.push(length >= 3 ? `${run[0]}-${run[length - 1]}` : run.join(','));
  }
  return parts.join(',');
}

/**
 * Formats a window as its canonical spec ("Sun-Thu 20:00-07:00"); parseBedtimeSpec reads it back.
 * @param {BedtimeWindow} window
 * @returns {string}
 */
function formatBedtimeWindow(window) {
  const problem = validateBedtimeWindow(window);
  if (problem) throw new Error(problem);
  const indexes = [...new Set(window.days.map((d) => DAY_NAMES.indexOf(d)))].sort((a, b) => a - b);
  return `${formatDays(indexes)} ${window.start}-${window.end}`;
}

/**
 * Checks a window written by hand in the config. Returns an error message, or null if valid.
 * @param {unknown} window
 * @returns {string | null}
 */
function validateBedtimeWindow(window) {
  if (typeof window !== 'object' || window === null || Array.isArray(window)) {
    return 'bedtime window must be an object like {"days":["Mon"],"start":"22:00","end":"07:00"}';
  }
  const { days, start, end } = /** @type {{ days?: unknown, start?: unknown, end?: unknown }} */ (window);
  if (!Array.isArray(days) || days.length === 0) {
    return 'bedtime window "days" must be a non-empty list such as ["Sun","Mon"]';
  }
  /** @type {Set<unknown>} */
  const seen = new Set();
  for (const day of days) {
    if (typeof day !== 'string' || !DAY_NAMES.includes(/** @type {DayName} */ (day))) {
      return `bedtime window has bad day ${JSON.stringify(day)}: use Sun, Mon, Tue, Wed, Thu, Fri or Sat`;
    }
    if (seen.has(day)) return `bedtime window lists ${day} twice`;
    seen.add(day);
  }
  for (const [name, value] of /** @type {const} */ ([['start', start], ['end', end]])) {
    if (typeof value !== 'string' || !CANONICAL_TIME_RE.test(value)) {
      return `bedtime window "${name}" must be a 24-hour time "HH:MM" (00:00 to 23:59), got ${JSON.stringify(value)}`;
    }
  }
  if (start === end) return `bedtime window start equals end (${String(start)}); a window must have a length`;
  return null;
}

/**
 * Checks a whole schedule (a list of windows). Returns an error message, or null if valid.
 * @param {unknown} schedule
 * @returns {string | null}
 */
function validateBedtimeSchedule(schedule) {
  if (!Array.isArray(schedule)) return 'bedtime schedule must be a list of windows';
  for (let i = 0; i < schedule.length; i++) {
    const problem = validateBedtimeWindow(schedule[i]);
    if (problem) return `bedtime window ${i + 1}: ${problem}`;
  }
  return null;
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/**
 * One cached formatter per zone: building an Intl.DateTimeFormat costs far more than using one.
 * @param {string} timeZone
 * @returns {Intl.DateTimeFormat}
 */
function wallClockFormatter(timeZone) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    if (typeof timeZone !== 'string' || timeZone === '') {
      throw new Error('time zone is missing: set an IANA time zone such as "America/New_York"');
    }
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      throw new Error(`unknown time zone "${timeZone}": use an IANA name such as "America/New_York" or "Europe/Berlin"`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * @param {Date | number} instant
 * @returns {number}
 */
function toEpochMs(instant) {
  const ms = instant instanceof Date ? instant.getTime() : instant;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new Error(`invalid instant ${String(instant)}: pass a valid Date or epoch milliseconds`);
  }
  return ms;
}

/**
 * The local wall clock at an instant: day of week and "HH:MM".
 * @param {string} timeZone IANA time zone
 * @param {Date | number} instant
 * @returns {{ day: DayName, time: string }}
 */
function localWallClock(timeZone, instant) {
  const parts = wallClockFormatter(timeZone).formatToParts(toEpochMs(instant));
  /** @param {string} type */
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '';
  const day = dayIndex(part('weekday'));
  // hourCycle h23 yields 00..23; older ICU builds could say "24" at midnight.
  const hours = Number(part('hour')) % 24;
  const minutes = Number(part('minute'));
  if (day === -1 || !Number.isInteger(hours) || !Number.isInteger(minutes)) {
    throw new Error(`cannot read the local time in "${timeZone}" from Intl.DateTimeFormat`);
  }
  return {
    day: /** @type {DayName} */ (DAY_NAMES[day]),
    time: `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`,
  };
}

/**
 * @param {string} hhmm canonical "HH:MM"
 * @returns {number}
 */
function minutesOfDay(hhmm) {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * Whether a window covers a local minute of the week (Sun 00:00 = 0).
 * @param {BedtimeWindow} window
 * @param {number} weekMinute
 * @returns {boolean}
 */
function windowCovers(window, weekMinute) {
  const start = minutesOfDay(window.start);
  const duration = (minutesOfDay(window.end) - start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return window.days.some((day) => {
    const opensAt = DAY_NAMES.indexOf(day) * MINUTES_PER_DAY + start;
    return (weekMinute - opensAt + MINUTES_PER_WEEK) % MINUTES_PER_WEEK < duration;
  });
}

/**
 * The first window of the schedule covering the instant, or null. Throws on an invalid
 * schedule or time zone.
 * @param {readonly BedtimeWindow[]} schedule
 * @param {string} timeZone IANA time zone of the household
 * @param {Date | number} instant
 * @returns {BedtimeWindow | null}
 */
function bedtimeWindowAt(schedule, timeZone, instant) {
  const problem = validateBedtimeSchedule(schedule);
  if (problem) throw new Error(problem);
  const { day, time } = localWallClock(timeZone, instant);
  const weekMinute = DAY_NAMES.indexOf(day) * MINUTES_PER_DAY + minutesOfDay(time);
  return schedule.find((window) => windowCovers(window, weekMinute)) ?? null;
}

/**
 * Whether it is bedtime at the instant in the household's time zone.
 * @param {readonly BedtimeWindow[]} schedule
 * @param {string} timeZone IANA time zone of the household
 * @param {Date | number} instant
 * @returns {boolean}
 */
function isBedtime(schedule, timeZone, instant) {
  return bedtimeWindowAt(schedule, timeZone, instant) !== null;
}

module.exports = {
  DAY_NAMES,
  parseBedtimeSpec,
  formatBedtimeWindow,
  validateBedtimeWindow,
  validateBedtimeSchedule,
  localWallClock,
  bedtimeWindowAt,
  isBedtime,
};
