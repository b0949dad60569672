// Local wall-clock times in the household's time zone, as instants: "2026-03-08 02:30" in
// America/New_York. Built on Intl only. A time skipped by a DST change is read as the same wall
// time after the change (02:30 → 03:30); a repeated one as its first occurrence.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The zone's offset from UTC at an instant, in minutes (e.g. -300 for New York in winter). */
function offsetMinutes(timeZone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * Parses "YYYY-MM-DD HH:MM[:SS]" as a wall time in `timeZone`, or, with an explicit offset
 * ("…-05:00", "…Z"), as that instant. Throws an Error saying what is wrong.
 */
export function localTimeToInstant(text: string, timeZone: string): Date {
  const m = LOCAL.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a local time: write "YYYY-MM-DD HH:MM" (optionally with an offset, e.g. "2026-11-20 23:30-05:00")`);
  const [year, month, day, hour, minute, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as [
    number, number, number, number, number, number | undefined,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new Error(`"${text}" is not a valid date and time`);
  }
  const offset = m[7];
  if (offset !== undefined) {
    if (offset.toUpperCase() === 'Z') return new Date(wall);
    const o = /^([+-])(\d{2}):?(\d{2})$/.exec(offset)!;
    const minutes = Number(o[2]) * 60 + Number(o[3]);
    if (Number(o[2]) > 14 || Number(o[3]) > 59) throw new Error(`"${offset}" is not a UTC offset`);
    return new Date(wall - (o[1] === '-' ? -minutes : minutes) * 60_000);
  }
  // Two passes find the offset in force at that wall time; offsets before and after a change
  // tell skipped and repeated times apart.
  const before = offsetMinutes(timeZone, wall - 86_400_000);
  const after = offsetMinutes(timeZone, wall + 86_400_000);
  const candidates = [...new Set([before, after])]
    .map((off) => wall - off * 60_000)
    .filter((ms) => offsetMinutes(timeZone, ms) * 60_000 === wall - ms)
    .sort((a, b) => a - b);
  if (candidates.length) return new Date(candidates[0]!);
  // Skipped by a DST change: the same wall time under the offset before the change.
  return new Date(wall - before * 60_000);
}

/** "Fri 2026-11-20 23:30" in the zone, for messages. */
export function formatLocal(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
