// @ts-check
'use strict';

// The sentence the owner hears about the calls in progress ("There is one call in progress, with
// Grandma."): said only after the monitor code was accepted, because caller ID can be forged.

/**
 * A sibling library: through Runtime.getFunctions() on Twilio, by its relative path elsewhere.
 * @param {string} name
 * @returns {any}
 */
function sibling(name) {
  if (typeof Runtime !== 'undefined') {
    const fn = Runtime.getFunctions()[`lib/${name}`];
    if (fn) return require(fn.path);
  }
  return require(`./${name}.js`);
}

/** @type {typeof import('./caller-policy.js')} */
const callerPolicy = sibling('caller-policy');
/** @type {typeof import('./rooms.js')} */
const rooms = sibling('rooms');
/** @type {typeof import('./dialled-number.js')} */
const dialledNumber = sibling('dialled-number');

/**
 * Who the call that opened a room is with: the caller, or what the SIP phone dialled.
 * @param {import('twilio').Twilio} client
 * @param {string} room
 * @param {import('./caller-policy.js').Contact[]} whitelist
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

/**
 * "There is one call in progress, with X." / "There are N calls in progress. The most recent is with X."
 * @param {number} count
 * @param {string} who
 */
function summarise(count, who) {
  return count === 1 ? `There is one call in progress, with ${who}.` : `There are ${count} calls in progress. The most recent is with ${who}.`;
}

module.exports = { withWhom, summarise };
