import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DAY_NAMES,
  bedtimeWindowAt,
  formatBedtimeWindow,
  isBedtime,
  localWallClock,
  parseBedtimeSpec,
  validateBedtimeSchedule,
  validateBedtimeWindow,
  type BedtimeWindow,
  type DayName,
} from '../../src/household/bedtime.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const MINUTE = 60_000;
// Zones with DST, half- and quarter-hour offsets, a 30-minute DST shift, and the southern hemisphere.
const ZONES = [
  'UTC',
  NY,
  BERLIN,
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Auckland',
];

// ---------------------------------------------------------------------------------------------
// Independent reference model. It reads the local calendar date and time with a different
// formatter (sv-SE gives "YYYY-MM-DD HH:MM") and derives the weekday from the date arithmetically,
// then decides coverage with the modular formula from the design, not with the library code.

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const referenceFormatters = new Map<string, Intl.DateTimeFormat>();

function referenceLocal(timeZone: string, ms: number): LocalTime {
  let formatter = referenceFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    referenceFormatters.set(timeZone, formatter);
  }
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(formatter.format(ms));
  if (!match) throw new Error(`unexpected sv-SE format: ${formatter.format(ms)}`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { year, month, day, hour, minute };
}

function weekdayOf(t: Pick<LocalTime, 'year' | 'month' | 'day'>): number {
  return new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
}

function referenceCovers(schedule: readonly BedtimeWindow[], timeZone: string, ms: number): boolean {
  const local = referenceLocal(timeZone, ms);
  const m = weekdayOf(local) * 1440 + local.hour * 60 + local.minute;
  return schedule.some((w) => {
    const startMin = toMinutes(w.start);
    const duration = (((toMinutes(w.end) - startMin) % 1440) + 1440) % 1440;
    return w.days.some((day) => {
      const d = DAY_NAMES.indexOf(day);
      return ((((m - (d * 1440 + startMin)) % 10080) + 10080) % 10080) < duration;
    });
  });
}

/** The instant showing the given local wall time, or undefined if that time is skipped (DST gap). */
function instantAt(timeZone: string, t: LocalTime): number | undefined {
  const wanted = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  const offsetAt = (ms: number): number => {
    const l = referenceLocal(timeZone, ms);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - Math.floor(ms / MINUTE) * MINUTE;
  };
  // Two passes settle the offset on either side of a transition.
  for (const guess of [wanted - offsetAt(wanted), wanted - offsetAt(wanted - offsetAt(wanted))]) {
    const l = referenceLocal(timeZone, guess);
    if (Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) === wanted) return guess;
  }
  return undefined;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function coveredMinutes(schedule: readonly BedtimeWindow[], timeZone: string, fromIso: string, toIso: string): number {
  let count = 0;
  for (let t = Date.parse(fromIso); t < Date.parse(toIso); t += MINUTE) {
    if (isBedtime(schedule, timeZone, t)) count++;
  }
  return count;
}

const at = (spec: string): BedtimeWindow[] => [parseBedtimeSpec(spec)];

// ---------------------------------------------------------------------------------------------

