// @ts-check
'use strict';

// What the owner changed by text, kept on Twilio in one Sync Document ("household-overrides") of
// the Sync service `homephone deploy` creates: a quiet time (bedtime now, until a given instant)
// and contacts allowed or blocked. The caller policy reads it on every call (lib/live-household.js),
// so a texted change holds from the next call, with no build. The whitelist asset stays as the CLI
// deployed it; `homephone whitelist sync` (and `deploy`) write the texted contacts into the
// whitelist file and then drop them here. Every change is a conditional update (If-Match), so two
// texts at once lose nothing. No TTL: a texted change stays until it is folded in or undone.

const DOCUMENT = 'household-overrides';
/** Texted contacts kept before the owner must sync (a Sync Document holds at most 16 KiB). */
const MAX_CONTACTS = 50;
const MAX_ATTEMPTS = 8;

/**
 * @typedef {{ action: 'allow' | 'block', person: string | null, at: string }} TextedContact
 * @typedef {{ quietUntil: number, quietSince: number, contacts: Record<string, TextedContact> }} Overrides
 * quietUntil/quietSince: epoch ms (0 when no quiet time); contacts by E.164 number.
 */

/** @returns {Overrides} */
function empty() {
  return { quietUntil: 0, quietSince: 0, contacts: {} };
}

/**
 * A stored document's data as overrides, whatever it holds (a damaged entry is dropped, never
 * turned into an allow).
 * @param {unknown} data
 * @returns {Overrides}
 */
function overridesOf(data) {
  const d = /** @type {Record<string, unknown>} */ (data && typeof data === 'object' ? data : {});
  const num = (/** @type {unknown} */ v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  /** @type {Record<string, TextedContact>} */
  const contacts = {};
  const raw = d.contacts && typeof d.contacts === 'object' ? /** @type {Record<string, unknown>} */ (d.contacts) : {};
  for (const [number, value] of Object.entries(raw)) {
    const c = /** @type {Record<string, unknown>} */ (value && typeof value === 'object' ? value : {});
    if (!/^\+[1-9]\d{1,14}$/.test(number) || (c.action !== 'allow' && c.action !== 'block')) continue;
    contacts[number] = { action: c.action, person: typeof c.person === 'string' ? c.person : null, at: typeof c.at === 'string' ? c.at : '' };
  }
  return { quietUntil: num(d.quietUntil), quietSince: num(d.quietSince), contacts };
}

/**
 * The whitelist with the texted contacts applied: a block removes the number, an allow adds it
 * (or renames it), never letting it ring through at bedtime unless the whitelist already did.
 * @param {readonly import('./caller-policy.js').Contact[]} whitelist
 * @param {Overrides} overrides
 * @returns {import('./caller-policy.js').Contact[]}
 */
function applyContacts(whitelist, overrides) {
  const texted = overrides.contacts;
  const out = whitelist.filter((c) => !(c && texted[c.Number]));
  for (const [number, t] of Object.entries(texted)) {
    if (t.action !== 'allow') continue;
    const before = whitelist.find((c) => c && c.Number === number);
    out.push({
      Number: number,
      Person: t.person ?? before?.Person ?? null,
      OverrideBedtime: before?.OverrideBedtime ?? false,
      PrimaryContact: before?.PrimaryContact ?? null,
    });
  }
  return out;
}

/**
 * @param {unknown} e
 * @returns {number | undefined}
 */
function statusOf(e) {
  const s = /** @type {{ status?: unknown }} */ (e ?? {}).status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * The document, or empty overrides (and no revision) when none was written yet.
 * @param {import('twilio').Twilio} client
 * @param {string} serviceSid
 * @returns {Promise<{ overrides: Overrides, revision: string | null }>}
 */
async function read(client, serviceSid) {
  try {
    const d = await client.sync.v1.services(serviceSid).documents(DOCUMENT).fetch();
    return { overrides: overridesOf(d.data), revision: d.revision };
  } catch (e) {
    if (statusOf(e) === 404) return { overrides: empty(), revision: null };
    throw e;
  }
}

/**
 * Read-modify-write: If-Match on the revision read, created the first time (409: another text
 * created it first), again from a fresh read after losing a race.
 * @template T
 * @param {import('twilio').Twilio} client
 * @param {string} serviceSid
 * @param {(current: Overrides) => { overrides: Overrides, result: T } | { overrides: null, result: T }} change overrides null: write nothing
 * @returns {Promise<T>}
 */
async function update(client, serviceSid, change) {
  const docs = client.sync.v1.services(serviceSid).documents;
  for (let attempt = 1; ; attempt++) {
    const current = await read(client, serviceSid);
    const next = change(current.overrides);
    if (!next.overrides) return next.result;
    try {
      if (current.revision === null) await docs.create({ uniqueName: DOCUMENT, data: next.overrides });
      else await docs(DOCUMENT).update({ data: next.overrides, ifMatch: current.revision });
      return next.result;
    } catch (e) {
      const status = statusOf(e);
      if ((status !== 412 && status !== 409) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

module.exports = { DOCUMENT, MAX_CONTACTS, empty, overridesOf, applyContacts, read, update };
