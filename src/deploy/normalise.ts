// Normal forms, so that what Twilio echoes back compares equal to what we would send: JSON with
// sorted keys (Studio may reorder keys and reformat), URLs in WHATWG form, E.164 numbers,
// content hashes.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Studio returns the definition as an object (or, from some clients, a string). */
export function parseDefinition(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** A URL in WHATWG form (lower-case host, no default port, "/" path); '' and null mean "none". */
export function normaliseUrl(value: string | null | undefined): string {
  if (value === null || value === undefined || value.trim() === '') return '';
  try {
    return new URL(value.trim()).href;
  } catch {
    return value.trim();
  }
}

/** An HTTP method as Twilio stores it. */
export function normaliseMethod(value: string | null | undefined, fallback = 'POST'): string {
  return (value || fallback).toUpperCase();
}

/** E.164 from a number Twilio or the config gives (strips spaces, dashes, brackets). */
export function normaliseE164(value: string): string {
  const digits = value.replace(/[\s().-]/g, '');
  return digits.startsWith('+') ? digits : `+${digits}`;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What identifies a Function/Asset version's content: its type and bytes. */
export function contentHash(contentType: string, content: string | Uint8Array): string {
  const hash = createHash('sha256');
  hash.update(`${contentType}\0`);
  hash.update(content);
  return hash.digest('hex');
}

/** Field-level differences between two JSON values, as "path: before → after" entries. */
export function jsonDiff(before: unknown, after: unknown, path = ''): Array<{ path: string; before: unknown; after: unknown }> {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Array<{ path: string; before: unknown; after: unknown }> = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...jsonDiff(before[i], after[i], `${path}[${i}]`));
    return out;
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => jsonDiff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [{ path: path || '(root)', before, after }];
}

/** A number's voice and messaging routing as compared by plan and drift: the fields deploy manages, normalised. */
export function numberRouting(n: {
  voiceUrl?: string | null;
  voiceMethod?: string | null;
  voiceFallbackUrl?: string | null;
  voiceFallbackMethod?: string | null;
  voiceApplicationSid?: string | null;
  trunkSid?: string | null;
  smsUrl?: string | null;
  smsMethod?: string | null;
  smsFallbackUrl?: string | null;
  smsFallbackMethod?: string | null;
  smsApplicationSid?: string | null;
}): Record<string, string> {
  return {
    voice_url: normaliseUrl(n.voiceUrl),
    voice_method: normaliseMethod(n.voiceMethod),
    voice_fallback_url: normaliseUrl(n.voiceFallbackUrl),
    voice_fallback_method: normaliseMethod(n.voiceFallbackMethod),
    voice_application_sid: n.voiceApplicationSid ?? '',
    trunk_sid: n.trunkSid ?? '',
    sms_url: normaliseUrl(n.smsUrl),
    sms_method: normaliseMethod(n.smsMethod),
    sms_fallback_url: normaliseUrl(n.smsFallbackUrl),
    sms_fallback_method: normaliseMethod(n.smsFallbackMethod),
    sms_application_sid: n.smsApplicationSid ?? '',
  };
}
