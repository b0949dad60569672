// @ts-check
'use strict';

// Texts to the home number (its messaging webhook, set by `homephone deploy`). Protected, so the
// Functions gateway refuses a request without Twilio's signature before this runs. Only the
// owner's cell (OWNER_CELL) is obeyed: quiet 2h | quiet until 7am | awake | allow <number> [name] |
// block <number> | who | help. Every command is answered with what was done; a text from anyone
// else gets no reply at all (an empty <Response/>) and one masked log line. The changes go to a
// Sync Document (lib/overrides.js) that the caller policy reads on the next call: nothing here
// waits for a build.

/** @param {string} name @returns {any} */
const lib = (name) => require(Runtime.getFunctions()[`lib/${name}`]?.path ?? `./lib/${name}.js`);
/** @type {typeof import('./lib/text-commands.js')} */
const commands = lib('text-commands');
/** @type {typeof import('./lib/overrides.js')} */
const overridesLib = lib('overrides');
/** @type {typeof import('./lib/live-household.js')} */
const liveHousehold = lib('live-household');
/** @type {typeof import('./lib/household.js')} */
const household = lib('household');
/** @type {typeof import('./lib/caller-policy.js')} */
const callerPolicy = lib('caller-policy');
/** @type {typeof import('./lib/bedtime.js')} */
const bedtime = lib('bedtime');
/** @type {typeof import('./lib/dialled-number.js')} */
const dialledNumber = lib('dialled-number');
/** @type {typeof import('./lib/history.js')} */
const history = lib('history');

/**
 * @typedef {import('./lib/live-household.js').Live} Live
 * @typedef {{ context: HomephoneContext, serviceSid: string, live: Live, now: number }} Run
 */

/**
 * "Sat 07:00" in the household's zone.
 * @param {Live['policy']} policy
 * @param {number} instant
 */
function wallClock(policy, instant) {
  const c = bedtime.localWallClock(String(policy.timeZone), instant);
  return `${c.day} ${c.time}`;
}

/**
 * "Grandpa (+15555550199)" or the number.
 * @param {Live} live
 * @param {string} number
 */
function named(live, number) {
  return callerPolicy.describe(callerPolicy.findContact(live.whitelist, number), number);
}

/**
 * A number typed in a text as E.164, or the reason it is not one.
 * @param {string} typed
 * @param {Live['policy']} policy
 * @returns {{ ok: true, number: string } | { ok: false, reason: string }}
 */
function readNumber(typed, policy) {
  const parsed = dialledNumber.parseDialled(typed, policy.defaultCountry ?? 'US');
  if (parsed.kind === 'number') return { ok: true, number: parsed.e164 };
  if (parsed.kind === 'short') return { ok: false, reason: `${parsed.digits} is a short number, not a phone number` };
  return { ok: false, reason: `"${typed}" is not a phone number (${parsed.reason})` };
}

/**
 * @param {Run} run
 * @param {number} until epoch ms
 * @returns {Promise<string>}
 */
async function quiet(run, until) {
  const { context, serviceSid, now, live } = run;
  await overridesLib.update(context.getTwilioClient(), serviceSid, (o) => ({ overrides: { ...o, quietUntil: until, quietSince: now }, result: null }));
  return `Quiet until ${wallClock(live.policy, until)} (${commands.formatDuration(until - now)}): only contacts allowed at bedtime ring through. Text awake to end it.`;
}

/** @param {Run} run @returns {Promise<string>} */
async function awake(run) {
  const { context, serviceSid, now, live } = run;
  const wasOn = await overridesLib.update(context.getTwilioClient(), serviceSid, (o) =>
    o.quietUntil > now ? { overrides: { ...o, quietUntil: 0, quietSince: 0 }, result: true } : { overrides: null, result: false },
  );
  const scheduled = callerPolicy.bedtimeAt({ ...live.policy, quietUntil: 0 }, new Date(now));
  const after = scheduled.active ? ` The bedtime schedule (${scheduled.window}) is on now, though.` : '';
  return (wasOn ? 'Quiet time ended: the phone rings as usual.' : 'There was no quiet time to end.') + after;
}

/**
 * @param {Run} run
 * @param {string} typed
 * @param {string | null} name
 * @returns {Promise<string>}
 */
async function allow(run, typed, name) {
  const { context, serviceSid, live } = run;
  const read = readNumber(typed, live.policy);
  if (!read.ok) return `Not allowed: ${read.reason}. Example: allow +1 555 555 0199 Grandpa`;
  const number = read.number;
  if (dialledNumber.emergencyDialled(number, live.policy.emergencyNumbers)) return `${number} is an emergency number: it is always dialled, nothing to allow.`;
  const before = callerPolicy.findContact(live.whitelist, number);
  if (before && (name === null || name === before.Person)) return `${named(live, number)} is already on the whitelist: nothing changed.`;
  // A number that was on the list (or blocked by text) keeps its name; a new one needs one.
  const person = name ?? before?.Person ?? live.overrides.contacts[number]?.person ?? null;
  if (!person) return `Not allowed: give a name too, e.g. allow ${number} Grandpa`;
  const result = await overridesLib.update(context.getTwilioClient(), serviceSid, (o) => {
    if (!o.contacts[number] && Object.keys(o.contacts).length >= overridesLib.MAX_CONTACTS) return { overrides: null, result: 'full' };
    return { overrides: { ...o, contacts: { ...o.contacts, [number]: { action: 'allow', person, at: new Date(run.now).toISOString() } } }, result: 'ok' };
  });
  if (result === 'full') return `Not allowed: ${overridesLib.MAX_CONTACTS} texted changes are waiting. Run homephone whitelist sync first.`;
  const who = `${person} (${number})`;
  const bedtimeNote = before?.OverrideBedtime ? '' : ', except at bedtime';
  return `Allowed ${who}: rings through from the next call${bedtimeNote}. Live now (kept on Twilio); homephone whitelist sync writes it into your whitelist.`;
}

