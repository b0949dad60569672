// The text commands' pure parts (templates/functions/lib/text-commands.js): reading a text into a
// command, and when "quiet until 7am" ends, on ordinary days and across daylight-saving changes.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { localWallClock } from '../../src/household/bedtime.js';
import { localTimeToInstant } from '../../src/household/local-time.js';

const require = createRequire(import.meta.url);
const lib = require('../../templates/functions/lib/text-commands.js') as {
  parseCommand(body: string): Record<string, unknown>;
  nextWallClock(at: { hour: number; minute: number }, tz: string, now: number, wallClock: typeof localWallClock): number;
  maskNumber(n: string): string;
};
const TZ = 'America/New_York';
const at = (text: string) => localTimeToInstant(text, TZ).getTime();

describe('reading a text', () => {
  it.each([
    ['quiet 2h', { kind: 'quiet', forMs: 2 * 3_600_000 }],
    ['Quiet 1h30m', { kind: 'quiet', forMs: 90 * 60_000 }],
    ['quiet 45 min', { kind: 'quiet', forMs: 45 * 60_000 }],
    ['quiet 2 hours', { kind: 'quiet', forMs: 2 * 3_600_000 }],
    ['quiet until 7am', { kind: 'quiet-until', hour: 7, minute: 0 }],
    ['quiet until 12am', { kind: 'quiet-until', hour: 0, minute: 0 }],
    ['quiet until 6:30 pm', { kind: 'quiet-until', hour: 18, minute: 30 }],
    ['quiet until 21:30', { kind: 'quiet-until', hour: 21, minute: 30 }],
    ['  AWAKE ', { kind: 'awake' }],
    ['allow +1 555 555 0199 Grandpa', { kind: 'allow', number: '+1 555 555 0199', name: 'Grandpa' }],
    ['allow (555) 555-0199', { kind: 'allow', number: '(555) 555-0199', name: null }],
    ['block +1-555-555-0199', { kind: 'block', number: '+1-555-555-0199' }],
    ['who', { kind: 'who' }],
    ['?', { kind: 'help' }],
  ])('%s', (text, command) => {
    expect(lib.parseCommand(text)).toEqual(command);
  });

  it.each([
    ['quiet', /say how long/],
    ['quiet 25h', /at most 24 hours/],
    ['quiet 0m', /at least a minute/],
    ['quiet until 13pm', /not a time/],
    ['quiet until 24:00', /not a time/],
    ['allow Grandpa', /give a phone number/],
    ['block +1 555 555 0199 Bob', /block takes just a number/],
  ])('%s is refused with the reason', (text, reason) => {
    const c = lib.parseCommand(text);
    expect(c.kind).toBe('bad');
    expect(String(c.reason)).toMatch(reason);
  });

  it('keeps a texted name clean: no control or bidi characters, at most 50 characters', () => {
    expect(lib.parseCommand('allow +15555550199 Gr\u202eandpa\u0007  Joe')).toMatchObject({ name: 'Grandpa Joe' });
    expect(String(lib.parseCommand(`allow +15555550199 ${'x'.repeat(80)}`).name)).toHaveLength(50);
  });
});

describe('when "quiet until" ends', () => {
  it.each([
    ['2026-11-20 15:00', 7, 0, '2026-11-21 07:00'],
    ['2026-11-20 06:59', 7, 0, '2026-11-20 07:00'],
    ['2026-11-20 07:00', 7, 0, '2026-11-21 07:00'],
    ['2026-11-20 23:30', 0, 15, '2026-11-21 00:15'],
    // Spring forward (2026-03-08, 02:00 → 03:00) and fall back (2026-11-01, 02:00 → 01:00).
    ['2026-03-07 22:00', 7, 0, '2026-03-08 07:00'],
    ['2026-10-31 22:00', 7, 0, '2026-11-01 07:00'],
  ])('from %s, until %i:%i is %s', (now, hour, minute, end) => {
    const instant = lib.nextWallClock({ hour, minute }, TZ, at(now), localWallClock);
    expect(instant).toBe(at(end));
  });
});

it('masks a number as the call history does, and never echoes what is not a number', () => {
  expect(lib.maskNumber('+15550009999')).toBe('+1******9999');
  expect(lib.maskNumber('hello <script>')).toBe('an unrecognised sender');
  expect(lib.maskNumber('sip:alice@example.org')).toBe('a SIP address');
});
