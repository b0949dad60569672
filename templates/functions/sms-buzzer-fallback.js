// @ts-check
'use strict';

// The buzzer number's messaging fallback: Twilio requests it when the buzzer agent's /sms cannot
// be reached or answers with an error, passing ErrorCode and ErrorUrl. The owner (OWNER_CELL) is
// told the agent is not reachable and that the command was not carried out; anyone else gets no
// reply (an empty <Response/>) and one masked log line, as the agent itself would do.

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/text-commands.js')} */
const commands = lib('text-commands');

/** What Twilio's error codes for a failed messaging webhook mean, in a few words. */
/** @type {Readonly<Record<string, string>>} */
const REASONS = Object.freeze({
  11200: 'it did not answer (HTTP retrieval failure, error 11200)',
  11205: 'no connection (error 11205)',
  11210: 'its name did not resolve (error 11210)',
  11215: 'too many redirects (error 11215)',
  12100: 'its answer was not valid TwiML (error 12100)',
  12300: 'its answer had the wrong content type (error 12300)',
});

/** @type {HomephoneHandler} */
exports.handler = (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  const from = String(event.From ?? '');
  if (!context.OWNER_CELL || from !== context.OWNER_CELL) {
    console.log(`text to the buzzer number from ${commands.maskNumber(from)} ignored (the agent is not reachable; only the owner's cell is told)`);
    return callback(null, twiml);
  }
  const code = String(event.ErrorCode ?? '');
  const reason = REASONS[code] ?? (code ? `error ${code}` : 'no reason given');
  const said = String(event.Body ?? '').trim().slice(0, 40);
  console.log(`the buzzer agent is not reachable (${code || 'no error code'}, ${String(event.ErrorUrl ?? '')}): told the owner`);
  twiml.message(`The buzzer agent is not reachable: ${reason}. "${said}" was not carried out; check the agent (homephone doctor).`);
  return callback(null, twiml);
};
