// @ts-check
'use strict';

// Run Function of the owner's menu: the home phone's calls in progress (rooms hp-*), the most
// recent one (the room the owner would join) and a sentence saying how many there are and with
// whom. Answers JSON: {count, room, summary}.

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/caller-policy.js')} */
const callerPolicy = lib('caller-policy');
/** @type {typeof import('./lib/household.js')} */
const household = lib('household');
/** @type {typeof import('./lib/rooms.js')} */
const rooms = lib('rooms');
/** @type {typeof import('./lib/dialled-number.js')} */
const dialledNumber = lib('dialled-number');

/**
 * Who the call that opened a room is with: the caller, or what the SIP phone dialled.
 * @param {import('twilio').Twilio} client
 * @param {string} room
 * @param {import('./lib/caller-policy.js').Contact[]} whitelist
 * @param {string | null | undefined} country
 * @returns {Promise<string>}
 */
async function withWhom(client, room, whitelist, country) {
  try {
    const call = await client.calls(rooms.callOf(room)).fetch();
    let number = call.from;
    if (call.from.startsWith('sip:')) {
      const dialled = dialledNumber.parseDialled(call.to, country);
      number = dialled.kind === 'number' ? dialled.e164 : dialled.dialled;
    }
    const contact = callerPolicy.findContact(whitelist, number);
    return contact?.Person ?? number.replace(/(.)/g, '$1 ').trim();
  } catch {
    return 'someone';
  }
}

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, _event, callback) => {
  const client = context.getTwilioClient();
  const active = await rooms.activeRooms(client);
  const latest = active[0];
  let summary = '';
  if (latest) {
    const { policy, whitelist } = household.loadHousehold();
    const who = await withWhom(client, latest.name, whitelist, policy.defaultCountry);
    summary = active.length === 1 ? `There is one call in progress, with ${who}.` : `There are ${active.length} calls in progress. The most recent is with ${who}.`;
  }
  household.report({ homephone: 'decision', call: 'owner', path: active.length ? 'owner-menu' : 'owner', count: active.length, room: latest?.name ?? null, reason: active.length ? summary : 'no call in progress: connected to the home phone' });
  return callback(null, { count: active.length, room: latest?.name ?? '', summary });
};
