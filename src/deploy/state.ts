// What the last deploy applied, kept in the config's `deploy` section. It is a cache and a
// journal, never the source of truth: resources are always found again on Twilio by their unique
// and friendly names, so a lost or foreign state file strands nothing. It remembers what Twilio
// cannot tell us (which content an asset version holds, the previous build and flow revisions
// for rollback) and a snapshot of the managed fields for drift detection.
import { randomInt } from 'node:crypto';
import type { HomephoneConfig } from '../config/schema.js';

export interface DeployState {
  /** The account this state describes; another account's state is ignored. */
  accountSid?: string;
  serviceSid?: string;
  environmentSid?: string;
  /** The Sync service homephone created (Sync services have no settable unique name). */
  syncServiceSid?: string;
  domainName?: string;
  /** Content hash of each Function/Asset version we uploaded or recognised, by version SID. */
  versionHashes?: Record<string, string>;
  /** Journal: an upload in flight, by served path (asset versions cannot be read back). */
  pendingUploads?: Record<string, string>;
  buildSid?: string;
  /** The build live before the last apply: what rollback re-activates. */
  previousBuildSid?: string;
  /**
   * Journal: an apply in progress, with what was live when it began. An apply that was
   * interrupted and then completed by the next run counts as one: the baseline is kept.
   */
  applying?: { build: string | null; flows: Record<string, number | undefined> };
  /** Journal: a deployment in flight, so a lost answer is recognised. */
  deploying?: { from: string | null; to: string };
  /**
   * Written by versions that re-deployed the live build after a Variable change. Read only to be
   * dropped: Variables are live and Twilio refuses to deploy the live build again (409).
   */
  redeployOwed?: boolean;
  /** Per flow: the live revision and the one live before the last apply (for rollback). */
  flows?: Record<string, { sid: string; revision: number; previousRevision?: number }>;
  sip?: { domainSid?: string; credentialListSid?: string; credentialSid?: string; passwordHash?: string };
  numbers?: Record<string, string>;
  /** Managed fields as the last deploy left them, for drift detection (`homephone status`). */
  applied?: Record<string, Record<string, string>>;
  appliedAt?: string;
}

/** Where the deploy state lives: the config file, or memory in tests and benchmarks. */
export interface StateStore {
  load(): DeployState;
  save(state: DeployState): Promise<void>;
}

export function stateFromConfig(config: HomephoneConfig): DeployState {
  return structuredClone((config.deploy ?? {}) as DeployState);
}

/** The state to start from: the stored one when it describes this account, else an empty one. */
export function stateForAccount(state: DeployState, accountSid: string): DeployState {
  if (state.accountSid !== accountSid) return { accountSid };
  const { redeployOwed: _noLongerOwed, ...current } = structuredClone(state);
  return current;
}

export function memoryStateStore(initial: DeployState = {}): StateStore & { current: DeployState; saves: number } {
  const store = {
    current: structuredClone(initial),
    saves: 0,
    load: () => structuredClone(store.current),
    save: async (state: DeployState) => {
      store.current = structuredClone(state);
      store.saves += 1;
    },
  };
  return store;
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A SIP password Twilio accepts: 20 characters, letters of both cases and digits (unambiguous ones). */
export function generateSipPassword(length = 20): string {
  const all = LOWER + UPPER + DIGITS;
  const pick = (set: string) => set[randomInt(set.length)]!;
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS)];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Twilio's rule for SIP credential passwords. */
export function isStrongSipPassword(password: string): boolean {
  return password.length >= 12 && /\d/.test(password) && /[a-z]/.test(password) && /[A-Z]/.test(password);
}

/** Starts an apply: records what is live, unless an interrupted apply's baseline is still open. */
export function beginApply(state: DeployState, live: { build: string | null; flows: Record<string, number | undefined> }): void {
  state.applying ??= live;
}

/**
 * Ends an apply: what was live when it began becomes what rollback goes back to — for the build and
 * each flow this apply replaced. One it left alone (a deploy that only re-pointed a number) keeps
 * its earlier "previous", so rollback still finds the deployment before.
 */
export function endApply(state: DeployState): void {
  const baseline = state.applying;
  if (!baseline) return;
  if ((baseline.build ?? undefined) !== state.buildSid) state.previousBuildSid = baseline.build ?? undefined;
  for (const [key, flow] of Object.entries(state.flows ?? {})) {
    const previous = baseline.flows[key];
    if (previous === flow.revision) continue;
    if (previous === undefined) delete flow.previousRevision;
    else flow.previousRevision = previous;
  }
  delete state.applying;
}
