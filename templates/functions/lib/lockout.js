// @ts-check
'use strict';

// The monitor code's lockout across calls. A Studio execution only lives as long as one call, so
// the count of wrong codes is kept on Twilio itself, in one Sync Document ("monitor-lockout") of
// the Sync service `homephone deploy` creates. Five wrong codes in a row, over any number of calls,
// lock monitoring for a cool-down (15 minutes, doubling with each lockout in a row, at most a
// day); while locked, no code is even checked, the right one included. A right code clears the
// count. Every change is a conditional update (If-Match: the revision read), so two calls entering
// codes at once cannot lose a failure; the one update that trips the lock is the only one told to
// text the owner.

/** Wrong codes in a row that lock monitoring. */
const MAX_FAILURES = 5;
/** The first cool-down; each lockout in a row doubles it, up to MAX_COOL_DOWN_MS. */
const COOL_DOWN_MS = 15 * 60 * 1000;
const MAX_COOL_DOWN_MS = 24 * 60 * 60 * 1000;
const DOCUMENT = 'monitor-lockout';
/** Conditional updates retried after losing a race, before giving up (and refusing). */
const MAX_ATTEMPTS = 8;

/**
 * @typedef {{ failures: number, lockedUntil: number, lockouts: number }} LockoutState
 * failures: wrong codes in a row since the last right one or lockout; lockedUntil: epoch ms
 * (0 when not locked); lockouts: lockouts in a row (sets the next cool-down).
 */

/** @returns {LockoutState} */
function initialState() {
  return { failures: 0, lockedUntil: 0, lockouts: 0 };
}

/**
 * A stored document's data as a state, whatever it holds (a damaged document locks nothing it
 * should not, and loses no lockout in progress: numbers are read as numbers or 0).
 * @param {unknown} data
 * @returns {LockoutState}
 */
function stateOf(data) {
  const d = /** @type {Record<string, unknown>} */ (data && typeof data === 'object' ? data : {});
  const num = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return { failures: num(d.failures), lockedUntil: num(d.lockedUntil), lockouts: num(d.lockouts) };
}

/**
 * @param {LockoutState} state
 * @param {number} now epoch ms
 */
function isLocked(state, now) {
  return state.lockedUntil > now;
}

/**
 * The cool-down of the n-th lockout in a row (n from 1).
 * @param {number} n
 */
function coolDownMs(n) {
  return Math.min(COOL_DOWN_MS * 2 ** Math.max(0, n - 1), MAX_COOL_DOWN_MS);
}

/**
 * After a wrong code: the new state, and whether this very failure locked monitoring.
 * @param {LockoutState} state
 * @param {number} now
 * @returns {{ state: LockoutState, tripped: boolean }}
 */
function afterFailure(state, now) {
  const failures = state.failures + 1;
  if (failures < MAX_FAILURES) return { state: { ...state, failures }, tripped: false };
  // A lockout that ended long ago (more than a day) no longer doubles the next one.
  const recent = state.lockedUntil > 0 && now - state.lockedUntil < MAX_COOL_DOWN_MS;
  const lockouts = recent ? state.lockouts + 1 : 1;
  return { state: { failures: 0, lockedUntil: now + coolDownMs(lockouts), lockouts }, tripped: true };
}

/** After the right code. @returns {LockoutState} */
function afterSuccess() {
  return initialState();
}

/**
 * @param {unknown} e
 * @returns {number | undefined}
 */
function statusOf(e) {
  const s = /** @type {{ status?: unknown }} */ (e ?? {}).status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * The lockout document, created (at its initial state) the first time.
 * @param {import('twilio').Twilio} client
 * @param {string} serviceSid
 * @returns {Promise<{ state: LockoutState, revision: string }>}
 */
async function read(client, serviceSid) {
  const docs = client.sync.v1.services(serviceSid).documents;
  try {
    const d = await docs(DOCUMENT).fetch();
    return { state: stateOf(d.data), revision: d.revision };
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  try {
    const d = await docs.create({ uniqueName: DOCUMENT, data: initialState() });
    return { state: stateOf(d.data), revision: d.revision };
  } catch (e) {
    // Another call created it first (409): read theirs.
    if (statusOf(e) !== 409) throw e;
    const d = await docs(DOCUMENT).fetch();
    return { state: stateOf(d.data), revision: d.revision };
  }
}

/**
 * Read-modify-write with If-Match, again from a fresh read when another call wrote in between.
 * @template T
 * @param {import('twilio').Twilio} client
 * @param {string} serviceSid
 * @param {(state: LockoutState) => { state: LockoutState, result: T } | null} change null: write nothing
 * @returns {Promise<{ state: LockoutState, result: T | null }>}
 */
async function update(client, serviceSid, change) {
  const docs = client.sync.v1.services(serviceSid).documents;
  for (let attempt = 1; ; attempt++) {
    const current = await read(client, serviceSid);
    const next = change(current.state);
    if (!next) return { state: current.state, result: null };
    try {
      await docs(DOCUMENT).update({ data: next.state, ifMatch: current.revision });
      return next;
    } catch (e) {
      if (statusOf(e) !== 412 || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

module.exports = {
  MAX_FAILURES,
  COOL_DOWN_MS,
  MAX_COOL_DOWN_MS,
  DOCUMENT,
  initialState,
  stateOf,
  isLocked,
  coolDownMs,
  afterFailure,
  afterSuccess,
  read,
  update,
};
