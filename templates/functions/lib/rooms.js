// @ts-check
'use strict';

// Conference rooms of the home phone: one per call, named after the call that opened it
// (hp-<CallSid>), so two calls never share a room and the owner can find the one to monitor.

const PREFIX = 'hp-';
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const ROOM = /^hp-CA[0-9a-fA-F]{32}$/;

/**
 * The room of a call. Throws for anything that is not a call SID (room names are never made of
 * caller-controlled text).
 * @param {string | undefined} callSid
 * @returns {string}
 */
function roomFor(callSid) {
  if (!callSid || !CALL_SID.test(callSid)) throw new Error(`not a call SID: ${String(callSid)}`);
  return `${PREFIX}${callSid}`;
}

/**
 * @param {unknown} name
 * @returns {name is string}
 */
function isRoomName(name) {
  return typeof name === 'string' && ROOM.test(name);
}

/**
 * The call that opened a room.
 * @param {string} room
 * @returns {string}
 */
function callOf(room) {
  return room.slice(PREFIX.length);
}

/**
 * @typedef {{ name: string, sid: string, status: string, created: number }} Room
 */

/**
 * The home phone's rooms not yet ended, the most recent first. A room whose phone is still ringing
 * is 'init' on Twilio, one where both talk 'in-progress': both count as a call in progress.
 * @param {import('twilio').Twilio} client
 * @returns {Promise<Room[]>}
 */
async function activeRooms(client) {
  const lists = await Promise.all(['in-progress', 'init'].map((status) => client.conferences.list({ status: /** @type {any} */ (status), limit: 200 })));
  /** @type {Room[]} */
  const rooms = [];
  for (const c of lists.flat()) {
    if (!isRoomName(c.friendlyName) || rooms.some((r) => r.sid === c.sid)) continue;
    rooms.push({ name: c.friendlyName, sid: c.sid, status: String(c.status), created: c.dateCreated ? new Date(c.dateCreated).getTime() : 0 });
  }
  // Stable: Twilio lists newest first, which breaks ties within the same second.
  return rooms.map((r, i) => ({ r, i })).sort((a, b) => b.r.created - a.r.created || a.i - b.i).map(({ r }) => r);
}

/**
 * Whether a room is still going (not ended).
 * @param {import('twilio').Twilio} client
 * @param {string} room
 * @returns {Promise<boolean>}
 */
async function isActive(client, room) {
  return (await activeRooms(client)).some((r) => r.name === room);
}

/**
 * Rings `to` into a room through the Participants API. The leg starts the room when it answers
 * and ends it when it hangs up; `statusCallback` hears how its call ended (busy, no-answer, failed),
 * so the party waiting in the room is never left there in silence.
 * @param {import('twilio').Twilio} client
 * @param {{ room: string, to: string, from: string, ringSeconds: number, statusCallback: string, label: string }} leg
 */
function ringIntoRoom(client, leg) {
  return client.conferences(leg.room).participants.create({
    to: leg.to,
    from: leg.from,
    label: leg.label,
    // Twilio adds 5 s to a participant's timeout; keep the total at the ring time asked for.
    timeout: Math.max(5, leg.ringSeconds - 5),
    startConferenceOnEnter: true,
    endConferenceOnExit: true,
    beep: 'false',
    statusCallback: leg.statusCallback,
    statusCallbackEvent: ['completed'],
  });
}

/**
 * TwiML that puts the call into its room to wait (hearing `waitUrl`) for the other party; the room
 * ends when this call leaves it.
 * @param {import('twilio/lib/twiml/VoiceResponse')} twiml
 * @param {string} room
 * @param {string} waitUrl
 */
function waitInRoom(twiml, room, waitUrl) {
  twiml.dial().conference({ waitUrl, waitMethod: 'GET', startConferenceOnEnter: false, endConferenceOnExit: true, beep: 'false' }, room);
}

module.exports = { roomFor, isRoomName, callOf, activeRooms, isActive, ringIntoRoom, waitInRoom };
