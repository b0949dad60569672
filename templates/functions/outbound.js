// @ts-check
'use strict';

// Calls dialled on the SIP phone, handed over by the outbound Studio flow's TwiML Redirect. The
// dialled number comes from the SIP URI (sip:+15551234567@home.sip.twilio.com, or the national
// form without +). Emergency numbers are always dialled directly; a whitelisted number is called
// from the home number into a room of its own (hp-<CallSid>, so the owner can monitor it too);
// anything else goes to the owner's cell; what cannot be read as a number gets a polite message.

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
/** @type {typeof import('./lib/dialled-number.js')} */
const dialledNumber = lib('dialled-number');

/** @type {typeof import('./lib/history.js')} */
const history = lib('history');

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  const deployed = household.loadHousehold();
  let decision = callerPolicy.decideOutbound({ to: event.To, whitelist: deployed.whitelist, policy: deployed.policy, ownerCell: context.OWNER_CELL });
  const policy = deployed.policy;
  // An emergency call never waits for Sync; any other call sees the contacts texted since the deploy.
  if (decision.path !== 'emergency') {
    const loaded = liveHousehold.loadLiveHousehold(context);
    const live = 'then' in loaded ? await loaded : loaded;
    decision = callerPolicy.decideOutbound({ to: event.To, whitelist: live.whitelist, policy, ownerCell: context.OWNER_CELL });
  }
  household.report({ ...decision, callSid: String(event.CallSid ?? '') });
  const recorded = { emergency: 'emergency', whitelisted: 'rang', owner: 'owner', unparsable: 'blocked' }[decision.path] ?? decision.path;
  const recording = history.record(context, {
    call: String(event.CallSid ?? ''),
    line: 'home',
    direction: 'outbound',
    from: String(event.From ?? ''),
    to: String(decision.number ?? event.To ?? ''),
    decision: recorded,
    person: decision.person ?? null,
    reason: decision.reason,
  });
  if (recording) await recording;
  const home = context.HOME_NUMBER;
  const callerId = home ? { callerId: home } : {};

  switch (decision.path) {
    case 'emergency':
      // Nothing may stand between the phone and an emergency number: no message, no room.
      twiml.dial(callerId).number(dialledNumber.emergencyDialString(String(decision.number), policy.countryCallingCode));
      return callback(null, twiml);
    case 'whitelisted': {
      const room = rooms.roomFor(event.CallSid);
      const base = `https://${context.DOMAIN_NAME}`;
      try {
        await rooms.ringIntoRoom(context.getTwilioClient(), {
          room,
          to: String(decision.number),
          from: String(home),
          label: 'callee',
          ringSeconds: 30,
          statusCallback: `${base}/participant-status?waiting=${encodeURIComponent(String(event.CallSid))}&then=unanswered`,
        });
      } catch (e) {
        console.log(`could not call ${decision.number}: ${e instanceof Error ? e.message : String(e)}`);
        twiml.redirect('/unanswered?reason=failed');
        return callback(null, twiml);
      }
      rooms.waitInRoom(twiml, room, `${base}/ringback.xml`);
      return callback(null, twiml);
    }
    case 'owner':
      twiml.say('That number is not on the family list. Connecting you to a parent.');
      twiml.dial(callerId).number(String(context.OWNER_CELL));
      return callback(null, twiml);
    default:
      twiml.say('Sorry, that number could not be dialled. Please check the number and try again. Goodbye.');
      twiml.hangup();
      return callback(null, twiml);
  }
};
