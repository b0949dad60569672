// One check per configurable answer, shared by `init` (flags and prompts) and `config set`.
// Each turns user text into the stored value, or says why it can't.
import { isCountryCode, normalisePhoneNumber } from '../household/phone.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };
export type Check<T = unknown> = (input: string, context: { defaultCountry?: string | undefined }) => Checked<T>;

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (reason: string): Checked<never> => ({ ok: false, reason });

const pattern =
  (re: RegExp, reason: string): Check<string> =>
  (input) =>
    re.test(input.trim()) ? ok(input.trim()) : bad(reason);

export const phoneNumber: Check<string> = (input, { defaultCountry }) => {
  const result = normalisePhoneNumber(input, defaultCountry);
  return result.ok ? ok(result.e164) : bad(`"${input}" is not a valid phone number: ${result.reason}`);
};

export const country: Check<string> = (input) => {
  const code = input.trim().toUpperCase();
  return isCountryCode(code) ? ok(code) : bad(`"${input}" is not an ISO 3166 two-letter country code (e.g. US, CA, GB)`);
};

export function isValidTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZone: Check<string> = (input) =>
  isValidTimeZone(input.trim()) ? ok(input.trim()) : bad(`"${input}" is not an IANA time zone (e.g. America/Toronto)`);

/** "myhome" → "myhome.sip.twilio.com"; a full name must end in sip.twilio.com. */
export const sipDomain: Check<string> = (input) => {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  const full = name.includes('.') ? name : `${name}.sip.twilio.com`;
  if (!full.endsWith('.sip.twilio.com')) return bad(`"${input}" must end in sip.twilio.com (or be a bare name like "myhome")`);
  const label = full.slice(0, -'.sip.twilio.com'.length);
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) {
    return bad(`"${label}" is not a valid SIP domain name: use letters, digits and inner hyphens`);
  }
  return ok(full);
};

export const sipUsername = pattern(/^[A-Za-z0-9._-]{1,32}$/, 'a SIP username is 1 to 32 letters, digits, dots, dashes or underscores');

export const emergencyNumbers: Check<string[]> = (input) => {
  const list = input
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) return bad('give at least one emergency number (e.g. 911)');
  const wrong = list.find((n) => !/^[0-9]{2,6}$/.test(n));
  if (wrong) return bad(`"${wrong}" is not an emergency short code (2 to 6 digits, e.g. 911, 112)`);
  return ok([...new Set(list)]);
};

export const monitorCode = pattern(/^\d{4,8}$/, 'the monitor code is 4 to 8 digits');

export const doorDigits = pattern(/^[0-9*#wW]{1,20}$/, 'door digits are 1 to 20 of 0-9, *, # (w waits half a second)');

export const httpsUrl: Check<string> = (input) => {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:') return bad(`"${input}" must be an https:// URL (Twilio signs and calls it)`);
    if (url.username || url.password) return bad(`"${input}" must not contain a user name or password`);
    return ok(url.href);
  } catch {
    return bad(`"${input}" is not a URL`);
  }
};

/**
 * The buzzer agent's public URL: https, and neither a query nor a fragment. Twilio signs the URL it
 * calls, and the agent builds its callback URLs by appending paths and its own query to this one:
 * a query or fragment here would make every signature (and every callback) wrong.
 */
export const publicUrl: Check<string> = (input, context) => {
  const checked = httpsUrl(input, context);
  if (!checked.ok) return checked;
  if (input.includes('?') || input.includes('#')) {
    return bad(`"${input}" must not have a query (?…) or a fragment (#…): give the address only, e.g. https://buzz.example.org/`);
  }
  return checked;
};

export const httpUrl: Check<string> = (input) => {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return bad(`"${input}" must be an http(s) URL`);
    return ok(url.href.replace(/\/$/, ''));
  } catch {
    return bad(`"${input}" is not a URL`);
  }
};

export const integerIn =
  (min: number, max: number): Check<number> =>
  (input) => {
    const n = Number(input.trim());
    return Number.isInteger(n) && n >= min && n <= max ? ok(n) : bad(`"${input}" must be a whole number from ${min} to ${max}`);
  };

export const nonEmpty =
  (what: string, max = 1000): Check<string> =>
  (input) => {
    const text = input.trim();
    if (!text) return bad(`${what} must not be empty`);
    return text.length <= max ? ok(text) : bad(`${what} must be at most ${max} characters`);
  };

export const accountSid = pattern(/^AC[0-9a-fA-F]{32}$/, 'an account SID is "AC" followed by 32 hex digits');
export const authToken = pattern(/^[0-9a-fA-F]{32}$/, 'an auth token is 32 hex digits');
export const apiKey = pattern(/^SK[0-9a-fA-F]{32}$/, 'an API key SID is "SK" followed by 32 hex digits');
export const apiSecret = pattern(/^\S{8,128}$/, 'an API secret is 8 to 128 characters without spaces');

/** Checks for `config set KEY VALUE`, by dotted key. Keys without one take JSON or text as the schema says. */
export const checksByKey: Record<string, Check> = {
  'twilio.accountSid': accountSid,
  'twilio.authToken': authToken,
  'twilio.apiKey': apiKey,
  'twilio.apiSecret': apiSecret,
  'twilio.twinUrl': httpUrl,
  'household.homeNumber': phoneNumber,
  'household.ownerCell': phoneNumber,
  'household.defaultCountry': country,
  'household.timeZone': timeZone,
  'household.sipDomain': sipDomain,
  'household.sipUsername': sipUsername,
  'household.emergencyNumbers': emergencyNumbers,
  'household.ringTimeout': integerIn(10, 120),
  'buzzer.number': phoneNumber,
  'buzzer.enterphoneNumber': phoneNumber,
  'buzzer.fallbackNumber': phoneNumber,
  'buzzer.doorDigits': doorDigits,
  'buzzer.ringTimeout': integerIn(5, 120),
  'buzzer.publicUrl': publicUrl,
  'buzzer.port': integerIn(1, 65535),
};
