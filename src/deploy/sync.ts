// The Sync service that holds the Functions' durable state (the monitor code's lockout across
// calls: see templates/functions/lib/lockout.js). Sync services have no unique name one can set,
// so ours is found by the SID the last deploy recorded, else by its friendly name, which carries
// homephone's mark (ownership.ts): another party's Sync service, whatever its name, is never
// used. The Functions learn its SID from the SYNC_SERVICE_SID Variable. Deploy only creates it:
// the documents in it are the Functions' to write.
import { SYNC_SERVICE_LABEL } from './desired.js';
import type { StepContext } from './serverless.js';

/** Stand-in for the Sync service's SID before it exists (plans only; never written). */
export const UNKNOWN_SYNC_SID = 'IS-known-after-apply';

export async function reconcileSyncService(sc: StepContext): Promise<void> {
  const { run, desired, remote } = sc;
  const name = desired.sync.friendlyName;
  const resource = SYNC_SERVICE_LABEL;
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
