// @ts-check
'use strict';

// Calls from the SIP phone, handed over by the outbound Studio flow. The dialled number is the
// user part of the SIP URI (sip:+15551234567@home.sip.twilio.com, or without the +). Emergency
// numbers are always connected directly; a whitelisted number is called from the home number;
// anything else is connected to the owner's cell instead.

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The dialled digits of a SIP URI, normalised to E.164 where possible (10 digits → +1…, 011… → +…).
 * @param {string} uri
 * @returns {string}
 */
function dialled(uri) {
  const user = decodeURIComponent(/^sips?:([^@;]+)/i.exec(uri)?.[1] ?? '').replace(/[\s().-]/g, '');
  if (E164.test(user)) return user;
  if (/^011\d{7,15}$/.test(user)) return `+${user.slice(3)}`;
  if (/^1\d{10}$/.test(user)) return `+${user}`;
  if (/^\d{10}$/.test(user)) return `+1${user}`;
  return user;
}

/**
 * A private JSON asset, or the fallback when it is missing or unreadable.
 * @template T
 * @param {string} path
 * @param {T} fallback
 * @returns {T}
 */
function readAsset(path, fallback) {
  try {
    const asset = Runtime.getAssets()[path];
    return asset ? /** @type {T} */ (JSON.parse(asset.open())) : fallback;
  } catch {
    return fallback;
  }
}

/** @type {HomephoneHandler} */
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  const number = dialled(event.To ?? '');
  const policy = readAsset('/policy.json', /** @type {{ emergencyNumbers?: string[] }} */ ({}));
  const emergency = policy.emergencyNumbers ?? ['911'];
  const callerId = context.HOME_NUMBER;

  if (emergency.includes(number)) {
    twiml.dial(callerId ? { callerId } : {}).number(number);
    return callback(null, twiml);
  }
  const whitelist = readAsset('/whitelist.json', /** @type {Array<{ Number: string }>} */ ([]));
  if (E164.test(number) && whitelist.some((c) => c.Number === number)) {
    twiml.dial(callerId ? { callerId } : {}).number(number);
    return callback(null, twiml);
  }
  const owner = context.OWNER_CELL;
  if (owner && E164.test(owner)) {
    twiml.say('That number is not on the family list. Connecting you to the owner.');
    twiml.dial(callerId ? { callerId } : {}).number(owner);
  } else {
    twiml.say('That number is not on the family list. Goodbye.');
    twiml.hangup();
  }
  return callback(null, twiml);
};
