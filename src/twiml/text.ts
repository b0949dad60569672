// Input checks for TwiML. Two facts about the twilio package's xmlbuilder drive this file:
// - text nodes (<Say>) containing characters illegal in XML 1.0 make it THROW
//   ("Invalid character in string"), so spoken text is sanitised first;
// - attribute values go through twilio's own attValue override, which escapes & < " tab LF CR
//   but does NOT check for illegal characters: a control character would be written out raw and
//   the document would be malformed. So every attribute value is validated here and rejected.

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// Matches C0 controls (except tab, LF, CR), U+FFFE/U+FFFF and lone surrogates.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// C0, DEL and C1 controls, plus anything XML cannot carry: never acceptable inside an attribute.
// In /u mode \p{Cs} only matches unpaired surrogates.
const CONTROL_OR_ILLEGAL = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;

const E164 = /^\+[1-9]\d{1,14}$/;
const EMERGENCY_SHORT_CODE = /^\d{2,6}$/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Text safe to put in <Say>: removes the characters XML 1.0 cannot carry (C0 controls other than
 * tab, LF and CR; U+FFFE, U+FFFF; unpaired surrogates). Everything else is kept verbatim; xmlbuilder
 * escapes & < > and CR on output.
 */
export function sanitizeSpokenText(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

/** Sanitised spoken text; throws if nothing speakable is left. */
export function spokenText(text: string, what: string): string {
  if (typeof text !== 'string') throw new Error(`${what} must be a string`);
  const clean = sanitizeSpokenText(text);
  if (clean.trim() === '') throw new Error(`${what} is empty: give the words to say`);
  return clean;
}

/** A plain attribute value: a string without control characters. */
export function attributeText(value: string, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} must be a string`);
  if (CONTROL_OR_ILLEGAL.test(value)) throw new Error(`${what} contains a control character`);
  return value;
}

/** True for an E.164 number such as +15551234567. */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/** A phone number to dial: E.164, or an emergency short code of 2-6 digits (911, 112, 999). */
export function dialableNumber(value: string, what: string): string {
  if (typeof value !== 'string' || !(E164.test(value) || EMERGENCY_SHORT_CODE.test(value))) {
    throw new Error(`${what} ${JSON.stringify(value)} is not an E.164 number like +15551234567 or an emergency short code of 2-6 digits`);
  }
  return value;
}

/** A caller ID: E.164 only. */
export function e164(value: string, what: string): string {
  if (typeof value !== 'string' || !E164.test(value)) {
    throw new Error(`${what} ${JSON.stringify(value)} is not an E.164 number like +15551234567`);
  }
  return value;
}

/**
 * A webhook URL: absolute http(s), or relative to the current document (Twilio resolves it against
 * the URL that returned the TwiML, e.g. "/buzzer/answer"). Other schemes, whitespace and control
 * characters are rejected.
 */
export function webhookUrl(value: string, what: string): string {
  attributeText(value, what);
  if (value === '' || /\s/.test(value)) throw new Error(`${what} ${JSON.stringify(value)} must be a URL without spaces`);
  if (URL_SCHEME.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${what} ${JSON.stringify(value)} is not a valid URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`${what} ${JSON.stringify(value)} must be an http(s) URL`);
    }
  }
  return value;
}

/** An integer within [min, max]. */
export function integerIn(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${what} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** A Say voice or language code: letters, digits, dot, dash, underscore ("Polly.Joanna", "en-US"). */
export function speechOption(value: string, what: string): string {
  if (typeof value !== 'string' || !/^[\p{L}\p{N}._-]{1,64}$/u.test(value)) {
    throw new Error(`${what} ${JSON.stringify(value)} must look like "Polly.Joanna" or "en-US"`);
  }
  return value;
}
