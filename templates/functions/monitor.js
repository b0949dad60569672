// @ts-check
'use strict';

// TwiML Redirect target of the owner's menu, after the monitor code was accepted: puts the owner's
// call into the chosen room, to talk (join) or muted (listen). It checks the token /check-code
// gave for this very call and room, so the URL alone opens nothing.

const crypto = require('crypto');

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/rooms.js')} */
const rooms = lib('rooms');
/** @type {{ grant(key: string, callSid: string, room: string): string }} */
const checkCode = require(Runtime.getFunctions()['check-code']?.path ?? './check-code.js');

/**
 * @param {string} a
 * @param {string} b
 */
function sameToken(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  const mode = event.mode === 'listen' ? 'listen' : 'join';
  const room = event.room ?? '';
  const stored = context.MONITOR_CODE_HASH ?? '';
  const expected = stored ? checkCode.grant(stored, event.CallSid ?? '', room) : '';
  if (!expected || !rooms.isRoomName(room) || !sameToken(event.token ?? '', expected)) {
    twiml.say('Sorry, that is not allowed. Goodbye.');
    twiml.hangup();
    return callback(null, twiml);
  }
  if (!(await rooms.isActive(context.getTwilioClient(), room))) {
    twiml.say('That call has just ended. Goodbye.');
    twiml.hangup();
    return callback(null, twiml);
  }
  console.log(`owner ${mode === 'listen' ? 'listens to' : 'joins'} ${room}`);
  if (mode === 'join') twiml.say('Joining the call.');
  twiml.dial().conference({ muted: mode === 'listen', beep: 'false', startConferenceOnEnter: true, endConferenceOnExit: false }, room);
  return callback(null, twiml);
};
