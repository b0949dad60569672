// @ts-check
'use strict';

// The home number's text commands, pure: reading a text ("quiet 2h", "allow +1 555 555 0199
// Grandpa"…) into a command, working out when a quiet time ends, and the words of the replies.
// /sms-home does the I/O (the owner check, Sync, the call history); the CLI's `simulate text` runs
// the same Function in the twin. Replies are kept short: each is one text.

/** The longest quiet time a text can ask for. */
const MAX_QUIET_MS = 24 * 60 * 60 * 1000;
/** How many recent calls `who` lists. */
const WHO_COUNT = 5;
const MAX_NAME = 50;

const HELP =
  'Commands: quiet 2h | quiet until 7am | awake | allow +1 555 555 0199 Name | block +1 555 555 0199 | who | help';

/**
 * @typedef {{ kind: 'help' }
 *   | { kind: 'unknown', text: string }
 *   | { kind: 'quiet', forMs: number }
 *   | { kind: 'quiet-until', hour: number, minute: number }
 *   | { kind: 'awake' }
 *   | { kind: 'allow', number: string, name: string | null }
 *   | { kind: 'block', number: string }
 *   | { kind: 'who' }
 *   | { kind: 'bad', reason: string }} Command
 * number: the number as typed (the Function turns it into E.164 with the household's country).
 */

/**
 * "2h", "90m", "1h30m", "1 hour 30 minutes", "2 hours" → milliseconds; null if unreadable.
 * @param {string} text
 * @returns {number | null}
 */
function parseDuration(text) {
  const compact = text.toLowerCase().replace(/\s+/g, '');
  const m = /^(?:(\d{1,3})(?:h|hr|hrs|hour|hours))?(?:(\d{1,4})(?:m|min|mins|minute|minutes))?$/.exec(compact);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60_000;
}

/**
 * "7am", "7:30 pm", "07:00", "19:00", "7" (a bare hour is 24-hour) → hour and minute; null if unreadable.
 * @param {string} text
 * @returns {{ hour: number, minute: number } | null}
 */
function parseClock(text) {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/.exec(text.trim().toLowerCase());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const half = m[3]?.replace(/\./g, '');
  if (minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) return null;
  return { hour, minute };
}

/**
 * A clean contact name from a text: control and bidi characters dropped, spaces collapsed,
 * at most MAX_NAME characters; null when nothing is left.
 * @param {string} text
 * @returns {string | null}
 */
function cleanName(text) {
  // eslint-disable-next-line no-control-regex
  const name = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  return name ? name.slice(0, MAX_NAME) : null;
}

/**
 * Splits "+1 555 555 0199 Grandpa" into the number as typed and the rest.
 * @param {string} text
 * @returns {{ number: string, rest: string } | null}
 */
function splitNumber(text) {
  const m = /^(\+?[\d(][\d\s().\-/]*\d)(?:\s+(.*))?$/s.exec(text.trim());
  return m ? { number: (m[1] ?? '').trim(), rest: (m[2] ?? '').trim() } : null;
}

/**
 * Reads a text into a command. Case and surrounding spaces do not matter.
 * @param {string | undefined} body
 * @returns {Command}
 */
function parseCommand(body) {
  const text = String(body ?? '').trim();
  const [word = '', ...restWords] = text.split(/\s+/);
  const rest = restWords.join(' ');
  switch (word.toLowerCase()) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'who':
      return { kind: 'who' };
    case 'awake':
      return { kind: 'awake' };
    case 'quiet': {
      const until = /^until\s+(.+)$/i.exec(rest);
      if (until) {
        const clock = parseClock(until[1] ?? '');
        return clock ? { kind: 'quiet-until', ...clock } : { kind: 'bad', reason: `"${until[1]}" is not a time: say quiet until 7am or quiet until 21:30` };
      }
      const forMs = parseDuration(rest);
      if (forMs === null) return { kind: 'bad', reason: 'say how long: quiet 2h, quiet 45m, or quiet until 7am' };
      if (forMs <= 0) return { kind: 'bad', reason: 'a quiet time must last at least a minute' };
      if (forMs > MAX_QUIET_MS) return { kind: 'bad', reason: 'a quiet time lasts at most 24 hours' };
      return { kind: 'quiet', forMs };
    }
    case 'allow':
    case 'block': {
      const parts = splitNumber(rest);
      if (!parts) return { kind: 'bad', reason: `give a phone number: ${word.toLowerCase()} +1 555 555 0199${word.toLowerCase() === 'allow' ? ' Grandpa' : ''}` };
      if (word.toLowerCase() === 'block') {
        return parts.rest ? { kind: 'bad', reason: 'block takes just a number: block +1 555 555 0199' } : { kind: 'block', number: parts.number };
      }
      return { kind: 'allow', number: parts.number, name: cleanName(parts.rest) };
    }
    default:
      return { kind: 'unknown', text: text.slice(0, 40) };
  }
}

/**
 * When "quiet until hh:mm" ends: the next time the household's wall clock shows hh:mm (today if
 * still ahead, else tomorrow). A day that skips or repeats an hour (DST) is corrected by reading
 * the wall clock back at the instant found.
 * @param {{ hour: number, minute: number }} at
 * @param {string} timeZone
 * @param {number} now epoch ms
 * @param {(tz: string, instant: number) => { time: string }} wallClock lib/bedtime.js's localWallClock
 * @returns {number} epoch ms
 */
function nextWallClock(at, timeZone, now, wallClock) {
  const toMinutes = (/** @type {string} */ hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const target = at.hour * 60 + at.minute;
  const nowMinute = toMinutes(wallClock(timeZone, now).time);
  const ahead = (target - nowMinute + 1440) % 1440 || 1440;
  // Whole minutes from the start of the current minute.
  let instant = now - (now % 60_000) + ahead * 60_000;
  const drift = ((toMinutes(wallClock(timeZone, instant).time) - target + 720 + 1440) % 1440) - 720;
  if (drift !== 0) instant -= drift * 60_000;
  return instant;
}

/**
 * "2 h", "45 min", "1 h 30 min".
 * @param {number} ms
 * @returns {string}
 */
function formatDuration(ms) {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}

/**
 * A number whose owner is not known, with its middle hidden: +1******0199 (the country code and
 * the last four, as `homephone calls` shows unknown numbers, but with '*': a text stays in the GSM
 * alphabet, so a reply is not sent as UCS-2 at 70 characters a segment). Anything that is not
 * E.164 is not echoed at all.
 * @param {string | undefined} number
 * @returns {string}
 */
function maskNumber(number) {
  const n = String(number ?? '');
  if (!/^\+\d{6,15}$/.test(n)) return n.startsWith('sip:') ? 'a SIP address' : 'an unrecognised sender';
  return `${n.slice(0, 2)}${'*'.repeat(n.length - 6)}${n.slice(-4)}`;
}

/** How `who` words each recorded decision (lib/history.js). */
/** @type {Readonly<Record<string, string>>} */
const DECISION_WORDS = Object.freeze({
  rang: 'rang',
  blocked: 'blocked',
  bedtime: 'bedtime',
  owner: 'owner',
  'owner-menu': 'owner menu',
  emergency: 'emergency',
  fallback: 'to your cell',
  voicemail: 'voicemail',
  missed: 'missed',
  'buzz-opened': 'buzz opened',
  'missed-buzz': 'missed buzz',
});

module.exports = {
  MAX_QUIET_MS,
  WHO_COUNT,
  HELP,
  DECISION_WORDS,
  parseCommand,
  parseDuration,
  parseClock,
  cleanName,
  nextWallClock,
  formatDuration,
  maskNumber,
};
