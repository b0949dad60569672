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
 * @param {HomephoneContext} context
 * @returns {Promise<{ policy: import('./caller-policy.js').Policy, whitelist: import('./caller-policy.js').Contact[], overrides: import('./overrides.js').Overrides }>}
 */
async function loadLiveHousehold(context) {
  const { policy, whitelist } = household.loadHousehold();
  const serviceSid = String(context.SYNC_SERVICE_SID ?? '');
  let overrides = overridesLib.empty();
  if (serviceSid) {
    try {
      overrides = (await overridesLib.read(context.getTwilioClient(), serviceSid)).overrides;
    } catch (e) {
      console.log(`could not read the texted changes (quiet time, allow/block): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    policy: overrides.quietUntil ? { ...policy, quietUntil: overrides.quietUntil } : policy,
    whitelist: overridesLib.applyContacts(whitelist, overrides),
    overrides,
  };
}

module.exports = { loadLiveHousehold };
