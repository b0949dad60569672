// A saved copy of a twin's account: every resource table, the account's settings and the host
// mappings, to load into another twin of the same account (tests deploy a household once and give
// each test a fresh copy). Live things are not saved: calls in progress, scheduled timers, the
// request log, transcripts, faults, and the Functions' loaded code (the runtime loads it again
// from the restored builds on the first request). The clock is the target twin's own: a restored
// account's records keep the times they were made at.
import { deserialize, serialize } from 'node:v8';
import type { TwinState } from './state.js';
import type { HostMapping } from './voice/hosts.js';

/** The resource tables, all plain records (Maps, arrays, Buffers, strings): copied whole. */
export const SNAPSHOT_TABLES = [
  'numbers',
  'calls',
  'conferences',
  'messages',
  'outgoingCallerIds',
  'sipDomains',
  'credentialLists',
  'services',
  'flows',
  'syncServices',
  'alerts',
] as const satisfies ReadonlyArray<keyof TwinState>;

export interface TwinSnapshot {
  /** The account the snapshot belongs to: it loads only into a twin with the same credentials. */
  accountSid: string;
  /** Virtual time when it was taken (ISO), for information. */
  takenAt: string;
  /** v8-serialized tables, account settings and host mappings. */
  data: Buffer;
}

interface SnapshotData {
  tables: Pick<TwinState, (typeof SNAPSHOT_TABLES)[number]>;
  cps: number;
  recordsLagSeconds: number;
  hosts: HostMapping[];
}

export class SnapshotError extends Error {}

export function takeSnapshot(state: TwinState, hosts: HostMapping[]): TwinSnapshot {
  const data: SnapshotData = {
    tables: Object.fromEntries(SNAPSHOT_TABLES.map((t) => [t, state[t]])) as SnapshotData['tables'],
    cps: state.account.cps,
    recordsLagSeconds: state.recordsLagSeconds,
    hosts,
  };
  return { accountSid: state.accountSid, takenAt: state.now().toISOString(), data: serialize(data) };
}

/** A fresh deep copy of the snapshot's contents, checked against the twin's account. */
export function readSnapshot(state: TwinState, snapshot: TwinSnapshot): SnapshotData {
  if (snapshot.accountSid !== state.accountSid) {
    throw new SnapshotError(
      `the snapshot belongs to account ${snapshot.accountSid}, this twin is ${state.accountSid}: start the twin with the snapshot's credentials`,
    );
  }
  const data = deserialize(snapshot.data) as SnapshotData;
  if (!data || typeof data !== 'object' || !data.tables || SNAPSHOT_TABLES.some((t) => !(data.tables[t] instanceof Map))) {
    throw new SnapshotError('not a twin snapshot (take one with GET /_twin/snapshot or twin.admin.snapshot())');
  }
  return data;
}

/** Puts a read snapshot's tables and settings into the state (after a reset). */
export function loadSnapshot(state: TwinState, data: SnapshotData): void {
  Object.assign(state, data.tables);
  state.account.cps = data.cps;
  state.recordsLagSeconds = data.recordsLagSeconds;
}
