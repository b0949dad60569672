// @ts-check
'use strict';

// Calls to the home number, handed over by the inbound Studio flow: ring the SIP phone; when it
// does not answer, the Dial action forwards the caller to the owner's cell (/fallback-owner).
// (Whitelist, bedtime and the owner's menu are added here by the call-flow work.)

/** @type {HomephoneHandler} */
exports.handler = (context, _event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  const sipUri = context.SIP_URI;
  if (!sipUri) {
    twiml.redirect('/fallback-owner');
    return callback(null, twiml);
  }
  twiml.dial({ timeout: 25, answerOnBridge: true, action: '/fallback-owner' }).sip(sipUri);
  return callback(null, twiml);
};
