// One check per configurable answer, shared by `init` (flags and prompts) and `config set`.
// Each turns user text into the stored value, or says why it can't.
import { isCountryCode, normalisePhoneNumber } from '../household/phone.js';
import { sayAndHangup } from '../twiml/templates.js';

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

/**
 * Extra numbers always dialled directly, beyond the country's emergency numbers (which deploy
 * takes from libphonenumber's metadata, with 112 and 911): "none" or "" for none.
 */
export const emergencyNumbers: Check<string[]> = (input) => {
  const list = input
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 1 && list[0]!.toLowerCase() === 'none') return ok([]);
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

export const MESSAGE_KEYS = ['notWhitelisted', 'bedtime', 'phoneUnavailable'] as const;
const MESSAGE_MAX = 1000;

/**
 * A message the phone speaks (household.messages.*). Spoken literally: in TwiML <Say> (the Functions)
 * and in Studio's Say widget, where Liquid ({{ }}, {% %}) would be evaluated and SSML-like markup
 * is not what the family meant, so both are refused, as are control characters and text that
 * does not render as TwiML.
 */
export const spokenMessage: Check<string> = (input) => {
  const text = input.trim();
  if (!text) return bad('a message needs words to say');
  if (text.length > MESSAGE_MAX) return bad(`a message must be at most ${MESSAGE_MAX} characters (it is ${text.length})`);
  if (/\{\{|\}\}|\{%|%\}/.test(text)) return bad('it contains Liquid ({{ }} or {% %}), which Studio would evaluate: messages are spoken as written');
  if (/[<>]/.test(text)) return bad('it contains markup (< or >): messages are spoken as plain text');
  if (/[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u.test(text)) return bad('it contains a control character (a line break, tab or escape)');
  try {
    sayAndHangup({ message: text });
  } catch (e) {
    return bad(`it does not render as TwiML: ${(e as Error).message}`);
  }
  return ok(text);
};

/** household.messages as one JSON object: only the known messages, each checked. */
export const spokenMessages: Check<Record<string, string>> = (input) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return bad(`expected a JSON object such as {"bedtime": "It is bedtime."}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return bad('expected a JSON object of messages');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(MESSAGE_KEYS as readonly string[]).includes(key)) return bad(`unknown message "${key}" (known: ${MESSAGE_KEYS.join(', ')})`);
    if (typeof value !== 'string') return bad(`${key} must be text`);
    const checked = spokenMessage(value, {});
    if (!checked.ok) return bad(`${key}: ${checked.reason}`);
    out[key] = checked.value;
  }
  return ok(out);
};

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
  'household.messages': spokenMessages,
  'household.messages.notWhitelisted': spokenMessage,
  'household.messages.bedtime': spokenMessage,
  'household.messages.phoneUnavailable': spokenMessage,
  'buzzer.number': phoneNumber,
  'buzzer.enterphoneNumber': phoneNumber,
  'buzzer.fallbackNumber': phoneNumber,
  'buzzer.doorDigits': doorDigits,
  'buzzer.ringTimeout': integerIn(5, 120),
  'buzzer.publicUrl': publicUrl,
  'buzzer.port': integerIn(1, 65535),
};
