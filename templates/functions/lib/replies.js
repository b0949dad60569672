// @ts-check
'use strict';

// How a call the home phone will not ring ends: a message, then either a voicemail (when the
// household has it on) or a hang-up. One place, so every path ends the same way.

const LEAVE_MESSAGE = 'Please leave a message after the tone, then hang up or press the pound key.';

/**
 * Appends the message and the ending to `twiml`.
 * @param {import('twilio/lib/twiml/VoiceResponse')} twiml
 * @param {string} message
 * @param {{ voicemail: boolean }} options
 */
function endWith(twiml, message, options) {
  twiml.say(message);
  if (options.voicemail) {
    twiml.say(LEAVE_MESSAGE);
    twiml.record({ action: '/voicemail', method: 'POST', maxLength: 120, timeout: 5, finishOnKey: '#', playBeep: true });
  }
  twiml.hangup();
}

module.exports = { endWith, LEAVE_MESSAGE };
