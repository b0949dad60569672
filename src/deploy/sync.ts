// The Sync service that holds the Functions' durable state (the monitor code's lockout across
// calls: see templates/functions/lib/lockout.js). Sync services have no unique name one can set,
// so ours is found by the SID the last deploy recorded, else by its friendly name; the Functions
// learn its SID from the SYNC_SERVICE_SID Variable. Deploy only creates it and keeps its name:
// the documents in it are the Functions' to write.
import type { TwilioClient } from '../twilio/client.js';
import type { DesiredState } from './desired.js';
import { isNotFound, twilioCall } from './errors.js';
import type { RemoteState } from './read.js';
import type { StepContext } from './serverless.js';
import type { DeployState } from './state.js';

/** Stand-in for the Sync service's SID before it exists (plans only; never written). */
export const UNKNOWN_SYNC_SID = 'IS-known-after-apply';

export async function readSyncService(client: TwilioClient, desired: DesiredState, state: DeployState, remote: RemoteState): Promise<void> {
  const services = client.sync.v1.services;
  const name = desired.sync.friendlyName;
  if (state.syncServiceSid) {
    const known = await twilioCall(`Sync service ${name}`, async () => {
      try {
        return await services(state.syncServiceSid!).fetch();
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
    if (known) {
      remote.syncService = { sid: known.sid, friendlyName: known.friendlyName };
      return;
    }
  }
  const all = await twilioCall('Sync services', () => services.list({ limit: 200 }));
  const found = all.find((s) => s.friendlyName === name);
  if (found) remote.syncService = { sid: found.sid, friendlyName: found.friendlyName };
}

export async function reconcileSyncService(sc: StepContext): Promise<void> {
  const { run, desired, remote } = sc;
  const name = desired.sync.friendlyName;
  const resource = `Sync service ${name}`;
  const existing = remote.syncService;
  if (existing) {
    sc.facts.syncServiceSid = existing.sid;
    run.state.syncServiceSid = existing.sid;
    run.record({ section: 'serverless', resource, action: 'unchanged', fields: [], writes: 0, note: existing.sid });
    return;
  }
  run.record({
    section: 'serverless',
    resource,
    action: 'create',
    fields: [{ field: 'friendly_name', after: name }],
    writes: 1,
    note: "keeps the monitor code's lockout across calls",
  });
  if (run.dryRun) {
    sc.facts.syncServiceSid = UNKNOWN_SYNC_SID;
    return;
  }
  const created = await run.write({ method: 'POST', operation: 'create', resource }, () => run.client.sync.v1.services.create({ friendlyName: name }), (s) => {
    run.state.syncServiceSid = s.sid;
  });
  sc.facts.syncServiceSid = created.sid;
}
