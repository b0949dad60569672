// @ts-check
'use strict';

// Run Function of the owner's menu: how many of the home phone's calls are in progress (rooms
// hp-*) and the most recent one (the room the owner would join). Answers JSON: {count, room}. It
// says nothing about who is on the line: that comes from /check-code, once the monitor code is
// accepted, because the owner's caller ID can be forged.

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/household.js')} */
const household = lib('household');
/** @type {typeof import('./lib/rooms.js')} */
const rooms = lib('rooms');
/** @type {typeof import('./lib/history.js')} */
const history = lib('history');

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const active = await rooms.activeRooms(context.getTwilioClient());
  const latest = active[0];
  household.report({
    homephone: 'decision',
    call: 'owner',
    callSid: String(event.call ?? ''),
    path: active.length ? 'owner-menu' : 'owner',
    count: active.length,
    room: latest?.name ?? null,
    reason: active.length ? `${active.length} call(s) in progress: the monitor code is asked first` : 'no call in progress: connected to the home phone',
  });
  // Only the menu is this Function's to record: with no call in progress /incoming records the owner's call.
  if (active.length && event.call) {
    const recording = history.record(context, { call: String(event.call), line: 'home', direction: 'inbound', from: String(event.from ?? context.OWNER_CELL ?? ''), to: String(context.HOME_NUMBER ?? ''), decision: 'owner-menu', person: 'the owner' });
    if (recording) await recording;
  }
  return callback(null, { count: active.length, room: latest?.name ?? '' });
};
