// Phone numbers: everything stored is E.164; input is normalised with the household's country.
import { parsePhoneNumberFromString, validatePhoneNumberLength, isSupportedCountry } from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';

export const E164 = /^\+[1-9]\d{1,14}$/;

export type NormaliseResult = { ok: true; e164: string } | { ok: false; reason: string };

const lengthReasons: Record<string, string> = {
  NOT_A_NUMBER: 'it is not a phone number',
  INVALID_COUNTRY: 'its country cannot be told (write it with +country code)',
  TOO_SHORT: 'it is too short',
  TOO_LONG: 'it is too long',
  INVALID_LENGTH: 'it has the wrong number of digits for its country',
};

export function isCountryCode(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}

/**
 * "(555) 555-5555" with country US → "+15555555555". Accepts any number of a possible length for
 * its country (not only assigned ranges), so test numbers such as 555 ones still work.
 */
export function normalisePhoneNumber(input: string, defaultCountry?: string): NormaliseResult {
  const text = input.trim().replace(/^tel:/i, '');
  if (!text) return { ok: false, reason: 'it is empty' };
  if (/[a-z]/i.test(text.replace(/\s*(ext\.?|x)\s*\d+$/i, ''))) {
    return { ok: false, reason: 'it contains letters' };
  }
  const country = defaultCountry && isCountryCode(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(text, country);
  // The common case in one parse: a possible number (whether a length is possible depends only on
  // the numbering plan and the length, so that answer is remembered; it keeps a 100,000-row import
  // within seconds).
  if (parsed && !parsed.ext && isPossibleLength(parsed) && E164.test(parsed.number)) return { ok: true, e164: parsed.number };
  // A number that fails: the precise reason, in the order the checks were always made.
  const lengthProblem = validatePhoneNumberLength(text, country);
  if (lengthProblem) return { ok: false, reason: lengthReasons[lengthProblem] ?? lengthProblem };
  if (!parsed || !parsed.isPossible()) return { ok: false, reason: 'it is not a possible phone number' };
  if (parsed.ext) return { ok: false, reason: 'extensions are not supported' };
  const e164 = parsed.number;
  if (!E164.test(e164)) return { ok: false, reason: 'it cannot be written in E.164 form' };
  return { ok: true, e164 };
}

const possibleLengths = new Map<string, boolean>();

function isPossibleLength(parsed: PhoneNumber): boolean {
  const key = `${parsed.countryCallingCode}:${parsed.country ?? ''}:${parsed.nationalNumber.length}`;
  let possible = possibleLengths.get(key);
  if (possible === undefined) {
    possible = parsed.isPossible();
    possibleLengths.set(key, possible);
  }
  return possible;
}