/**
 * @param {Run} run
 * @param {string} typed
 * @returns {Promise<string>}
 */
async function block(run, typed) {
  const { context, serviceSid, live } = run;
  const read = readNumber(typed, live.policy);
  if (!read.ok) return `Not blocked: ${read.reason}. Example: block +1 555 555 0199`;
  const number = read.number;
  const before = callerPolicy.findContact(live.whitelist, number);
  if (!before) return `${number} is not on the whitelist: it is refused already. Nothing changed.`;
  await overridesLib.update(context.getTwilioClient(), serviceSid, (o) => ({
    overrides: { ...o, contacts: { ...o.contacts, [number]: { action: 'block', person: before.Person ?? null, at: new Date(run.now).toISOString() } } },
    result: null,
  }));
  return `Blocked ${named(live, number)}: refused from the next call. Live now (kept on Twilio); homephone whitelist sync removes it from your whitelist.`;
}

/** @param {Run} run @returns {Promise<string>} */
async function who(run) {
  const { context, serviceSid, live } = run;
  const items = await context
    .getTwilioClient()
    .sync.v1.services(serviceSid)
    .syncLists(history.LIST)
    .syncListItems.list({ order: 'desc', limit: 50 })
    .catch((/** @type {unknown} */ e) => {
      if (/** @type {{ status?: unknown }} */ (e ?? {}).status === 404) return [];
      throw e;
    });
  /** @type {Map<string, Record<string, unknown>>} */
  const latest = new Map();
  // Newest first: the first record seen of a call is its latest, its decision.
  for (const item of items) {
    const d = /** @type {Record<string, unknown>} */ (item.data ?? {});
    const call = String(d.call ?? '');
    if (!call || latest.has(call)) continue;
    latest.set(call, d);
    if (latest.size >= commands.WHO_COUNT) break;
  }
  if (!latest.size) return 'No calls recorded yet.';
  const lines = [...latest.values()].map((d) => {
    const other = String(d.direction === 'outbound' ? d.to : d.from);
    const contact = callerPolicy.findContact(live.whitelist, other);
    const name =
      d.line === 'buzzer' ? 'buzzer' : contact?.Person ? contact.Person : other === context.OWNER_CELL ? 'you' : commands.maskNumber(other);
    const word = commands.DECISION_WORDS[String(d.decision)] ?? String(d.decision);
    const by = d.decision === 'buzz-opened' && typeof d.person === 'string' && d.person ? ` by ${d.person}` : '';
    const when = typeof d.at === 'string' && Date.parse(d.at) ? wallClock(live.policy, Date.parse(d.at)) : '';
    return `${when} ${d.direction === 'outbound' ? 'to ' : ''}${name}: ${word}${by}`.trim();
  });
  return `Last calls:\n${lines.join('\n')}`;
}

/** @type {HomephoneAsyncHandler} */
exports.handler = async (context, event, callback) => {
  const twiml = new Twilio.twiml.MessagingResponse();
  const from = String(event.From ?? '');
  if (!context.OWNER_CELL || from !== context.OWNER_CELL) {
    // Nobody else is answered, and their words are not kept: only who (masked) and that it was ignored.
    console.log(`text to the home number from ${commands.maskNumber(from)} ignored: only the owner's cell is obeyed`);
    return callback(null, twiml);
  }
  const command = commands.parseCommand(event.Body);
  const serviceSid = String(context.SYNC_SERVICE_SID ?? '');
  let reply;
  try {
    const live = await liveHousehold.loadLiveHousehold(context);
    /** @type {Run} */
    const run = { context, serviceSid, live, now: Date.now() };
    const needsSync = command.kind !== 'help' && command.kind !== 'unknown' && command.kind !== 'bad';
    if (needsSync && !serviceSid) reply = 'Text commands need the Sync service: run homephone deploy.';
    else if (command.kind === 'help') reply = commands.HELP;
    else if (command.kind === 'unknown') reply = `Not understood: "${command.text}". ${commands.HELP}`;
    else if (command.kind === 'bad') reply = `Not done: ${command.reason}.`;
    else if (command.kind === 'quiet') reply = await quiet(run, run.now - (run.now % 60_000) + command.forMs);
    else if (command.kind === 'quiet-until') {
      reply = await quiet(run, commands.nextWallClock(command, String(live.policy.timeZone), run.now, bedtime.localWallClock));
    } else if (command.kind === 'awake') reply = await awake(run);
    else if (command.kind === 'allow') reply = await allow(run, command.number, command.name);
    else if (command.kind === 'block') reply = await block(run, command.number);
    else reply = await who(run);
  } catch (e) {
    console.log(`text command ${command.kind} failed: ${e instanceof Error ? e.message : String(e)}`);
    reply = `Sorry, that did not work (${command.kind}): Twilio could not be reached. Nothing changed; try again.`;
  }
  household.report({ homephone: 'text', command: command.kind, reply });
  twiml.message(reply);
  return callback(null, twiml);
};
