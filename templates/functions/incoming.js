// @ts-check
'use strict';

// Every call to the home number except the owner's menu comes here, from the inbound Studio flow's
// TwiML Redirect: ONE Function decides (whitelist, bedtime, owner) and, for a caller who may ring
// through, rings the SIP phone into the caller's own room (hp-<CallSid>) and puts the caller there
// to wait with a ringback tone. If the phone does not answer (not registered, busy, no answer),
// /participant-status moves the caller on to /fallback-owner: nobody waits in a silent room.

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/caller-policy.js')} */
const callerPolicy = lib('caller-policy');
/** @type {typeof import('./lib/household.js')} */
const household = lib('household');
/** @type {typeof import('./lib/live-household.js')} */
const liveHousehold = lib('live-household');
/** @type {typeof import('./lib/rooms.js')} */
const rooms = lib('rooms');
/** @type {typeof import('./lib/replies.js')} */
const replies = lib('replies');

/** @type {typeof import('./lib/history.js')} */
const history = lib('history');
/** @type {typeof import('./lib/alerts.js')} */
const alerts = lib('alerts');

const E164 = /^\+[1-9]\d{1,14}$/;

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  // The deployed whitelist and schedule, with the owner's texted changes on top (quiet, allow, block).
  const loaded = liveHousehold.loadLiveHousehold(context);
  const { policy, whitelist } = 'then' in loaded ? await loaded : loaded;
  const decision = callerPolicy.decideInbound({ from: event.From, ownerCell: context.OWNER_CELL, whitelist, policy, now: new Date() });
  // The CallSid ties the logged decision to its call (homephone check reads it back from the logs).
  household.report({ ...decision, callSid: String(event.CallSid ?? '') });
  const recorded = { 'not-whitelisted': 'blocked', bedtime: 'bedtime', ring: 'rang', owner: 'owner' }[decision.path] ?? decision.path;
  const recording = history.record(context, {
    call: String(event.CallSid ?? ''),
    line: 'home',
    direction: 'inbound',
    from: String(event.From ?? ''),
    to: String(event.To ?? context.HOME_NUMBER ?? ''),
    decision: recorded,
    person: decision.person ?? null,
    reason: decision.reason,
  });
  // The owner's alert (lib/alerts.js) runs alongside the history record: the caller waits for both.
  const alerting = decision.path === 'not-whitelisted' ? alerts.notify(context, { kind: 'unknown', call: String(event.CallSid ?? ''), from: String(event.From ?? ''), voicemail: decision.voicemail }) : null;
  if (recording) await recording;
  if (alerting) await alerting;
  const messages = policy.messages ?? {};

  if (decision.path === 'not-whitelisted' || decision.path === 'bedtime') {
    const message = decision.path === 'bedtime' ? messages.bedtime : messages.notWhitelisted;
    replies.endWith(twiml, message ?? 'Sorry, this call cannot be taken. Goodbye.', { voicemail: decision.voicemail });
    return callback(null, twiml);
  }

  const sipUri = context.SIP_URI;
  if (!sipUri) {
    twiml.redirect('/fallback-owner');
    return callback(null, twiml);
  }
  const room = rooms.roomFor(event.CallSid);
  const base = `https://${context.DOMAIN_NAME}`;
  try {
    await rooms.ringIntoRoom(context.getTwilioClient(), {
      room,
      to: sipUri,
      // The handset shows who is calling; for a SIP destination Twilio passes it on as is.
      from: E164.test(event.From ?? '') ? String(event.From) : String(context.HOME_NUMBER),
      label: 'home phone',
      ringSeconds: callerPolicy.ringTimeout(policy),
      statusCallback: `${base}/participant-status?waiting=${encodeURIComponent(String(event.CallSid))}&then=fallback`,
    });
  } catch (e) {
    console.log(`could not ring the home phone: ${e instanceof Error ? e.message : String(e)}`);
    twiml.redirect('/fallback-owner');
    return callback(null, twiml);
  }
  rooms.waitInRoom(twiml, room, `${base}/ringback.xml`);
  return callback(null, twiml);
};
