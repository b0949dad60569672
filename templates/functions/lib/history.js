// @ts-check
'use strict';

// The household's call history: one record per decision, appended to the Sync List "calls" of the
// Sync service `homephone deploy` creates (SYNC_SERVICE_SID). Function logs are the console's to
// keep and have no stable REST API to read back, so `homephone calls` reads this list instead and
// joins it with the Calls API (when, duration). Every record expires after RETENTION_DAYS (a Sync
// item TTL), so the list never grows without bound and nothing is kept on the CLI's machine.
// A record that cannot be written never breaks the call: it is logged and the call goes on.

/** How long a record is kept: 90 days (Sync allows a TTL of up to a year). */
const RETENTION_DAYS = 90;
const TTL_SECONDS = RETENTION_DAYS * 24 * 60 * 60;
const LIST = 'calls';

/**
 * @typedef {{
 *   call: string,
 *   line: 'home' | 'buzzer',
 *   direction: 'inbound' | 'outbound',
 *   from: string,
 *   to: string,
 *   decision: string,
 *   person?: string | null,
 *   reason?: string,
 * }} HistoryRecord
 * decision: rang | blocked | bedtime | owner | owner-menu | emergency | fallback | voicemail |
 * missed-buzz | buzz-opened (the CLI names them).
 */

/**
 * @param {unknown} e
 * @returns {number | undefined}
 */
function statusOf(e) {
  const s = /** @type {{ status?: unknown }} */ (e ?? {}).status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Appends a record, creating the list the first time (a 409 means another call created it).
 * @param {import('twilio').Twilio} client
 * @param {string} serviceSid
 * @param {HistoryRecord} record
 */
async function append(client, serviceSid, record) {
  const lists = client.sync.v1.services(serviceSid).syncLists;
  const data = { ...record, at: new Date().toISOString() };
  try {
    await lists(LIST).syncListItems.create({ data, itemTtl: TTL_SECONDS });
    return;
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  try {
    await lists.create({ uniqueName: LIST });
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
  }
  await lists(LIST).syncListItems.create({ data, itemTtl: TTL_SECONDS });
}

/**
 * Records a decision when the Sync service is deployed; never rejects. Returns null (and stays
 * synchronous) when there is no Sync service, so a Function without one answers at once.
 * @param {HomephoneContext} context
 * @param {HistoryRecord} record
 * @returns {Promise<void> | null}
 */
function record(context, record) {
  const serviceSid = String(context.SYNC_SERVICE_SID ?? '');
  if (!serviceSid) return null;
  return append(context.getTwilioClient(), serviceSid, record).catch((e) => {
    console.log(`could not record the call in the history: ${e instanceof Error ? e.message : String(e)}`);
  });
}

module.exports = { RETENTION_DAYS, LIST, record };
