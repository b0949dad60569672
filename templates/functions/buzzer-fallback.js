// @ts-check
'use strict';

// The buzzer number's fallback URL: Twilio calls it when the home agent cannot be reached. Rings
// every tenant at once with one <Dial> of several <Number>s (the first to answer is connected),
// so the building still reaches someone. Tenants come from the TENANT_NUMBERS variable.

const E164 = /^\+[1-9]\d{1,14}$/;

/** @type {HomephoneHandler} */
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  if (event.DialCallStatus !== undefined) {
    // The Dial below has ended: connected and done, or nobody answered.
    if (event.DialCallStatus !== 'completed') twiml.say('Nobody is answering. Please try again later.');
    twiml.hangup();
    return callback(null, twiml);
  }
  const tenants = String(context.TENANT_NUMBERS ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => E164.test(n))
    .slice(0, 10); // Twilio rings at most 10 numbers at once
  if (tenants.length === 0) {
    twiml.say('Sorry, nobody can be reached. Goodbye.');
    twiml.hangup();
    return callback(null, twiml);
  }
  const ringTimeout = Math.min(600, Math.max(5, Number.parseInt(String(context.RING_TIMEOUT ?? ''), 10) || 25));
  const dial = twiml.dial({ timeout: ringTimeout, answerOnBridge: true, action: '/buzzer-fallback' });
  for (const number of tenants) dial.number(number);
  return callback(null, twiml);
};
