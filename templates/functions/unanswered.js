// @ts-check
'use strict';

// The SIP phone called a whitelisted number that did not answer: say so, then hang up.

/** @type {Record<string, string>} */
const WHY = {
  busy: 'The number you called is busy.',
  'no-answer': 'The number you called did not answer.',
  failed: 'The number you called could not be reached.',
};

/** @type {HomephoneHandler} */
exports.handler = (_context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  twiml.say(`${WHY[event.reason ?? ''] ?? WHY.failed} Please try again later. Goodbye.`);
  twiml.hangup();
  return callback(null, twiml);
};
