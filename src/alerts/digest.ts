// `homephone alerts digest`: sends the unknown callers' digest when it is due, from wherever the
// CLI runs (cron, a systemd timer). Twilio Functions have no scheduler, so without this the
// digest goes out only with the first alert event after its time. The same code as the Functions'
// (lib/alerts.js) does the work, on the same Sync Document, so a digest is never sent twice.
import type { HomephoneConfig } from '../config/schema.js';
import { HomephoneError, InputError } from '../errors.js';
import { findHistoryService } from '../history/calls.js';
import type { TwilioClient } from '../twilio/client.js';
import { alertSettings, alertsLib, type DigestOutcome } from './settings.js';

export interface DigestRun extends DigestOutcome {
  /** The text sent (only when status is "sent"). */
  text: string | null;
  serviceSid: string;
}

export async function runDigest(client: TwilioClient, config: HomephoneConfig, now: Date, options: { force?: boolean } = {}): Promise<DigestRun> {
  const h = config.household ?? {};
  if (!h.homeNumber || !h.ownerCell) {
    throw new InputError('the configuration has no household.homeNumber or household.ownerCell: the digest goes from the one to the other', {
      hint: 'run homephone init',
    });
  }
  const serviceSid = await findHistoryService(client);
  if (!serviceSid) throw new HomephoneError('no Sync service found: homephone has not been deployed to this account', { hint: 'run homephone deploy' });
  const settings = alertSettings(config.alerts);
  const target = { client, serviceSid, ownerCell: h.ownerCell, homeNumber: h.homeNumber, timeZone: h.timeZone };
  // The library logs as a Function does; here its line would land in the command's stdout.
  const outcome = await alertsLib.sendDueDigest(target, settings, now.getTime(), { ...options, log: () => {} });
  return { ...outcome, text: outcome.status === 'sent' ? alertsLib.digestText(outcome.digest) : null, serviceSid };
}
