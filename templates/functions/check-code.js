// @ts-check
'use strict';

// Run Function of the owner's menu: checks the monitor code against its salted hash (constant
// time), under a lockout that holds across calls (lib/lockout.js, kept in a Sync Document). It
// answers {status}:
//   ok      the code is right: with a token that lets /monitor put this call, and only this call,
//           into that room ({token}), and the sentence saying who is on the line ({summary});
//   wrong   the code is wrong, or nothing was typed (the flow counts this call's tries);
//   locked  monitoring is locked: too many wrong codes in a row. No code is checked, not even
//           the right one, until the cool-down ends. The wrong code that locks it texts the owner.
// Without its Sync service or the code's hash it fails (the flow then says the phone is
// unavailable): monitoring is never opened because the lockout could not be read.

const crypto = require('crypto');

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/monitor-code.js')} */
const monitorCode = lib('monitor-code');
/** @type {typeof import('./lib/rooms.js')} */
const rooms = lib('rooms');
/** @type {typeof import('./lib/lockout.js')} */
const lockout = lib('lockout');
/** @type {typeof import('./lib/household.js')} */
const household = lib('household');
/** @type {typeof import('./lib/call-summary.js')} */
const callSummary = lib('call-summary');

/**
 * HMAC of what the owner may do, keyed by the stored hash (a secret only the Functions hold).
 * @param {string} key
 * @param {string} callSid
 * @param {string} room
 * @returns {string}
 */
function grant(key, callSid, room) {
  return crypto.createHmac('sha256', key).update(`${callSid}|${room}`).digest('hex');
}
exports.grant = grant;

/**
 * "15 minutes", "2 hours".
 * @param {number} ms
 */
function duration(ms) {
  const minutes = Math.round(ms / 60000);
  if (minutes < 120) return `${minutes} minutes`;
  return `${Math.round(minutes / 60)} hours`;
}

/**
 * Tells the owner the lock tripped; a failed text does not open the lock.
 * @param {HomephoneContext} context
 * @param {import('./lib/lockout.js').LockoutState} state
 * @param {number} now
 */
async function textOwner(context, state, now) {
  if (!context.OWNER_CELL || !context.HOME_NUMBER) return;
  const body =
    `homephone: ${lockout.MAX_FAILURES} wrong monitor codes in a row from your number. ` +
    `Listening in is locked for ${duration(state.lockedUntil - now)}. ` +
    'If that was not you, someone is calling with your caller ID: change the monitor code (homephone init --monitor-code …, then homephone deploy).';
  try {
    await context.getTwilioClient().messages.create({ to: context.OWNER_CELL, from: context.HOME_NUMBER, body });
  } catch (e) {
    console.log(`could not text the owner about the lockout: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const stored = context.MONITOR_CODE_HASH ?? '';
  const serviceSid = String(context.SYNC_SERVICE_SID ?? '');
  const room = event.room ?? '';
  const callSid = event.call_sid ?? '';
  if (!stored || !serviceSid) {
    console.log('monitor code: refused, no code hash or no Sync service deployed');
    return callback(new Error('monitoring is not set up: deploy again with a monitor code'));
  }
  const client = context.getTwilioClient();
  const now = Date.now();
  /** @param {'ok' | 'wrong' | 'locked'} status @param {object} [more] */
  const answer = (status, more = {}) => {
    console.log(`monitor code for ${room}: ${status}`);
    return callback(null, { status, ok: status === 'ok', ...more });
  };

  const before = await lockout.read(client, serviceSid);
  if (lockout.isLocked(before.state, now)) return answer('locked');
  const code = event.code ?? '';
  // Nothing typed (the prompt timed out) is no guess: it costs a try of this call, not a failure.
  if (code === '') return answer('wrong');
  const right = rooms.isRoomName(room) && monitorCode.verifyMonitorCode(code, stored);

  if (!right) {
    const after = await lockout.update(client, serviceSid, (state) => {
      if (lockout.isLocked(state, now)) return null;
      const next = lockout.afterFailure(state, now);
      return { state: next.state, result: { tripped: next.tripped } };
    });
    if (!after.result) return answer('locked'); // another call locked it meanwhile
    if (after.result.tripped) {
      await textOwner(context, after.state, now);
      return answer('locked');
    }
    return answer('wrong');
  }
  const cleared = await lockout.update(client, serviceSid, (state) => {
    if (lockout.isLocked(state, now)) return null;
    return { state: lockout.afterSuccess(), result: true };
  });
  if (!cleared.result) return answer('locked');

  const active = await rooms.activeRooms(client);
  const { policy, whitelist } = household.loadHousehold();
  const who = await callSummary.withWhom(client, room, whitelist, policy.defaultCountry);
  return answer('ok', { token: grant(stored, callSid, room), summary: callSummary.summarise(Math.max(active.length, 1), who) });
};
