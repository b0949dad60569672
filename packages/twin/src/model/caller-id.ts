// Which caller IDs a call can carry. The REST API takes as `From` a phone number in E.164, a
// 10-digit US/Canadian number with any non-digit separators, or a Client identity; anything else
// (letters, a template placeholder such as +MY_PHONE_NUMBER) is error 21212. A call arriving from
// the telephone network presents an E.164 number: the twin places no inbound call from anything
// else, since no real network could present it.
import { E164 } from './voice.js';

const NANP_WITH_SEPARATORS = /^\+?1?[^0-9A-Za-z]*\d{3}[^0-9A-Za-z]*\d{3}[^0-9A-Za-z]*\d{4}$/;

/** A `From` the REST API accepts for a call (Twilio error 21212 otherwise). */
export function isRestCallerId(from: string): boolean {
  if (E164.test(from) || /^client:[\w.-]+$/.test(from)) return true;
  return NANP_WITH_SEPARATORS.test(from.trim()) && from.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '').length === 10;
}

/** A caller ID the telephone network could present on an inbound call. */
export function isNetworkCallerId(from: string): boolean {
  return E164.test(from);
}

export class InvalidCallerIdError extends Error {
  constructor(readonly from: string) {
    super(`${JSON.stringify(from)} is not a caller ID any telephone network could present: give an E.164 number such as +15550001111`);
    this.name = 'InvalidCallerIdError';
  }
}
