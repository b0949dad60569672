// @ts-check
'use strict';

// What the SIP phone dialled, from the URI Twilio hands the outbound flow
// (sip:+15551234567@home.sip.twilio.com, or sip:5551234567@… when no + was dialled), as E.164.
// The Functions have no libphonenumber, so this knows just enough about the dialling plans of the
// countries a household may be in: the international prefix, the national trunk prefix and the
// national number lengths. Short codes (911, 112…) come back as such; the caller decides.

/**
 * @typedef {{ cc: string, idd: string[], trunk: string, lengths: number[] }} DialPlan
 * cc: country calling code; idd: international call prefixes; trunk: the national prefix dropped
 * in international form ('' when none); lengths: national significant number lengths.
 */

/** @type {DialPlan} */
const NANP = { cc: '1', idd: ['011'], trunk: '1', lengths: [10] };

/** @type {Readonly<Record<string, DialPlan>>} */
const PLANS = Object.freeze({
  US: NANP, CA: NANP, PR: NANP, GU: NANP, VI: NANP, AS: NANP, MP: NANP, BS: NANP, BB: NANP, JM: NANP,
  TT: NANP, DO: NANP, BM: NANP, KY: NANP, AG: NANP, DM: NANP, GD: NANP, KN: NANP, LC: NANP, VC: NANP,
  AI: NANP, VG: NANP, MS: NANP, TC: NANP, SX: NANP,
  GB: { cc: '44', idd: ['00'], trunk: '0', lengths: [9, 10] },
  IE: { cc: '353', idd: ['00'], trunk: '0', lengths: [7, 8, 9] },
  FR: { cc: '33', idd: ['00'], trunk: '0', lengths: [9] },
  DE: { cc: '49', idd: ['00'], trunk: '0', lengths: [6, 7, 8, 9, 10, 11, 12, 13] },
  AT: { cc: '43', idd: ['00'], trunk: '0', lengths: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13] },
  CH: { cc: '41', idd: ['00'], trunk: '0', lengths: [9] },
  BE: { cc: '32', idd: ['00'], trunk: '0', lengths: [8, 9] },
  NL: { cc: '31', idd: ['00'], trunk: '0', lengths: [9] },
  SE: { cc: '46', idd: ['00'], trunk: '0', lengths: [7, 8, 9] },
  FI: { cc: '358', idd: ['00'], trunk: '0', lengths: [5, 6, 7, 8, 9, 10, 11, 12] },
  NZ: { cc: '64', idd: ['00'], trunk: '0', lengths: [8, 9, 10] },
  AU: { cc: '61', idd: ['0011'], trunk: '0', lengths: [9] },
  IN: { cc: '91', idd: ['00'], trunk: '0', lengths: [10] },
  // No trunk prefix: the national number is dialled as is (Italy keeps its leading 0).
  IT: { cc: '39', idd: ['00'], trunk: '', lengths: [6, 7, 8, 9, 10, 11] },
  ES: { cc: '34', idd: ['00'], trunk: '', lengths: [9] },
  PT: { cc: '351', idd: ['00'], trunk: '', lengths: [9] },
  DK: { cc: '45', idd: ['00'], trunk: '', lengths: [8] },
  NO: { cc: '47', idd: ['00'], trunk: '', lengths: [8] },
  MX: { cc: '52', idd: ['00'], trunk: '', lengths: [10] },
});

const E164 = /^\+[1-9]\d{6,14}$/;
/** Visual separators people and phones put in numbers. */
const SEPARATORS = /[\s().\-/]/g;
const MAX_SHORT_CODE = 6;

/**
 * @typedef {{ kind: 'number', dialled: string, e164: string }
 *   | { kind: 'short', dialled: string, digits: string }
 *   | { kind: 'invalid', dialled: string, reason: string }} Dialled
 */

/**
 * The user part of a sip:/sips:/tel: URI (or the text itself when it is no URI), decoded. A
 * display name and angle brackets ("Home" <sip:911@…>) are dropped.
 * @param {string} uri
 * @returns {string}
 */
function userPart(uri) {
  let text = String(uri ?? '').trim();
  const bracketed = /<([^>]*)>/.exec(text);
  if (bracketed) text = (bracketed[1] ?? '').trim();
  const sip = /^sips?:([^@;?>]*)@/i.exec(text);
  const tel = /^tel:([^;?>]*)/i.exec(text);
  let user = sip ? (sip[1] ?? '') : tel ? (tel[1] ?? '') : /^sips?:/i.test(text) ? '' : text;
  try {
    user = decodeURIComponent(user);
  } catch {
    // a stray % stays as typed; it fails the digit check below
  }
  return user.split(';')[0] ?? '';
}

/**
 * The dial plan of a country (ISO 3166 alpha-2), or undefined for a country this does not know.
 * @param {string | null | undefined} country
 * @returns {DialPlan | undefined}
 */
