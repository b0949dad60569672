// Verified caller IDs (Twilio's OutgoingCallerIds): numbers the account proved it owns, which it
// may then use as `From` on REST calls besides its own Twilio numbers. On Twilio a number is
// verified by a validation call that the owner answers with a code; the twin adds them directly
// (admin API, startTwin's `callerIds`), since no person is there to answer.
import { rfc2822 } from '../clock.js';
import { newSid, SidPrefix } from '../sids.js';
import type { OutgoingCallerIdJson, TwinState } from '../state.js';
import { accountPath, E164, findNumber, formatNumber } from './voice.js';

export class CallerIdError extends Error {}

/** Adds (or returns, if already there) a verified caller ID. */
export function addVerifiedCallerId(state: TwinState, phoneNumber: string, friendlyName?: string): OutgoingCallerIdJson {
  if (!E164.test(phoneNumber)) throw new CallerIdError(`${JSON.stringify(phoneNumber)} is not an E.164 phone number such as +15550001111`);
  if (friendlyName !== undefined && friendlyName.length > 64) throw new CallerIdError('friendlyName is at most 64 characters');
  const existing = findVerifiedCallerId(state, phoneNumber);
  if (existing) return existing;
  const sid = newSid(SidPrefix.phoneNumber);
  const now = rfc2822(state.now());
  const json: OutgoingCallerIdJson = {
    sid,
    date_created: now,
    date_updated: now,
    friendly_name: friendlyName ?? formatNumber(phoneNumber),
    account_sid: state.accountSid,
    phone_number: phoneNumber,
    uri: `${accountPath(state)}/OutgoingCallerIds/${sid}.json`,
  };
  state.outgoingCallerIds.set(sid, { json });
  return json;
}

export function findVerifiedCallerId(state: TwinState, phoneNumber: string): OutgoingCallerIdJson | undefined {
  for (const { json } of state.outgoingCallerIds.values()) if (json.phone_number === phoneNumber) return json;
  return undefined;
}

/**
 * Whether the account may present `from` as caller ID on a call to the phone network: one of its
 * Twilio numbers or a verified caller ID (Twilio error 21210 otherwise).
 */
export function mayCallFrom(state: TwinState, from: string): boolean {
  return !!findNumber(state, from) || !!findVerifiedCallerId(state, from);
}
