// @ts-check
'use strict';

// The call-time decisions of the home phone, in one place: who is calling (or being called),
// whether they are on the whitelist, whether it is bedtime, which path the call takes and why.
// Pure: the Functions pass in what they read (assets, variables, the clock) and act on the answer;
// `homephone simulate` and the tests read the same answer from the Functions' logs.

/**
 * A sibling library: through Runtime.getFunctions() on Twilio (where Functions are not laid out by
 * path), by its relative path everywhere else (the CLI, tests).
 * @param {string} name
 * @returns {any}
 */
function sibling(name) {
  if (typeof Runtime !== 'undefined') {
    const fn = Runtime.getFunctions()[`lib/${name}`];
    if (fn) return require(fn.path);
  }
  return require(`./${name}.js`);
}

/** @type {typeof import('./dialled-number.js')} */
const dialledNumber = sibling('dialled-number');

/**
 * @typedef {import('./bedtime.js').BedtimeWindow} BedtimeWindow
 * @typedef {{ Number: string, Person?: string | null, OverrideBedtime?: boolean | null, PrimaryContact?: string | null }} Contact
 * @typedef {{
 *   timeZone?: string,
 *   defaultCountry?: string | null,
 *   bedtime?: BedtimeWindow[],
 *   emergencyNumbers?: string[],
 *   countryCallingCode?: string | null,
 *   voicemail?: boolean,
 *   ringTimeout?: number,
 *   messages?: { notWhitelisted?: string, bedtime?: string, phoneUnavailable?: string },
 *   quietUntil?: number | null,
 * }} Policy
 * quietUntil: a quiet time the owner texted (epoch ms; lib/overrides.js): bedtime until then.
 * @typedef {{ active: boolean, window: string | null, localTime: string | null, error?: string }} BedtimeState
 * @typedef {{
 *   homephone: 'decision',
 *   call: 'inbound',
 *   path: 'owner' | 'ring' | 'bedtime' | 'not-whitelisted',
 *   from: string,
 *   person: string | null,
 *   whitelisted: boolean,
 *   overrideBedtime: boolean,
 *   bedtime: BedtimeState,
 *   voicemail: boolean,
 *   reason: string,
 * }} InboundDecision
 * @typedef {{
 *   homephone: 'decision',
 *   call: 'outbound',
 *   path: 'emergency' | 'whitelisted' | 'owner' | 'unparsable',
 *   dialled: string,
 *   number: string | null,
 *   person: string | null,
 *   whitelisted: boolean,
 *   reason: string,
 * }} OutboundDecision
 */

/** @returns {typeof import('./bedtime.js')} */
function bedtimeLib() {
  return sibling('bedtime');
}

/**
 * The whitelist entry for a number (E.164, compared exactly), or null.
 * @param {readonly Contact[]} whitelist
 * @param {string | null | undefined} number
 * @returns {Contact | null}
 */
function findContact(whitelist, number) {
  if (!number) return null;
  return whitelist.find((c) => c && c.Number === number) ?? null;
}

/**
 * "Grandma (+15555555555)" or the bare number.
 * @param {Contact | null} contact
 * @param {string} number
 * @returns {string}
 */
function describe(contact, number) {
  return contact?.Person ? `${contact.Person} (${number})` : number || 'an unknown caller';
}

/**
 * Whether it is bedtime at `now`, never throwing: a broken schedule counts as no bedtime (the
 * phone rings rather than silently refusing the family) and says why.
 * @param {Policy} policy
 * @param {Date} now
 * @returns {BedtimeState}
 */