function dialPlan(country) {
  return country ? PLANS[String(country).toUpperCase()] : undefined;
}

/**
 * Parses what was dialled into E.164, a short code, or a reason it cannot be dialled.
 * @param {string} uri e.g. sip:+15551234567@home.sip.twilio.com, sip:5551234567@…, sip:911@…
 * @param {string | null | undefined} country the household's country (ISO alpha-2), default US
 * @returns {Dialled}
 */
function parseDialled(uri, country) {
  const dialled = userPart(uri);
  // Phones send the # that ends dialling along with the number ("911#").
  const compact = dialled.replace(SEPARATORS, '').replace(/#+$/, '');
  /** @param {string} reason @returns {Dialled} */
  const invalid = (reason) => ({ kind: 'invalid', dialled, reason });
  /** @param {string} e164 @returns {Dialled} */
  const number = (e164) => (E164.test(e164) ? { kind: 'number', dialled, e164 } : invalid(`${dialled} is not a valid international number`));

  if (compact === '') return invalid('nothing was dialled');
  if (compact.startsWith('+')) {
    return /^\+\d+$/.test(compact) ? number(compact) : invalid(`${dialled} has characters that are not digits`);
  }
  if (!/^\d+$/.test(compact)) return invalid(`${dialled} is not a phone number`);
  if (compact.length <= MAX_SHORT_CODE) return { kind: 'short', dialled, digits: compact };

  const plan = dialPlan(country ?? 'US');
  if (!plan) {
    // An unknown country: only the widespread 00 international prefix can be read.
    return compact.startsWith('00') ? number(`+${compact.slice(2)}`) : invalid(`${dialled} is not in international form (+…)`);
  }
  const idd = plan.idd.find((prefix) => compact.startsWith(prefix));
  if (idd) return number(`+${compact.slice(idd.length)}`);
  if (plan === NANP) {
    // NANP: 10 digits, or 1 + 10 digits; area codes never start with 0 or 1.
    const national = compact.length === 11 && compact.startsWith('1') ? compact.slice(1) : compact;
    if (national.length === 10 && /^[2-9]/.test(national)) return number(`+1${national}`);
    return invalid(`${dialled} is not a 10-digit North American number`);
  }
  const national = plan.trunk && compact.startsWith(plan.trunk) ? compact.slice(plan.trunk.length) : plan.trunk ? '' : compact;
  if (national && plan.lengths.includes(national.length)) return number(`+${plan.cc}${national}`);
  return invalid(`${dialled} is not a complete number for +${plan.cc}`);
}

/** Connected as emergency numbers in every country, whatever the policy says. */
const ALWAYS_EMERGENCY = Object.freeze(['112', '911']);

/**
 * Whether digits are one of the emergency numbers: the household's (its country's, from the
 * policy deploy writes), and 112 and 911 always.
 * @param {string} digits
 * @param {readonly string[] | null | undefined} configured
 * @returns {boolean}
 */
function isEmergencyNumber(digits, configured) {
  const d = String(digits ?? '').replace(SEPARATORS, '');
  return ALWAYS_EMERGENCY.includes(d) || (Array.isArray(configured) && configured.includes(d));
}

/**
 * The emergency number a dialled URI reaches, or null. Lenient on purpose, because refusing an
 * emergency call is the worst outcome: separators and a trailing # are ignored, a + before a
 * number too short to be international is ignored (+911), and so is a leading star or pound
 * code (*112, or a two-digit service code such as *67 in *67911).
 * @param {string} uri
 * @param {readonly string[] | null | undefined} configured
 * @returns {string | null}
 */
function emergencyDialled(uri, configured) {
  const compact = userPart(uri).replace(SEPARATORS, '').replace(/#+$/, '').replace(/^\+/, '');
  if (compact.length > 12) return null;
  const candidates = [compact, compact.replace(/^[*#]+/, ''), compact.replace(/^[*#]\d{2}/, '')];
  for (const c of candidates) {
    if (/^\d{2,6}$/.test(c) && isEmergencyNumber(c, configured)) return c;
  }
  return null;
}

/**
 * What to dial for an emergency number: the number itself, except a two-digit one, which Twilio
 * connects only with the country code in front (France's 15, 17, 18 → +3315…).
 * @param {string} number
 * @param {string | null | undefined} countryCallingCode e.g. "33"
 * @returns {string}
 */
function emergencyDialString(number, countryCallingCode) {
  return number.length === 2 && countryCallingCode && /^\d{1,3}$/.test(countryCallingCode) ? `+${countryCallingCode}${number}` : number;
}

module.exports = { parseDialled, isEmergencyNumber, emergencyDialled, emergencyDialString, ALWAYS_EMERGENCY, dialPlan, userPart };
