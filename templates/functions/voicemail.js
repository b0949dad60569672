// @ts-check
'use strict';

// The <Record> action of a voicemail: texts the owner the recording's link (with who called and
// for how long), then thanks the caller. Twilio requests it even when the caller hung up.

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/caller-policy.js')} */
const callerPolicy = lib('caller-policy');
/** @type {typeof import('./lib/household.js')} */
const household = lib('household');

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const twiml = new Twilio.twiml.VoiceResponse();
  const url = event.RecordingUrl ?? '';
  const seconds = Number(event.RecordingDuration ?? 0);
  if (url && seconds > 0 && context.OWNER_CELL && context.HOME_NUMBER) {
    const { whitelist } = household.loadHousehold();
    const from = event.From ?? '';
    const who = callerPolicy.describe(callerPolicy.findContact(whitelist, from), from);
    try {
      await context.getTwilioClient().messages.create({
        to: context.OWNER_CELL,
        from: context.HOME_NUMBER,
        body: `homephone: voicemail from ${who}, ${seconds} s: ${url}.mp3`,
      });
    } catch (e) {
      console.log(`could not text the owner about a voicemail: ${e instanceof Error ? e.message : String(e)}`);
    }
    twiml.say('Thank you. Your message was recorded. Goodbye.');
  } else {
    twiml.say('No message was recorded. Goodbye.');
  }
  twiml.hangup();
  return callback(null, twiml);
};
