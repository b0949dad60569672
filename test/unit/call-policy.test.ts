// The call-time decisions the deployed Functions share: the dialled number from a SIP URI, and
// which path a call takes and why (lib/dialled-number.js, lib/caller-policy.js).
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The libraries are CommonJS JavaScript (type-checked on their own): just their faces here.
interface Dialled {
  kind: 'number' | 'short' | 'invalid';
  dialled: string;
  e164?: string;
  digits?: string;
  reason?: string;
}
interface Decision {
  path: string;
  reason: string;
  bedtime: { active: boolean; window: string | null; localTime: string | null; error?: string };
  [field: string]: unknown;
}
const require = createRequire(import.meta.url);
const dialled = require('../../templates/functions/lib/dialled-number.js') as {
  parseDialled(uri: string, country: string | null | undefined): Dialled;
  isEmergencyNumber(digits: string, configured: string[]): boolean;
};
const policy = require('../../templates/functions/lib/caller-policy.js') as {
  decideInbound(input: object): Decision;
  decideOutbound(input: object): Omit<Decision, 'bedtime'>;
  ringTimeout(policy: object): number;
};

const sip = (user: string) => `sip:${user}@myhome.sip.twilio.com`;

describe('the dialled number', () => {
  it.each([
    [sip('+15551234567'), 'US', '+15551234567'],
    [sip('5551234567'), 'US', '+15551234567'],
    [sip('15551234567'), 'US', '+15551234567'],
    [sip('(555)%20123-4567'), 'US', '+15551234567'],
    [sip('01144207946000'), 'US', '+44207946000'],
    [sip('4165550123'), 'CA', '+14165550123'],
    [sip('02079460000'), 'GB', '+442079460000'],
    [sip('0044 20 7946 0000'), 'GB', '+442079460000'],
    [sip('0612345678'), 'FR', '+33612345678'],
    [sip('0212345678'), 'AU', '+61212345678'],
    [sip('001115551234567'), 'AU', '+15551234567'],
    [sip('0612345678'), 'IT', '+390612345678'],
    ['sip:+33612345678@myhome.sip.twilio.com;user=phone', 'US', '+33612345678'],
    ['tel:+15551234567', 'US', '+15551234567'],
  ])('%s in %s is %s', (uri, country, e164) => {
    expect(dialled.parseDialled(uri, country)).toEqual({ kind: 'number', dialled: expect.any(String), e164 });
  });

  it.each([
    [sip('911'), '911'],
    [sip('112'), '112'],
    [sip('000'), '000'],
  ])('%s is a short code', (uri, digits) => {
    expect(dialled.parseDialled(uri, 'US')).toMatchObject({ kind: 'short', digits });
  });

  it.each([
    [sip(''), 'nothing was dialled'],
    ['sip:myhome.sip.twilio.com', 'nothing was dialled'],
    [sip('alice'), 'alice is not a phone number'],
    [sip('12345678'), '12345678 is not a 10-digit North American number'],
    [sip('0551234567'), '0551234567 is not a 10-digit North American number'],
    [sip('+1555abc'), '+1555abc has characters that are not digits'],
    [sip('+123'), '+123 is not a valid international number'],
  ])('%s cannot be dialled: %s', (uri, reason) => {
    expect(dialled.parseDialled(uri, 'US')).toMatchObject({ kind: 'invalid', reason });
  });

  it('an unknown country reads only international forms', () => {
    expect(dialled.parseDialled(sip('0044207946000'), 'ZZ')).toMatchObject({ kind: 'number', e164: '+44207946000' });
    expect(dialled.parseDialled(sip('0207946000'), 'ZZ')).toMatchObject({ kind: 'invalid' });
  });

  it('every E.164 number reads back as itself, with or without separators', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), fc.constantFrom('', ' ', '-', '.'), (e164, sep) => {
        const spaced = e164.slice(0, 3) + sep + e164.slice(3);
        expect(dialled.parseDialled(sip(encodeURIComponent(spaced)), 'GB')).toMatchObject({ kind: 'number', e164 });
      }),
    );
  });

  it('every 10-digit NANP number in national form is +1 and the number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[2-9]\d{9}$/), (national) => {
        expect(dialled.parseDialled(sip(national), 'US')).toMatchObject({ kind: 'number', e164: `+1${national}` });
      }),
    );
  });

  it('911 and 112 are always emergency numbers; others only when the policy lists them', () => {
    expect(dialled.isEmergencyNumber('911', [])).toBe(true);
    expect(dialled.isEmergencyNumber('112', [])).toBe(true);
    expect(dialled.isEmergencyNumber('999', ['911'])).toBe(false);
    expect(dialled.isEmergencyNumber('999', ['911', '999'])).toBe(true);
  });
});

describe('the caller policy', () => {
  const whitelist = [
    { Number: '+15555555555', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null },
    { Number: '+15555550100', Person: 'Uncle Bob', OverrideBedtime: false, PrimaryContact: null },
  ];
  const household = { timeZone: 'America/New_York', defaultCountry: 'US', emergencyNumbers: ['911'], bedtime: [{ days: ['Fri' as const], start: '22:00', end: '08:00' }] };
  const friday2330 = new Date('2026-11-21T04:30:00Z');
  const inbound = (from: string, now = friday2330, extra = {}) => policy.decideInbound({ from, ownerCell: '+15551239000', whitelist, policy: { ...household, ...extra }, now });

  it('decides every inbound path, and says why', () => {
    expect(inbound('+15551239000')).toMatchObject({ path: 'owner', reason: "the owner's cell: rings the home phone whatever the whitelist or bedtime say" });
    expect(inbound('+15550009999')).toMatchObject({ path: 'not-whitelisted', reason: '+15550009999 is not on the whitelist' });
    expect(inbound('+15555550100')).toMatchObject({
      path: 'bedtime',
      bedtime: { active: true, window: 'Fri 22:00-08:00', localTime: 'Fri 23:30' },
      reason: 'Uncle Bob (+15555550100) is on the whitelist, but it is bedtime (Fri 22:00-08:00, now Fri 23:30) and they may not ring through at bedtime',
    });
    expect(inbound('+15555555555')).toMatchObject({ path: 'ring', reason: expect.stringContaining('they may ring through at bedtime') });
    expect(inbound('+15555550100', new Date('2026-11-21T13:00:00Z'))).toMatchObject({ path: 'ring', reason: 'Uncle Bob (+15555550100) is on the whitelist; not bedtime' });
  });

  it('a broken schedule never blocks the family: it counts as no bedtime and says why', () => {
    const d = inbound('+15555550100', friday2330, { timeZone: 'Mars/Olympus' });
    expect(d.path).toBe('ring');
    expect(d.bedtime.error).toMatch(/unknown time zone "Mars\/Olympus"/);
  });

  it('decides every outbound path', () => {
    const out = (user: string) => policy.decideOutbound({ to: sip(user), whitelist, policy: household, ownerCell: '+15551239000' });
    expect(out('911')).toMatchObject({ path: 'emergency', number: '911' });
    expect(out('5555555555')).toMatchObject({ path: 'whitelisted', number: '+15555555555', person: 'Grandma' });
    expect(out('+15550009999')).toMatchObject({ path: 'owner', number: '+15550009999' });
    expect(out('411')).toMatchObject({ path: 'unparsable' });
  });

  it('rings the phone for 25 s unless the household set 10 to 120', () => {
    expect(policy.ringTimeout({})).toBe(25);
    expect(policy.ringTimeout({ ringTimeout: 40 })).toBe(40);
    expect(policy.ringTimeout({ ringTimeout: 4 })).toBe(25);
  });
});
