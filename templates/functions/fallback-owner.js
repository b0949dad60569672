// @ts-check
'use strict';

// Where a call goes when the home phone cannot take it: the home number's fallback URL (the
// inbound flow could not be reached), and the caller's next stop when the SIP phone did not answer
// (moved here by /participant-status). It rings the owner's cell; when the owner does not answer
// either (this Function is also that Dial's action), the caller hears the household's message and,
// when voicemail is on, may leave one. The owner calling in is never forwarded to their own cell.

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/caller-policy.js')} */
const callerPolicy = lib('caller-policy');
/** @type {typeof import('./lib/household.js')} */
const household = lib('household');
/** @type {typeof import('./lib/replies.js')} */
const replies = lib('replies');

/** @type {typeof import('./lib/history.js')} */
const history = lib('history');
/** @type {typeof import('./lib/alerts.js')} */
const alerts = lib('alerts');

const E164 = /^\+[1-9]\d{1,14}$/;
const UNAVAILABLE = 'Sorry, nobody can take your call right now. Please try again later.';

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  const { policy, whitelist } = household.loadHousehold();
  const unavailable = policy.messages?.phoneUnavailable ?? UNAVAILABLE;
  const dialStatus = event.DialCallStatus;
  if (dialStatus === 'completed' || dialStatus === 'answered') {
    twiml.hangup(); // the owner took the call and it has ended
    return callback(null, twiml);
  }
  const owner = context.OWNER_CELL;
  const from = event.From ?? '';
  /** @param {string} decision */
  const remember = (decision) =>
    history.record(context, { call: String(event.CallSid ?? ''), line: 'home', direction: 'inbound', from, to: String(context.HOME_NUMBER ?? ''), decision });
  if (dialStatus !== undefined || !owner || !E164.test(owner) || from === owner) {
    console.log(`fallback: ${dialStatus !== undefined ? `the owner's cell: ${dialStatus}` : 'no owner to ring'}; ${policy.voicemail ? 'voicemail' : 'message'}`);
    const recording = remember(policy.voicemail === true ? 'voicemail' : 'missed');
    // A whitelisted call nobody took is the owner's to hear about (lib/alerts.js: once per call).
    const contact = from === owner ? null : callerPolicy.findContact(whitelist, from);
    const alerting = contact
      ? alerts.notify(context, { kind: 'missed', call: String(event.CallSid ?? ''), from, person: contact.Person ?? null, voicemail: policy.voicemail === true, ownerRung: dialStatus !== undefined })
      : null;
    if (recording) await recording;
    if (alerting) await alerting;
    replies.endWith(twiml, unavailable, { voicemail: policy.voicemail === true });
    return callback(null, twiml);
  }
  console.log(`fallback: ringing the owner's cell${event.reason ? ` (the home phone: ${event.reason}${event.code ? `, ${event.code}` : ''})` : ''}`);
  // Show the caller's own number to the owner when there is one (Twilio allows the calling number).
  const recording = remember('fallback');
  if (recording) await recording;
  const callerId = E164.test(from) ? from : context.HOME_NUMBER;
  twiml
    .dial({ ...(callerId ? { callerId } : {}), answerOnBridge: true, timeout: callerPolicy.ringTimeout(policy), action: '/fallback-owner' })
    .number(owner);
  return callback(null, twiml);
};
