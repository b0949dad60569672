// X-Twilio-Signature, made exactly as Twilio makes it (the SDK's own function): HMAC-SHA1 over the
// full URL and, for form POSTs, each parameter name+value sorted by name.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';

export type Params = Record<string, string>;

export function sign(authToken: string, url: string, params: Params): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/** A GET webhook carries its parameters in the query string, which the signature covers. */
export function withQuery(url: string, params: Params): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  return u.toString();
}

export function validate(authToken: string, signature: string, url: string, params: Params): boolean {
  return validateRequest(authToken, signature, url, params);
}