describe('parseBedtimeSpec', () => {
  it.each([
    ['Sun-Thu 20:00-07:00', { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' }],
    ['Fri-Sat 22:00-08:00', { days: ['Fri', 'Sat'], start: '22:00', end: '08:00' }],
    ['Mon,Wed,Fri 21:30-06:45', { days: ['Mon', 'Wed', 'Fri'], start: '21:30', end: '06:45' }],
    ['Sat 23:00-09:00', { days: ['Sat'], start: '23:00', end: '09:00' }],
    ['daily 21:00-07:00', { days: [...DAY_NAMES], start: '21:00', end: '07:00' }],
    ['Fri-Mon 22:00-07:00', { days: ['Sun', 'Mon', 'Fri', 'Sat'], start: '22:00', end: '07:00' }],
    ['sunday-TUESDAY 9:05-10:00', { days: ['Sun', 'Mon', 'Tue'], start: '09:05', end: '10:00' }],
    ['  Mon, wed , Mon-Tue   21:30 - 6:45 ', { days: ['Mon', 'Tue', 'Wed'], start: '21:30', end: '06:45' }],
    ['weekdays 13:00-14:00', { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '13:00', end: '14:00' }],
    ['Weekends 00:00-23:59', { days: ['Sun', 'Sat'], start: '00:00', end: '23:59' }],
    ['Sat-Fri 20:00-07:00', { days: [...DAY_NAMES], start: '20:00', end: '07:00' }],
  ])('%s', (spec, expected) => {
    expect(parseBedtimeSpec(spec)).toEqual(expected);
  });

  it.each([
    ['', /empty bedtime/],
    ['   ', /empty bedtime/],
    ['Sun-Thu', /expected "<days> HH:MM-HH:MM"/],
    ['20:00-07:00', /expected "<days> HH:MM-HH:MM"/],
    ['Sun-Xyz 20:00-07:00', /bad day "Xyz"/],
    ['Sunn 20:00-07:00', /bad day "Sunn"/],
    ['Mon,,Tue 20:00-07:00', /empty day/],
    ['Mon-Tue-Wed 20:00-07:00', /bad day range/],
    ['Sun 24:00-07:00', /bad time "24:00"/],
    ['Sun 20:60-07:00', /bad time "20:60"/],
    ['Sun 20:00-7', /bad time "7"/],
    ['Sun 2000-0700', /bad time "2000"/],
    ['Sun 20:00-20:00', /start equals end/],
    ['Sun 7:00-07:00', /start equals end/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseBedtimeSpec(spec)).toThrow(message);
  });

  it('rejects a non-string', () => {
    expect(() => parseBedtimeSpec(undefined as unknown as string)).toThrow(/empty bedtime/);
  });
});

describe('formatBedtimeWindow', () => {
  it.each([
    [{ days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' }, 'Sun-Thu 20:00-07:00'],
    [{ days: ['Fri', 'Sat'], start: '22:00', end: '08:00' }, 'Fri,Sat 22:00-08:00'],
    [{ days: ['Mon', 'Wed', 'Fri'], start: '21:30', end: '06:45' }, 'Mon,Wed,Fri 21:30-06:45'],
    [{ days: ['Sat'], start: '23:00', end: '09:00' }, 'Sat 23:00-09:00'],
    [{ days: [...DAY_NAMES], start: '21:00', end: '07:00' }, 'daily 21:00-07:00'],
    [{ days: ['Sun', 'Mon', 'Fri', 'Sat'], start: '22:00', end: '07:00' }, 'Fri-Mon 22:00-07:00'],
    [{ days: ['Sun', 'Tue', 'Wed', 'Thu', 'Sat'], start: '22:00', end: '07:00' }, 'Tue-Thu,Sat,Sun 22:00-07:00'],
  ] as [BedtimeWindow, string][])('%j -> %s', (window, spec) => {
    expect(formatBedtimeWindow(window)).toBe(spec);
    expect(parseBedtimeSpec(spec)).toEqual(window);
  });

  it('refuses an invalid window', () => {
    expect(() => formatBedtimeWindow({ days: [], start: '20:00', end: '07:00' })).toThrow(/non-empty/);
  });
});

describe('validateBedtimeWindow / validateBedtimeSchedule', () => {
  it('accepts a valid window and schedule', () => {
    expect(validateBedtimeWindow({ days: ['Mon'], start: '22:00', end: '07:00' })).toBeNull();
    expect(validateBedtimeSchedule([{ days: ['Mon'], start: '22:00', end: '07:00' }])).toBeNull();
    expect(validateBedtimeSchedule([])).toBeNull();
  });

  it.each([
    [null, /must be an object/],
    [[], /must be an object/],
    [{ start: '22:00', end: '07:00' }, /"days" must be a non-empty list/],
    [{ days: [], start: '22:00', end: '07:00' }, /"days" must be a non-empty list/],
    [{ days: ['mon'], start: '22:00', end: '07:00' }, /bad day "mon"/],
    [{ days: ['Monday'], start: '22:00', end: '07:00' }, /bad day "Monday"/],
    [{ days: ['Mon', 'Mon'], start: '22:00', end: '07:00' }, /lists Mon twice/],
    [{ days: ['Mon'], start: '7:00', end: '22:00' }, /"start" must be a 24-hour time/],
    [{ days: ['Mon'], start: '07:00', end: '24:00' }, /"end" must be a 24-hour time/],
    [{ days: ['Mon'], start: '07:00' }, /"end" must be a 24-hour time/],
    [{ days: ['Mon'], start: '07:00', end: '07:00' }, /start equals end/],
  ])('%j', (window, message) => {
    expect(validateBedtimeWindow(window)).toMatch(message);
  });

  it('names the bad window in a schedule', () => {
    expect(validateBedtimeSchedule('Mon 22:00-07:00')).toMatch(/must be a list/);
    expect(
      validateBedtimeSchedule([
        { days: ['Mon'], start: '22:00', end: '07:00' },
        { days: ['Xyz'], start: '22:00', end: '07:00' },
      ]),
    ).toMatch(/^bedtime window 2: .*bad day "Xyz"/);
  });
});

describe('isBedtime examples', () => {
  // 2026-01-10 is a Saturday; New York is on EST (UTC-5) in January.
  const saturday = (time: string): number => Date.parse(`2026-01-10T${time}:00-05:00`);

  it('a window crossing midnight belongs to the day it starts', () => {
    expect(isBedtime(at('Fri 22:00-08:00'), NY, saturday('07:59'))).toBe(true);
    expect(isBedtime(at('Sat 22:00-08:00'), NY, saturday('07:59'))).toBe(false);
    expect(isBedtime(at('Fri-Sat 22:00-08:00'), NY, saturday('07:59'))).toBe(true);
  });

  it('start is inclusive, end is exclusive (to the minute)', () => {
    const window = at('Fri 22:00-08:00');
    expect(isBedtime(window, NY, Date.parse('2026-01-09T21:59:59.999-05:00'))).toBe(false);
    expect(isBedtime(window, NY, Date.parse('2026-01-09T22:00:00-05:00'))).toBe(true);
    expect(isBedtime(window, NY, Date.parse('2026-01-10T07:59:59.999-05:00'))).toBe(true);
    expect(isBedtime(window, NY, saturday('08:00'))).toBe(false);
  });

  it('a window not crossing midnight', () => {
    const window = at('Sat 13:00-15:30');
    expect(isBedtime(window, NY, saturday('12:59'))).toBe(false);
    expect(isBedtime(window, NY, saturday('13:00'))).toBe(true);
    expect(isBedtime(window, NY, saturday('15:29'))).toBe(true);
    expect(isBedtime(window, NY, saturday('15:30'))).toBe(false);
  });

  it('Sat night wraps into Sunday morning across the week boundary', () => {
    expect(isBedtime(at('Sat 23:00-09:00'), NY, Date.parse('2026-01-11T08:59:00-05:00'))).toBe(true);
    expect(isBedtime(at('Sat 23:00-09:00'), NY, Date.parse('2026-01-11T09:00:00-05:00'))).toBe(false);
    expect(isBedtime(at('Sun 23:00-09:00'), NY, Date.parse('2026-01-11T08:59:00-05:00'))).toBe(false);
  });

  it('reads the wall clock of the given zone, not of the machine', () => {
    const instant = Date.parse('2026-01-10T03:00:00Z'); // Fri 22:00 in New York, Sat 04:00 in Berlin
    expect(localWallClock(NY, instant)).toEqual({ day: 'Fri', time: '22:00' });
    expect(localWallClock(BERLIN, instant)).toEqual({ day: 'Sat', time: '04:00' });
    expect(isBedtime(at('Fri 22:00-23:00'), NY, instant)).toBe(true);
    expect(isBedtime(at('Fri 22:00-23:00'), BERLIN, instant)).toBe(false);
  });

  it('accepts a Date or epoch milliseconds', () => {
    const ms = saturday('07:00');
    expect(isBedtime(at('Fri 22:00-08:00'), NY, new Date(ms))).toBe(true);
    expect(isBedtime(at('Fri 22:00-08:00'), NY, ms)).toBe(true);
  });

  it('returns the first covering window', () => {
    const schedule = [parseBedtimeSpec('Mon 10:00-11:00'), parseBedtimeSpec('Fri 22:00-08:00'), parseBedtimeSpec('daily 07:00-07:30')];
    expect(bedtimeWindowAt(schedule, NY, saturday('07:10'))).toBe(schedule[1]);
    expect(bedtimeWindowAt(schedule, NY, saturday('08:10'))).toBeNull();
    expect(isBedtime([], NY, saturday('07:10'))).toBe(false);
  });

  it('throws clear errors for a bad time zone, instant or schedule', () => {
    expect(() => isBedtime(at('Fri 22:00-08:00'), 'Mars/Olympus_Mons', 0)).toThrow(/unknown time zone "Mars\/Olympus_Mons"/);
    expect(() => isBedtime(at('Fri 22:00-08:00'), '', 0)).toThrow(/time zone is missing/);
    expect(() => isBedtime(at('Fri 22:00-08:00'), NY, new Date('nope'))).toThrow(/invalid instant/);
    expect(() => isBedtime(at('Fri 22:00-08:00'), NY, Number.NaN)).toThrow(/invalid instant/);
    expect(() => isBedtime([{ days: ['Fri'], start: '22:00', end: '22:00' }], NY, 0)).toThrow(/start equals end/);
  });
});

describe('isBedtime on DST days (2026)', () => {
  // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
  // Europe/Berlin:    2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.

  it('New York spring forward: the skipped hour never occurs', () => {
    expect(coveredMinutes(at('Sun 02:00-03:00'), NY, '2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z')).toBe(0);
    expect(isBedtime(at('Sun 02:30-08:00'), NY, Date.parse('2026-03-08T06:59:00Z'))).toBe(false); // 01:59 EST
    expect(isBedtime(at('Sun 02:30-08:00'), NY, Date.parse('2026-03-08T07:00:00Z'))).toBe(true); // 03:00 EDT
  });

  it('New York spring forward: an overnight window is an hour shorter in real time', () => {
    expect(coveredMinutes(at('Sat 22:00-07:00'), NY, '2026-03-07T12:00:00Z', '2026-03-08T18:00:00Z')).toBe(8 * 60);
    expect(isBedtime(at('Sat 22:00-07:00'), NY, Date.parse('2026-03-08T10:59:00Z'))).toBe(true); // 06:59 EDT
    expect(isBedtime(at('Sat 22:00-07:00'), NY, Date.parse('2026-03-08T11:00:00Z'))).toBe(false); // 07:00 EDT
  });

  it('New York fall back: the repeated hour is covered both times', () => {
    const window = at('Sun 01:00-02:00');
    expect(isBedtime(window, NY, Date.parse('2026-11-01T05:00:00Z'))).toBe(true); // 01:00 EDT
    expect(isBedtime(window, NY, Date.parse('2026-11-01T06:30:00Z'))).toBe(true); // 01:30 EST
    expect(isBedtime(window, NY, Date.parse('2026-11-01T07:00:00Z'))).toBe(false); // 02:00 EST
    expect(coveredMinutes(window, NY, '2026-10-31T12:00:00Z', '2026-11-02T00:00:00Z')).toBe(120);
    expect(coveredMinutes(at('Sat 22:00-07:00'), NY, '2026-10-31T12:00:00Z', '2026-11-01T18:00:00Z')).toBe(10 * 60);
  });

  it('New York fall back: a window ending inside the repeated hour ends there both times', () => {
    // 00:30-01:30 covers 00:30-00:59 EDT, 01:00-01:29 EDT, then again 01:00-01:29 EST.
    expect(coveredMinutes(at('Sun 00:30-01:30'), NY, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')).toBe(90);
  });

  it('Berlin spring forward', () => {
    expect(coveredMinutes(at('Sun 02:00-02:45'), BERLIN, '2026-03-28T12:00:00Z', '2026-03-30T00:00:00Z')).toBe(0);
    expect(coveredMinutes(at('Sat 23:00-07:00'), BERLIN, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z')).toBe(7 * 60);
    expect(isBedtime(at('Sat 23:00-03:00'), BERLIN, Date.parse('2026-03-29T00:59:00Z'))).toBe(true); // 01:59 CET
    expect(isBedtime(at('Sat 23:00-03:00'), BERLIN, Date.parse('2026-03-29T01:00:00Z'))).toBe(false); // 03:00 CEST
  });

  it('Berlin fall back', () => {
    const window = at('Sun 02:00-03:00');
    expect(isBedtime(window, BERLIN, Date.parse('2026-10-25T00:00:00Z'))).toBe(true); // 02:00 CEST
    expect(isBedtime(window, BERLIN, Date.parse('2026-10-25T01:00:00Z'))).toBe(true); // 02:00 CET
    expect(isBedtime(window, BERLIN, Date.parse('2026-10-25T02:00:00Z'))).toBe(false); // 03:00 CET
    expect(coveredMinutes(window, BERLIN, '2026-10-24T12:00:00Z', '2026-10-26T00:00:00Z')).toBe(120);
    expect(coveredMinutes(at('Sat 23:00-07:00'), BERLIN, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).toBe(9 * 60);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const dayArb = fc.constantFrom(...DAY_NAMES);
const minuteOfDayArb = fc.integer({ min: 0, max: 1439 });
const windowArb: fc.Arbitrary<BedtimeWindow> = fc
  .record({
    days: fc.subarray([...DAY_NAMES] as DayName[], { minLength: 1 }),
    start: minuteOfDayArb,
    end: minuteOfDayArb,
  })
  .filter((w) => w.start !== w.end)
  .map((w) => ({ days: w.days, start: hhmm(w.start), end: hhmm(w.end) }));
const scheduleArb = fc.array(windowArb, { maxLength: 4 });
const zoneArb = fc.constantFrom(...ZONES);
// DST transitions are where wall-clock logic breaks, so half the instants land near one.
const TRANSITIONS_2026 = [
  '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', // New York
  '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', // Berlin
  '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', // Lord Howe (30-minute shift)
  '2026-04-04T14:00:00Z', '2026-09-26T14:00:00Z', // Auckland and Chatham
].map(Date.parse);
const instantArb = fc.oneof(
  fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
  fc.tuple(fc.constantFrom(...TRANSITIONS_2026), fc.integer({ min: -36 * 60, max: 36 * 60 }), fc.integer({ min: 0, max: 59_999 }))
    .map(([t, minutes, ms]) => t + minutes * MINUTE + ms),
);

describe('isBedtime properties', () => {
  it('agrees with the reference model', () => {
    fc.assert(
      fc.property(scheduleArb, zoneArb, instantArb, (schedule, zone, instant) => {
        expect(isBedtime(schedule, zone, instant)).toBe(referenceCovers(schedule, zone, instant));
      }),
      { numRuns: 2000 },
    );
  });

  it('a daily window starting at the local minute covers it; one ending there does not', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, fc.integer({ min: 1, max: 1439 }), (zone, instant, length) => {
        const local = referenceLocal(zone, instant);
        const now = local.hour * 60 + local.minute;
        const days = [...DAY_NAMES];
        expect(isBedtime([{ days, start: hhmm(now), end: hhmm((now + length) % 1440) }], zone, instant)).toBe(true);
        expect(isBedtime([{ days, start: hhmm((now - length + 1440) % 1440), end: hhmm(now) }], zone, instant)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a wrapping window covers the following morning, and the next day’s window does not', () => {
    fc.assert(
      fc.property(
        zoneArb,
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 12 * 60, max: 1439 }),
        fc.integer({ min: 1, max: 12 * 60 - 1 }),
        fc.integer({ min: 0, max: 12 * 60 - 2 }),
        (zone, dayOfYear, start, end, morning) => {
          fc.pre(morning < end);
          const evening = new Date(Date.UTC(2026, 0, 1 + dayOfYear));
          const next = new Date(evening.getTime() + 86_400_000);
          const instant = instantAt(zone, {
            year: next.getUTCFullYear(),
            month: next.getUTCMonth() + 1,
            day: next.getUTCDate(),
            hour: Math.floor(morning / 60),
            minute: morning % 60,
          });
          fc.pre(instant !== undefined); // that wall time was skipped by a DST change
          const startDay = DAY_NAMES[evening.getUTCDay()]!;
          const nextDay = DAY_NAMES[next.getUTCDay()]!;
          expect(isBedtime([{ days: [startDay], start: hhmm(start), end: hhmm(end) }], zone, instant!)).toBe(true);
          expect(isBedtime([{ days: [nextDay], start: hhmm(start), end: hhmm(end) }], zone, instant!)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('localWallClock agrees with the reference formatter', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (zone, instant) => {
        const local = referenceLocal(zone, instant);
        expect(localWallClock(zone, instant)).toEqual({
          day: DAY_NAMES[weekdayOf(local)],
          time: hhmm(local.hour * 60 + local.minute),
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('spec properties', () => {
  it('parse(format(window)) returns the window', () => {
    fc.assert(
      fc.property(windowArb, (window) => {
        expect(parseBedtimeSpec(formatBedtimeWindow(window))).toEqual(window);
      }),
    );
  });

  it('format is canonical: any spelling of the same days formats the same', () => {
    fc.assert(
      fc.property(windowArb, fc.boolean(), (window, longNames) => {
        const names = window.days.map((d) => {
          const full = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][DAY_NAMES.indexOf(d)]!;
          return (longNames ? full : d).toUpperCase();
        });
        const spelled = `${[...names].reverse().join(', ')} ${window.start}-${window.end}`;
        expect(formatBedtimeWindow(parseBedtimeSpec(spelled))).toBe(formatBedtimeWindow(window));
      }),
    );
  });

  it('every valid window validates', () => {
    fc.assert(
      fc.property(windowArb, (window) => {
        expect(validateBedtimeWindow(window)).toBeNull();
      }),
    );
  });
});
