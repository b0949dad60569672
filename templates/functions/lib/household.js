// @ts-check
'use strict';

// What the Functions know about the household at call time: the whitelist and the policy (private
// assets written by `homephone deploy`), and how a Function reports what it decided. The decision
// goes to the Function's log as one JSON line: Twilio's console shows it, and the twin puts it in
// the call's transcript, where `homephone simulate` reads it.

/**
 * A private JSON asset, or the fallback when it is missing or unreadable.
 * @template T
 * @param {string} path
 * @param {T} fallback
 * @returns {T}
 */
function readJsonAsset(path, fallback) {
  try {
    const asset = Runtime.getAssets()[path];
    return asset ? /** @type {T} */ (JSON.parse(asset.open())) : fallback;
  } catch {
    return fallback;
  }
}

/**
 * @returns {{ policy: import('./caller-policy.js').Policy, whitelist: import('./caller-policy.js').Contact[] }}
 */
function loadHousehold() {
  const policy = readJsonAsset('/policy.json', /** @type {import('./caller-policy.js').Policy} */ ({}));
  const whitelist = readJsonAsset('/whitelist.json', /** @type {import('./caller-policy.js').Contact[]} */ ([]));
  return { policy, whitelist: Array.isArray(whitelist) ? whitelist : [] };
}

/**
 * Logs a decision as one JSON line ({"homephone":"decision",…}).
 * @param {object} decision
 */
function report(decision) {
  console.log(JSON.stringify(decision));
}

module.exports = { readJsonAsset, loadHousehold, report };
