// @ts-check
'use strict';

// Texts to the owner's cell about the home phone's calls, from the home number. Opt-in
// (`homephone alerts on`): deploy writes the settings into the ALERTS Variable as JSON, and an
// absent or unreadable Variable means off. Two events:
//   unknown  a number not on the whitelist called (texted at once, or gathered for a daily digest);
//   missed   a whitelisted call nobody took (the home phone and the owner's cell did not answer).
// What is kept, in the Sync service deploy creates (SYNC_SERVICE_SID), so that it holds across
// Function invocations:
//   alert-<kind>-<CallSid>   one Document per event, created before anything is sent. Sync unique
//                            names are unique, so a retried webhook or a second pass of the same
//                            call finds the name taken (409) and sends nothing: once per event.
//   alerts-day-<YYYY-MM-DD>  texts sent on that local day ({sent, suppressed}), changed only by
//                            conditional updates (If-Match), so two calls at once cannot both take
//                            the last slot. At most `maxPerDay` texts a day; the last one says so.
//   alerts-digest            unknown callers waiting for the digest ({period, callers, calls, more}).
// Functions have no scheduler, so the digest is lazy: it is sent by the first alert event after the
// digest time (or by `homephone alerts digest`, run from cron, which calls sendDueDigest below).
// Every Document expires (a Sync TTL) once it can no longer matter. An alert that cannot be sent
// never breaks the call: it is logged and the call goes on.

/** The settings `homephone alerts on` starts from. */
const DEFAULTS = Object.freeze({ unknown: /** @type {'immediate'} */ ('immediate'), missed: true, maxPerDay: 10, digestAt: '20:00' });
const MAX_PER_DAY_LIMIT = 100;
/** An event's claim outlives any retry of its webhook (Twilio gives up on a call within hours). */
const CLAIM_TTL_SECONDS = 2 * 24 * 60 * 60;
/** A day's counter is read only on that local day: three days covers every time zone. */
const DAY_TTL_SECONDS = 3 * 24 * 60 * 60;
const DIGEST = 'alerts-digest';
/** Distinct numbers the digest document keeps (the rest are only counted), and lists in a text. */
const DIGEST_KEEP = 50;
const DIGEST_SHOW = 25;
/** Conditional updates retried after losing a race, before giving up. */
const MAX_ATTEMPTS = 8;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * @typedef {{ unknown: 'immediate' | 'digest' | 'off', missed: boolean, maxPerDay: number, digestAt: string }} AlertSettings
 * @typedef {{ from: string, count: number, last: string }} DigestCaller
 * @typedef {{ period: string | null, callers: DigestCaller[], calls: number, more: number }} DigestState
 * @typedef {{ sent: number, suppressed: number }} DayState
 */

/**
 * The settings in the ALERTS Variable, or null when alerts are off (absent, "off" or unreadable).
 * @param {unknown} raw
 * @returns {AlertSettings | null}
 */
function settingsFrom(raw) {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.trim() === 'off') return null;
  /** @type {Record<string, unknown>} */
  let v;
  try {
    const parsed = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    v = parsed;
  } catch {
    return null;
  }
  const unknown = v.unknown === 'digest' || v.unknown === 'off' ? v.unknown : 'immediate';
  const n = Number(v.maxPerDay);
  const maxPerDay = Number.isInteger(n) && n >= 1 && n <= MAX_PER_DAY_LIMIT ? n : DEFAULTS.maxPerDay;
  const digestAt = typeof v.digestAt === 'string' && HHMM.test(v.digestAt) ? v.digestAt : DEFAULTS.digestAt;
  return { unknown, missed: v.missed !== false, maxPerDay, digestAt };
}

/**
 * The ALERTS Variable's value for some settings (the CLI writes it through deploy).
 * @param {AlertSettings} settings
 */
