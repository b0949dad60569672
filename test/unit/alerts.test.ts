// The alert library's pure parts (templates/functions/lib/alerts.js): what the ALERTS Variable may
// hold, which digest a call belongs to and when it is due, and that a digest always fits in one
// message (Twilio refuses a body over 1,600 characters).
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { alertsLib } from '../../src/alerts/settings.js';

const require = createRequire(import.meta.url);
const lib = require('../../templates/functions/lib/alerts.js') as typeof alertsLib & {
  digestPeriod(local: { date: string; time: string }, digestAt: string): string;
  isDue(period: string, local: { date: string; time: string }, digestAt: string): boolean;
  localParts(timeZone: string | undefined, ms: number): { date: string; time: string };
};

describe('the ALERTS Variable', () => {
  it('absent, "off", or not a JSON object means off', () => {
    for (const raw of [undefined, '', 'off', '[]', 'null', '{', 42]) expect(lib.settingsFrom(raw)).toBeNull();
  });

  it('reads what deploy writes, and falls back to the defaults for values it cannot use', () => {
    const written = lib.variableValue({ unknown: 'digest', missed: false, maxPerDay: 3, digestAt: '07:30' });
    expect(lib.settingsFrom(written)).toEqual({ unknown: 'digest', missed: false, maxPerDay: 3, digestAt: '07:30' });
    expect(lib.settingsFrom('{"unknown":"loud","maxPerDay":0,"digestAt":"7pm"}')).toEqual({ unknown: 'immediate', missed: true, maxPerDay: 10, digestAt: '20:00' });
  });
});

describe('the digest period', () => {
  it('a call before the digest time is in today\'s digest, one at or after it in tomorrow\'s (across month and year ends)', () => {
    expect(lib.digestPeriod({ date: '2026-11-20', time: '19:59' }, '20:00')).toBe('2026-11-20');
    expect(lib.digestPeriod({ date: '2026-11-20', time: '20:00' }, '20:00')).toBe('2026-11-21');
    expect(lib.digestPeriod({ date: '2026-12-31', time: '23:00' }, '20:00')).toBe('2027-01-01');
    expect(lib.digestPeriod({ date: '2028-02-28', time: '21:00' }, '08:00')).toBe('2028-02-29');
  });

  it('is due from its digest time on', () => {
    expect(lib.isDue('2026-11-20', { date: '2026-11-20', time: '19:59' }, '20:00')).toBe(false);
    expect(lib.isDue('2026-11-20', { date: '2026-11-20', time: '20:00' }, '20:00')).toBe(true);
    expect(lib.isDue('2026-11-20', { date: '2026-11-21', time: '00:10' }, '20:00')).toBe(true);
  });

  it('the local day is the household\'s, not UTC\'s', () => {
    const ms = Date.parse('2026-11-21T03:30:00Z'); // 22:30 on the 20th in New York
    expect(lib.localParts('America/New_York', ms)).toEqual({ date: '2026-11-20', time: '22:30' });
    expect(lib.localParts('Not/AZone', ms)).toEqual({ date: '2026-11-21', time: '03:30' });
  });
});

describe('the digest text', () => {
  it('always fits in one message, and counts what it cannot list', () => {
    const number = fc.stringMatching(/^\+1[2-9]\d{9}$/);
    fc.assert(
      fc.property(fc.array(fc.record({ from: number, count: fc.integer({ min: 1, max: 100_000 }), last: fc.constant('23:59') }), { maxLength: 50 }), fc.nat(10_000), (callers, more) => {
        const calls = callers.reduce((n, c) => n + c.count, 0) + more;
        const text = lib.digestText({ period: '2026-11-20', callers, calls, more });
        expect(text.length).toBeLessThanOrEqual(1600);
        const hidden = more + Math.max(0, callers.length - 25);
        if (hidden > 0) expect(text).toContain(`and ${hidden} more number`);
      }),
    );
  });

  it('shows withheld numbers as such', () => {
    expect(lib.digestText({ period: null, callers: [{ from: 'anonymous', count: 2, last: '10:00' }], calls: 2, more: 0 })).toContain('a withheld number x2 (last 10:00)');
  });
});
