// @ts-check
'use strict';

// Forwards the caller to the owner's cell. It is the home number's fallback URL (Twilio calls it
// when the inbound flow cannot be reached) and the Dial action after the SIP phone was rung:
// a call the phone did not answer (not registered, busy, no answer) goes to the owner, never
// into silence.

const E164 = /^\+[1-9]\d{1,14}$/;

/** @type {HomephoneHandler} */
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  if (event.DialCallStatus === 'completed' || event.DialCallStatus === 'answered') {
    twiml.hangup(); // the phone took the call and it has ended
    return callback(null, twiml);
  }
  const owner = context.OWNER_CELL;
  if (!owner || !E164.test(owner)) {
    twiml.say('Sorry, nobody can take your call right now. Goodbye.');
    twiml.hangup();
    return callback(null, twiml);
  }
  // Show the caller's own number to the owner when there is one (Twilio allows the calling number).
  const from = event.From ?? '';
  const callerId = E164.test(from) ? from : context.HOME_NUMBER;
  twiml.dial(callerId ? { callerId, answerOnBridge: true } : { answerOnBridge: true }).number(owner);
  return callback(null, twiml);
};