function variableValue(settings) {
  return JSON.stringify({ unknown: settings.unknown, missed: settings.missed, maxPerDay: settings.maxPerDay, digestAt: settings.digestAt });
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/**
 * The local date ("2026-11-20") and time ("14:02") at an instant, in a time zone (UTC when the
 * zone is missing or unknown, so an alert is never lost to a bad setting).
 * @param {string | undefined} timeZone
 * @param {number} ms
 * @returns {{ date: string, time: string }}
 */
function localParts(timeZone, ms) {
  const zone = timeZone || 'UTC';
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    } catch {
      return localParts('UTC', ms);
    }
    formatters.set(zone, f);
  }
  const parts = f.formatToParts(ms);
  /** @param {string} type */
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = String(Number(part('hour')) % 24).padStart(2, '0');
  return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${hour}:${part('minute')}` };
}

/**
 * The calendar day after a "YYYY-MM-DD" date.
 * @param {string} date
 */
function nextDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) + 1)).toISOString().slice(0, 10);
}

/**
 * The digest a call at this local time belongs to, named by the date it is sent on: today's when
 * the digest time has not come yet, else tomorrow's.
 * @param {{ date: string, time: string }} local
 * @param {string} digestAt
 */
function digestPeriod(local, digestAt) {
  return local.time < digestAt ? local.date : nextDate(local.date);
}

/**
 * Whether a period's digest time has come.
 * @param {string} period
 * @param {{ date: string, time: string }} local
 * @param {string} digestAt
 */
function isDue(period, local, digestAt) {
  return local.date > period || (local.date === period && local.time >= digestAt);
}

/**
 * A number as the owner reads it: in full (the owner's own phone: they may call back or block it).
 * @param {string} number
 */
function shownNumber(number) {
  return /^\+?\d{3,}$/.test(number) ? number : 'a withheld number';
}

/**
 * @param {{ kind: 'unknown' | 'missed', from: string, person?: string | null, time: string, voicemail?: boolean, ownerRung?: boolean }} event
 */
function alertText(event) {
  const number = shownNumber(event.from);
  if (event.kind === 'unknown') {
    return `homephone: ${number} called the home phone at ${event.time} and was turned away (not on the whitelist).${event.voicemail ? ' They could leave a voicemail.' : ''}`;
  }
  const who = event.person ? `${event.person} (${number})` : number;
  return (
    `homephone: missed call from ${who} at ${event.time}: nobody answered the home phone${event.ownerRung ? ' or your cell' : ''}.` +
    (event.voicemail ? ' They could leave a voicemail.' : '')
  );
}

/**
 * @param {number} max
 */
function limitNote(max) {
  return ` (Alert ${max} of ${max} today: no more alerts until tomorrow. homephone calls lists every call.)`;
}

/**
 * The digest's text (under Twilio's 1,600-character limit for a message body).
 * @param {DigestState} digest
 */
function digestText(digest) {
  const shown = digest.callers.slice(0, DIGEST_SHOW);
  const more = digest.more + (digest.callers.length - shown.length);
  const lines = shown.map((c) => `${shownNumber(c.from)}${c.count > 1 ? ` x${c.count}` : ''} (last ${c.last})`);
  const numbers = digest.callers.length + digest.more;
  return [
    `homephone digest: ${digest.calls} call${digest.calls === 1 ? '' : 's'} from ${numbers} number${numbers === 1 ? '' : 's'} not on the whitelist, turned away:`,
    ...lines,
    ...(more > 0 ? [`and ${more} more number${more === 1 ? '' : 's'}.`] : []),
  ].join('\n');
}

/** @returns {DigestState} */
function emptyDigest() {
  return { period: null, callers: [], calls: 0, more: 0 };
}

/**
 * @param {unknown} data
 * @returns {DigestState}
 */
function digestOf(data) {
  const d = /** @type {Record<string, unknown>} */ (data && typeof data === 'object' ? data : {});
  const num = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  const callers = Array.isArray(d.callers)
    ? d.callers
        .filter((c) => c && typeof c === 'object' && typeof c.from === 'string')
        .map((c) => ({ from: String(c.from), count: Math.max(1, num(c.count)), last: typeof c.last === 'string' ? c.last : '' }))
    : [];
  return { period: typeof d.period === 'string' ? d.period : null, callers, calls: num(d.calls), more: num(d.more) };
}

/**
 * @param {unknown} data
 * @returns {DayState}
 */
function dayOf(data) {
  const d = /** @type {Record<string, unknown>} */ (data && typeof data === 'object' ? data : {});
  const num = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  return { sent: num(d.sent), suppressed: num(d.suppressed) };
}

/**
 * One more call in the digest.
 * @param {DigestState} digest
 * @param {string} from
 * @param {string} time
 * @param {string} period
 * @returns {DigestState}
 */
function addCaller(digest, from, time, period) {
  const callers = digest.callers.map((c) => ({ ...c }));
  const known = callers.find((c) => c.from === from);
  let more = digest.more;
  if (known) Object.assign(known, { count: known.count + 1, last: time });
  else if (callers.length < DIGEST_KEEP) callers.push({ from, count: 1, last: time });
  else more += 1;
  // The oldest waiting call names the digest: it is sent when that one's digest time comes.
  return { period: digest.period ?? period, callers, calls: digest.calls + 1, more };
}

/**
 * Two digests as one (a digest that could not be sent goes back in front of what came meanwhile).
 * @param {DigestState} a the older
 * @param {DigestState} b
 * @returns {DigestState}
 */
function mergeDigests(a, b) {
  let merged = { ...a, callers: a.callers.map((c) => ({ ...c })) };
  for (const c of b.callers) {
    const known = merged.callers.find((x) => x.from === c.from);
    if (known) Object.assign(known, { count: known.count + c.count, last: c.last });
    else if (merged.callers.length < DIGEST_KEEP) merged.callers.push({ ...c });
    else merged.more += 1;
  }
  merged = { ...merged, calls: a.calls + b.calls, more: merged.more + b.more, period: a.period ?? b.period };
  return merged;
}

/** The digest Document: kept until sent (no TTL), read whatever it holds. */
const DIGEST_SHAPE = { initial: emptyDigest(), parse: digestOf, ttl: 0 };

/**
 * @param {unknown} e
 * @returns {number | undefined}
 */
function statusOf(e) {
  const s = /** @type {{ status?: unknown }} */ (e ?? {}).status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * @param {unknown} e
 */
function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Claims an event: true for the first caller only (the Document's unique name is taken after).
 * @param {import('twilio').Twilio} client
 * @param {string} serviceSid
 * @param {string} name
 */
async function claim(client, serviceSid, name) {
  try {
    await client.sync.v1.services(serviceSid).documents.create({ uniqueName: name, data: { at: new Date().toISOString() }, ttl: CLAIM_TTL_SECONDS });
    return true;
  } catch (e) {
    if (statusOf(e) === 409) return false;
    throw e;
  }
}

/**
 * Read-modify-write of one Document with If-Match, created (at `initial`) the first time, again
 * from a fresh read when another call wrote in between.
 * @template S, T
 * @param {import('twilio').Twilio} client
 * @param {string} serviceSid
 * @param {string} name
 * @param {{ initial: S, parse: (data: unknown) => S, ttl: number }} shape
 * @param {(state: S) => { state: S, result: T } | null} change null: write nothing
 * @returns {Promise<{ state: S, result: T | null }>}
 */
async function update(client, serviceSid, name, shape, change) {
  const docs = client.sync.v1.services(serviceSid).documents;
  for (let attempt = 1; ; attempt++) {
    /** @type {{ state: S, revision: string }} */
    let current;
    try {
      const d = await docs(name).fetch();
      current = { state: shape.parse(d.data), revision: d.revision };
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
      try {
        const d = await docs.create({ uniqueName: name, data: /** @type {object} */ (shape.initial), ...(shape.ttl ? { ttl: shape.ttl } : {}) });
        current = { state: shape.parse(d.data), revision: d.revision };
      } catch (e2) {
        if (statusOf(e2) !== 409 || attempt >= MAX_ATTEMPTS) throw e2;
        continue; // another call created it first: read theirs
      }
    }
    const next = change(current.state);
    if (!next) return { state: current.state, result: null };
    try {
      await docs(name).update({ data: /** @type {object} */ (next.state), ifMatch: current.revision });
      return next;
    } catch (e) {
      if (statusOf(e) !== 412 || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

/**
 * @typedef {{ client: import('twilio').Twilio, serviceSid: string, ownerCell: string, homeNumber: string, timeZone: string | undefined }} Target
 */

/**
 * Takes one of the day's texts: whether to send, and whether it is the day's last.
 * @param {Target} t
 * @param {string} date
 * @param {number} max
 * @returns {Promise<{ send: boolean, last: boolean }>}
 */
async function takeSlot(t, date, max) {
  const out = await update(t.client, t.serviceSid, `alerts-day-${date}`, { initial: { sent: 0, suppressed: 0 }, parse: dayOf, ttl: DAY_TTL_SECONDS }, (s) => {
    if (s.sent < max) return { state: { ...s, sent: s.sent + 1 }, result: { send: true, last: s.sent + 1 === max } };
    return { state: { ...s, suppressed: s.suppressed + 1 }, result: { send: false, last: false } };
  });
  return out.result ?? { send: false, last: false };
}

/**
 * @param {Target} t
 * @param {string} body
 */
function send(t, body) {
  return t.client.messages.create({ to: t.ownerCell, from: t.homeNumber, body });
}

/**
 * Sends the digest when its time has come (or at once with `force`). The digest is emptied by a
 * conditional update before the text goes out, so two calls at once cannot both send it; a text
 * that fails puts the callers back for the next try.
 * @param {Target} t
 * @param {AlertSettings} settings
 * @param {number} nowMs
 * @param {{ force?: boolean, log?: (line: string) => void }} [options] log: where the outcome is
 *   logged (the Function's log by default; the CLI keeps its stdout for its own output)
 * @returns {Promise<{ status: 'sent' | 'empty' | 'not-due', digest: DigestState, dueOn?: string | null }>}
 */
async function sendDueDigest(t, settings, nowMs, options = {}) {
  const local = localParts(t.timeZone, nowMs);
  const taken = await update(t.client, t.serviceSid, DIGEST, DIGEST_SHAPE, (d) => {
    if (!d.calls) return null;
    if (!options.force && !(d.period && isDue(d.period, local, settings.digestAt))) return null;
    return { state: emptyDigest(), result: d };
  });
  if (!taken.result) return { status: taken.state.calls ? 'not-due' : 'empty', digest: taken.state, dueOn: taken.state.period };
  await sendTaken(t, taken.result, options.log ?? console.log);
  return { status: 'sent', digest: taken.result };
}

/**
 * Texts a digest already taken out of the Document; a text that fails puts its callers back in
 * front of those who came meanwhile, for the next try.
 * @param {Target} t
 * @param {DigestState} digest
 * @param {(line: string) => void} log
 */
async function sendTaken(t, digest, log) {
  try {
    await send(t, digestText(digest));
  } catch (e) {
    await update(t.client, t.serviceSid, DIGEST, DIGEST_SHAPE, (d) => ({ state: mergeDigests(digest, d), result: true }));
    throw e;
  }
  log(`alerts: digest of ${digest.calls} call(s) sent to the owner`);
}

/**
 * @param {HomephoneContext} context
 * @returns {Target | null}
 */
function targetOf(context) {
  const serviceSid = String(context.SYNC_SERVICE_SID ?? '');
  const ownerCell = String(context.OWNER_CELL ?? '');
  const homeNumber = String(context.HOME_NUMBER ?? '');
  if (!serviceSid || !ownerCell || !homeNumber) return null;
  return { client: context.getTwilioClient(), serviceSid, ownerCell, homeNumber, timeZone: context.TIME_ZONE };
}

/**
 * @typedef {{
 *   kind: 'unknown' | 'missed',
 *   call: string,
 *   from: string,
 *   person?: string | null,
 *   voicemail?: boolean,
 *   ownerRung?: boolean,
 *   at?: number,
 * }} AlertEvent
 * at: when it happened (epoch ms; default now).
 */

/**
 * @param {Target} t
 * @param {AlertSettings} settings
 * @param {AlertEvent} event
 */
async function deliver(t, settings, event) {
  if (!(await claim(t.client, t.serviceSid, `alert-${event.kind}-${event.call}`))) {
    console.log(`alerts: ${event.kind} call ${event.call} already handled`);
    return;
  }
  const nowMs = event.at ?? Date.now();
  const local = localParts(t.timeZone, nowMs);
  if (event.kind === 'unknown' && settings.unknown === 'digest') {
    // One conditional update keeps the caller and, when the waiting digest is due (no scheduler
    // on Functions: the first event after the digest time sends it), takes it out to send.
    const period = digestPeriod(local, settings.digestAt);
    const kept = await update(t.client, t.serviceSid, DIGEST, DIGEST_SHAPE, (d) => {
      const due = d.calls > 0 && d.period !== null && isDue(d.period, local, settings.digestAt);
      return { state: addCaller(due ? emptyDigest() : d, event.from, local.time, period), result: due ? d : null };
    });
    console.log(`alerts: unknown caller kept for the digest of ${period}`);
    if (kept.result) await sendTaken(t, kept.result, console.log).catch((e) => console.log(`alerts: could not send the digest: ${messageOf(e)}`));
    return;
  }
  if (settings.unknown === 'digest') {
    await sendDueDigest(t, settings, nowMs).catch((e) => console.log(`alerts: could not send the digest: ${messageOf(e)}`));
  }
  const slot = await takeSlot(t, local.date, settings.maxPerDay);
  if (!slot.send) {
    console.log(`alerts: ${event.kind} alert suppressed: ${settings.maxPerDay} texts already sent today`);
    return;
  }
  await send(t, alertText({ ...event, time: local.time }) + (slot.last ? limitNote(settings.maxPerDay) : ''));
  console.log(`alerts: ${event.kind} alert texted to the owner`);
}

/**
 * Alerts the owner about an event when alerts are on for it; never rejects. Returns null (and
 * stays synchronous) when there is nothing to do, so a Function with alerts off answers at once.
 * @param {HomephoneContext} context
 * @param {AlertEvent} event
 * @returns {Promise<void> | null}
 */
function notify(context, event) {
  const settings = settingsFrom(context.ALERTS);
  if (!settings) return null;
  if (event.kind === 'unknown' && settings.unknown === 'off') return null;
  if (event.kind === 'missed' && !settings.missed) return null;
  const t = targetOf(context);
  if (!t || !event.call) {
    console.log('alerts: on, but no Sync service, owner, home number or CallSid: nothing sent');
    return null;
  }
  return deliver(t, settings, event).catch((e) => {
    console.log(`could not alert the owner: ${messageOf(e)}`);
  });
}

module.exports = {
  DEFAULTS,
  MAX_PER_DAY_LIMIT,
  DIGEST,
  DIGEST_SHOW,
  HHMM,
  settingsFrom,
  variableValue,
  localParts,
  digestPeriod,
  isDue,
  alertText,
  digestText,
  sendDueDigest,
  notify,
};