function bedtimeAt(policy, now) {
  const schedule = policy.bedtime ?? [];
  if (!policy.timeZone) return { active: false, window: null, localTime: null, error: 'no time zone in the policy' };
  try {
    const lib = bedtimeLib();
    const clock = lib.localWallClock(policy.timeZone, now);
    // A quiet time texted by the owner is bedtime until it ends, whatever the schedule says.
    const quietUntil = Number(policy.quietUntil ?? 0);
    if (quietUntil > now.getTime()) {
      const end = lib.localWallClock(policy.timeZone, quietUntil);
      return { active: true, window: `quiet until ${end.day} ${end.time} (texted)`, localTime: `${clock.day} ${clock.time}` };
    }
    const window = schedule.length ? lib.bedtimeWindowAt(schedule, policy.timeZone, now) : null;
    return { active: window !== null, window: window ? lib.formatBedtimeWindow(window) : null, localTime: `${clock.day} ${clock.time}` };
  } catch (e) {
    return { active: false, window: null, localTime: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * A call to the home number from anyone: which path it takes, and why.
 * @param {{ from: string | undefined, ownerCell?: string | undefined, whitelist: readonly Contact[], policy: Policy, now: Date }} input
 * @returns {InboundDecision}
 */
function decideInbound(input) {
  const from = input.from ?? '';
  const contact = findContact(input.whitelist, from);
  const bedtime = bedtimeAt(input.policy, input.now);
  const base = {
    homephone: /** @type {const} */ ('decision'),
    call: /** @type {const} */ ('inbound'),
    from,
    person: contact?.Person ?? null,
    whitelisted: contact !== null,
    overrideBedtime: contact?.OverrideBedtime === true,
    bedtime,
    voicemail: input.policy.voicemail === true,
  };
  const when = bedtime.active ? `bedtime (${bedtime.window}, now ${bedtime.localTime})` : 'not bedtime';
  if (input.ownerCell && from === input.ownerCell) {
    return { ...base, path: 'owner', person: base.person ?? 'the owner', reason: "the owner's cell: rings the home phone whatever the whitelist or bedtime say" };
  }
  if (!contact) {
    return { ...base, path: 'not-whitelisted', reason: `${describe(null, from)} is not on the whitelist` };
  }
  if (bedtime.active && !base.overrideBedtime) {
    return { ...base, path: 'bedtime', reason: `${describe(contact, from)} is on the whitelist, but it is ${when} and they may not ring through at bedtime` };
  }
  const tail = bedtime.active ? `; it is ${when}, and they may ring through at bedtime` : `; ${when}`;
  return { ...base, path: 'ring', reason: `${describe(contact, from)} is on the whitelist${tail}` };
}

/**
 * A call dialled on the SIP phone: which path it takes, and why.
 * @param {{ to: string | undefined, whitelist: readonly Contact[], policy: Policy, ownerCell?: string | undefined }} input
 * @returns {OutboundDecision}
 */
function decideOutbound(input) {
  const parsed = dialledNumber.parseDialled(input.to ?? '', input.policy.defaultCountry ?? 'US');
  const base = { homephone: /** @type {const} */ ('decision'), call: /** @type {const} */ ('outbound'), dialled: parsed.dialled };
  // Emergency numbers first, before any whitelist, bedtime or parsing rule can stand in the way.
  const emergency = dialledNumber.emergencyDialled(input.to ?? '', input.policy.emergencyNumbers);
  if (emergency) {
    return { ...base, path: 'emergency', number: emergency, person: null, whitelisted: false, reason: `${emergency} is an emergency number: always dialled directly` };
  }
  if (parsed.kind === 'short') {
    return { ...base, path: 'unparsable', number: null, person: null, whitelisted: false, reason: `${parsed.digits} is a short code, not an emergency number or a phone number` };
  }
  if (parsed.kind === 'invalid') {
    return { ...base, path: 'unparsable', number: null, person: null, whitelisted: false, reason: parsed.reason };
  }
  const contact = findContact(input.whitelist, parsed.e164);
  if (contact) {
    return { ...base, path: 'whitelisted', number: parsed.e164, person: contact.Person ?? null, whitelisted: true, reason: `${describe(contact, parsed.e164)} is on the whitelist: called from the home number` };
  }
  if (!input.ownerCell) {
    return { ...base, path: 'unparsable', number: parsed.e164, person: null, whitelisted: false, reason: `${parsed.e164} is not on the whitelist and there is no owner's cell to connect to` };
  }
  return { ...base, path: 'owner', number: parsed.e164, person: null, whitelisted: false, reason: `${parsed.e164} is not on the whitelist: connected to the owner's cell instead` };
}

/**
 * How long the SIP phone rings before the caller goes to the fallback (seconds, 10-120).
 * @param {Policy} policy
 * @returns {number}
 */
function ringTimeout(policy) {
  const n = Number(policy.ringTimeout);
  return Number.isInteger(n) && n >= 10 && n <= 120 ? n : 25;
}

module.exports = { decideInbound, decideOutbound, findContact, describe, bedtimeAt, ringTimeout };
