// @ts-check
'use strict';

// Run Function of the owner's menu: checks the monitor code against its salted hash (constant
// time). On success it answers a token that lets /monitor put this call, and only this call, into
// the chosen room in the chosen mode: {ok: true, token}. Otherwise {ok: false}. The flow counts
// the tries and ends the call after the third wrong one.

const crypto = require('crypto');

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/monitor-code.js')} */
const monitorCode = lib('monitor-code');
/** @type {typeof import('./lib/rooms.js')} */
const rooms = lib('rooms');

/**
 * HMAC of what the owner may do, keyed by the stored hash (a secret only the Functions hold).
 * @param {string} key
 * @param {string} callSid
 * @param {string} mode
 * @param {string} room
 * @returns {string}
 */
function grant(key, callSid, mode, room) {
  return crypto.createHmac('sha256', key).update(`${callSid}|${mode}|${room}`).digest('hex');
}
exports.grant = grant;

/** @type {HomephoneHandler} */
exports.handler = (context, event, callback) => {
  const stored = context.MONITOR_CODE_HASH ?? '';
  const mode = event.mode === 'listen' ? 'listen' : 'join';
  const room = event.room ?? '';
  const callSid = event.call_sid ?? '';
  const ok = stored !== '' && rooms.isRoomName(room) && monitorCode.verifyMonitorCode(event.code ?? '', stored);
  console.log(`monitor code for ${mode} ${room}: ${ok ? 'accepted' : 'refused'}`);
  return callback(null, ok ? { ok: true, token: grant(stored, callSid, mode, room) } : { ok: false });
};
