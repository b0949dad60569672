// @ts-check
'use strict';

// Status callback of a leg rung into a room (the SIP phone for a caller, a whitelisted number for
// the SIP phone). When that leg ends without answering (busy, no-answer, failed — e.g. 32009, the
// phone is not registered), the call waiting in the room is moved on at once: a caller to the
// fallback (/fallback-owner), the SIP phone to a short message (/unanswered). A leg that answered,
// or was cancelled because the waiting call hung up first, needs nothing.

const FAILED = ['busy', 'no-answer', 'failed'];
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const status = event.CallStatus ?? '';
  const waiting = event.waiting ?? '';
  if (!FAILED.includes(status) || !CALL_SID.test(waiting)) return callback(null, {});
  const next = event.then === 'unanswered' ? '/unanswered' : '/fallback-owner';
  const query = new URLSearchParams({ reason: status, ...(event.ErrorCode ? { code: event.ErrorCode } : {}) });
  console.log(`${event.To ?? 'the leg'} ended ${status}${event.ErrorCode ? ` (${event.ErrorCode})` : ''}: ${waiting} goes to ${next}`);
  try {
    await context.getTwilioClient().calls(waiting).update({ url: `https://${context.DOMAIN_NAME}${next}?${query}`, method: 'POST' });
  } catch (e) {
    // 21220: the waiting call has ended meanwhile; nothing left to do.
    console.log(`could not move ${waiting} on: ${e instanceof Error ? e.message : String(e)}`);
  }
  return callback(null, {});
};
