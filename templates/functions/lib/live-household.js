// @ts-check
'use strict';

// The household as a call sees it now: the deployed whitelist and policy (lib/household.js) with
// what the owner changed by text applied on top (lib/overrides.js: a quiet time, contacts allowed
// or blocked). One Sync read per call. When Sync cannot be read, the call goes on with the
// deployed whitelist and schedule alone, and the Function's log says why.

/** @param {string} name @returns {any} */
const lib = (name) => {
  if (typeof Runtime !== 'undefined') {
    const fn = Runtime.getFunctions()[`lib/${name}`];
    if (fn) return require(fn.path);
  }
  return require(`./${name}.js`);
};
/** @type {typeof import('./household.js')} */
const household = lib('household');
/** @type {typeof import('./overrides.js')} */
const overridesLib = lib('overrides');

/**
 * @typedef {{ policy: import('./caller-policy.js').Policy, whitelist: import('./caller-policy.js').Contact[], overrides: import('./overrides.js').Overrides }} Live
 */

/**
 * @param {ReturnType<typeof household.loadHousehold>} deployed
 * @param {import('./overrides.js').Overrides} overrides
 * @returns {Live}
 */
function combine(deployed, overrides) {
  return {
    policy: overrides.quietUntil ? { ...deployed.policy, quietUntil: overrides.quietUntil } : deployed.policy,
    whitelist: overridesLib.applyContacts(deployed.whitelist, overrides),
    overrides,
  };
}

/**
 * The household now. Synchronous when no Sync service is deployed (nothing to read), like
 * lib/history.js's record(), so a Function without one answers at once.
 * @param {HomephoneContext} context
 * @returns {Live | Promise<Live>}
 */
function loadLiveHousehold(context) {
  const deployed = household.loadHousehold();
  const serviceSid = String(context.SYNC_SERVICE_SID ?? '');
  if (!serviceSid) return combine(deployed, overridesLib.empty());
  return overridesLib.read(context.getTwilioClient(), serviceSid).then(
    (r) => combine(deployed, r.overrides),
    (e) => {
      console.log(`could not read the texted changes (quiet time, allow/block): ${e instanceof Error ? e.message : String(e)}`);
      return combine(deployed, overridesLib.empty());
    },
  );
}

module.exports = { loadLiveHousehold };
