// The deploy API: plan (read, normalise, diff, validate), apply (in dependency order, saving the
// state after every write), whitelist sync, rollback and status. Commands call these; tests and
// benchmarks call them in-process against a twin.
import { HomephoneError, InputError } from '../errors.js';
import type { HomephoneConfig } from '../config/schema.js';
import type { Contact } from '../household/contacts.js';
import type { TwilioClient } from '../twilio/client.js';
import type { ServerlessUploader } from '../twilio/upload.js';
import { buildDesired, type DesiredState } from './desired.js';
import { diffViews, managedView, markApplied, type Drift } from './drift.js';
import { twilioCall } from './errors.js';
import { ForeignResourcesError, foreignChanges } from './ownership.js';
import { readRemote, type RemoteState } from './read.js';
import { newStepContext, reconcile, runTasks } from './reconcile.js';
import { Run, type Change, type Operation, type ProgressSink } from './run.js';
import { reconcileBuild, reconcileDeployment, reconcileFiles, reconcileVariables, versionSet } from './serverless.js';
import { beginApply, endApply, stateForAccount, type DeployState, type StateStore } from './state.js';

export interface DeploySession {
  accountSid: string;
  /** Where this deploys, for messages: "Twilio account AC…" or "the twin at http://…". */
  target?: string;
  client: TwilioClient;
  uploader: ServerlessUploader;
  store: StateStore;
  config: HomephoneConfig;
  whitelist: Contact[];
  /** The SIP password to deploy; when `sipPasswordGenerated`, it is stored before the first write. */
  sipPassword: string;
  sipPasswordGenerated: boolean;
  saveSipPassword?: (password: string) => Promise<void>;
  templatesDir?: string;
  progress?: ProgressSink;
  sleep?: (ms: number) => Promise<void>;
  buildTimeoutMs?: number;
  /** --adopt: take over (change, mark, delete within) resources homephone did not create. */
  adopt?: boolean;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
  /** Write requests the apply would make. */
  writes: number;
}

export interface Plan {
  changes: Change[];
  summary: PlanSummary;
  hasChanges: boolean;
  notes: string[];
  /** Changes to resources homephone did not create: applied only with --adopt. */
  foreign: Change[];
}

export interface Planned {
  plan: Plan;
  desired: DesiredState;
  remote: RemoteState;
  state: DeployState;
  /** The state as the plan found Twilio (SIDs, revisions, recognised versions); saved by a no-op deploy. */
  refreshed: DeployState;
}

export interface Applied {
  operations: Operation[];
  writes: number;
  breakdown: Record<string, number>;
}

function desiredFor(session: DeploySession): DesiredState {
  return buildDesired({
    accountSid: session.accountSid,
    config: session.config,
    whitelist: session.whitelist,
    sipPassword: session.sipPassword,
    ...(session.templatesDir ? { templatesDir: session.templatesDir } : {}),
  });
}

function runDeps(session: DeploySession, commitMessage?: string) {
  return {
    client: session.client,
    uploader: session.uploader,
    store: session.store,
    ...(session.progress ? { progress: session.progress } : {}),
    ...(session.sleep ? { sleep: session.sleep } : {}),
    ...(session.buildTimeoutMs === undefined ? {} : { buildTimeoutMs: session.buildTimeoutMs }),
    ...(commitMessage ? { commitMessage } : {}),
    ...(session.adopt ? { adopt: true } : {}),
  };
}

/** Deploy never changes what another party made unless the user said --adopt. */
function refuseForeign(session: DeploySession, plan: Plan): void {
  if (plan.foreign.length && !session.adopt) throw new ForeignResourcesError(plan.foreign);
}

/** The service homephone deploys into must be its own before anything touches it. */
function requireOwnService(remote: RemoteState): void {
  if (remote.service && !remote.service.owned) {
    throw new InputError(`the Serverless service "${remote.service.uniqueName}" (${remote.service.sid}, "${remote.service.friendlyName}") was not created by homephone`, {
      hint: 'see homephone deploy --dry-run; homephone deploy --adopt takes it over',
    });
  }
}

/** Variables change while the build stays live (Twilio refuses to deploy the live build again). */
function variablesOnly(changes: Change[]): boolean {
  const changed = (c: Change) => c.action !== 'unchanged';
  return changes.some((c) => c.section === 'variables' && changed(c)) && !changes.some((c) => c.section === 'build' && changed(c));
}

export function summarise(changes: Change[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, unchanged: 0, writes: 0 };
  for (const c of changes) {
    summary[c.action] += 1;
    summary.writes += c.writes;
  }
  return summary;
}

/** Reads Twilio and works out what a deploy would do. Writes nothing (Validate is a check, not a write). */
export async function planDeploy(session: DeploySession, options: { validate?: boolean } = {}): Promise<Planned> {
  const desired = desiredFor(session);
  const state = stateForAccount(session.store.load(), session.accountSid);
  const remote = await readRemote(session.client, desired, state);
  const run = new Run(runDeps(session), true, structuredClone(state));
  await reconcile(run, desired, remote, { validate: options.validate ?? true });
  const summary = summarise(run.changes);
  const notes: string[] = [];
  const foreign = foreignChanges(run.changes);
  if (foreign.length) {
    notes.push(
      session.adopt
        ? `--adopt: ${foreign.length} change(s) to resources homephone did not create (marked "not created by homephone" above) will be made, and they become homephone's`
        : `${foreign.length} change(s) to resources homephone did not create (marked "not created by homephone" above): deploy refuses them unless you pass --adopt`,
    );
  }
  if (session.sipPasswordGenerated && run.changes.some((c) => c.section === 'sip' && c.resource.startsWith('SIP credential ') && c.action !== 'unchanged')) {
    notes.push('A new SIP password will be generated and kept in the configuration: see it with homephone sip credentials --show-secrets');
  }
  if (variablesOnly(run.changes)) {
    notes.push('Variables only: no new build and no deployment; the live Functions read the new values from their next execution');
  }
  return { plan: { changes: run.changes, summary, hasChanges: summary.writes > 0, notes, foreign }, desired, remote, state, refreshed: run.state };
}

/** Applies a plan made moments ago (its reads are reused; creates find anything made since by name). */
export async function applyPlan(session: DeploySession, planned: Planned): Promise<Applied> {
  refuseForeign(session, planned.plan);
  if (session.sipPasswordGenerated && session.saveSipPassword) {
    await session.saveSipPassword(session.sipPassword);
    session.sipPasswordGenerated = false;
  }
  const run = new Run(runDeps(session), false, structuredClone(planned.state));
  const { remote } = planned;
  beginApply(run.state, {
    build: remote.environment?.buildSid ?? null,
    flows: Object.fromEntries(Object.entries(remote.flows).map(([key, f]) => [key, f.revision])),
  });
  await run.save();
  await reconcile(run, planned.desired, remote, { validate: false });
  endApply(run.state);
  await finish(session, run.state, planned.desired);
  return applied(run.operations);
}

const RESOURCE_TYPES: Array<[RegExp, string]> = [
  [/^Serverless service/, 'service'],
  [/^Environment/, 'environment'],
  [/^Sync service/, 'Sync service'],
  [/^Function/, 'Function'],
  [/^Asset/, 'Asset'],
  [/^Variable/, 'Variable'],
  [/^Build/, 'build'],
  [/^Deployment/, 'deployment'],
  [/^Studio flow/, 'Studio flow'],
  [/mapping$/, 'SIP credential-list mapping'],
  [/^SIP credential list/, 'SIP credential list'],
  [/^SIP credential /, 'SIP credential'],
  [/^SIP domain/, 'SIP domain'],
  [/^Phone number/, 'phone number'],
];

export function resourceType(resource: string): string {
  return RESOURCE_TYPES.find(([re]) => re.test(resource))?.[1] ?? resource;
}

function applied(operations: Operation[]): Applied {
  const breakdown: Record<string, number> = {};
  for (const op of operations) {
    const key = `${op.operation === 'create build' ? 'create' : op.operation} ${resourceType(op.resource)}`;
    breakdown[key] = (breakdown[key] ?? 0) + 1;
  }
  return { operations, writes: operations.length, breakdown };
}

/** Records the managed fields as they now are, for drift detection. Reads only. */
async function finish(session: DeploySession, state: DeployState, desired: DesiredState): Promise<void> {
  const remote = await readRemote(session.client, desired, state);
  markApplied(state, remote);
  await session.store.save(state);
}

export interface DeployResult {
  plan: Plan;
  /** Absent when nothing needed changing, or the user declined. */
  applied?: Applied;
  declined?: boolean;
}

/** Plan, then (if anything differs and `confirm` agrees) apply. A no-op deploy makes no write request. */
export async function deploy(
  session: DeploySession,
  options: { confirm?: (plan: Plan) => Promise<boolean> } = {},
): Promise<DeployResult> {
  const planned = await planDeploy(session);
  if (!planned.plan.hasChanges) {
    // Nothing to write to Twilio. If an interrupted apply turns out to have landed completely,
    // or this state has no drift baseline yet, record that (in the state only).
    if (planned.state.applying || !planned.state.applied) {
      const state = planned.refreshed;
      endApply(state);
      markApplied(state, planned.remote);
      await session.store.save(state);
    }
    return { plan: planned.plan };
  }
  refuseForeign(session, planned.plan);
  if (options.confirm && !(await options.confirm(planned.plan))) return { plan: planned.plan, declined: true };
  return { plan: planned.plan, applied: await applyPlan(session, planned) };
}

export interface WhitelistSyncResult {
  changed: boolean;
  applied: Applied;
}

/** Pushes only the whitelist: one asset version, one build, one deployment, nothing else. */
export async function syncWhitelist(session: DeploySession): Promise<WhitelistSyncResult> {
  const desired = desiredFor(session);
  const state = stateForAccount(session.store.load(), session.accountSid);
  const remote = await readRemote(session.client, desired, state, { serverlessOnly: true });
  requireOwnService(remote);
  const file = desired.files.find((f) => f.path === '/whitelist.json')!;
  if (!remote.service || !remote.environment || !remote.activeBuild || !remote.assets.some((a) => a.friendlyName === file.path)) {
    throw new InputError('homephone has not been deployed to this Twilio account yet', { hint: 'run homephone deploy first' });
  }
  const run = new Run(runDeps(session), false, state);
  // The flows are not touched: rollback after a sync leaves them as they are.
  beginApply(run.state, {
    build: remote.environment.buildSid,
    flows: Object.fromEntries(Object.entries(run.state.flows ?? {}).map(([key, f]) => [key, f.revision])),
  });
  const sc = newStepContext(run, desired, remote);
  sc.serviceSid = remote.service.sid;
  sc.environmentSid = remote.environment.sid;
  sc.facts.domain = remote.environment.domainName;
  // Start from the live build's versions and replace only the whitelist's.
  const whitelistAsset = remote.assets.find((a) => a.friendlyName === file.path)!;
  const whitelistVersions = new Set(whitelistAsset.versions.map((v) => v.sid));
  for (const sid of remote.activeBuild.functionVersions) sc.versions.set(`function:${sid}`, sid);
  for (const sid of remote.activeBuild.assetVersions) if (!whitelistVersions.has(sid)) sc.versions.set(`asset:${sid}`, sid);
  await runTasks(run, sc, [
    { title: 'Whitelist asset', run: (c) => reconcileFiles(c, [file]) },
    { title: 'Build', run: (c) => reconcileBuild(c, versionSet(c.versions)) },
    { title: 'Deployment', run: reconcileDeployment },
  ]);
  if (!run.operations.length) return { changed: false, applied: applied([]) };
  endApply(run.state);
  await finish(session, run.state, desired);
  return { changed: true, applied: applied(run.operations) };
}

export interface VariableSyncResult {
  changed: boolean;
  applied: Applied;
}

/**
 * Pushes only the named Variables (created, updated, or deleted when the configuration no longer
 * sets them): no build, no deployment, since Functions read Variables live. `homephone alerts
 * --deploy` uses it for ALERTS.
 */
export async function syncVariables(session: DeploySession, keys: readonly string[]): Promise<VariableSyncResult> {
  const desired = desiredFor(session);
  const state = stateForAccount(session.store.load(), session.accountSid);
  const remote = await readRemote(session.client, desired, state, { serverlessOnly: true });
  requireOwnService(remote);
  if (!remote.service || !remote.environment || !remote.activeBuild) {
    throw new InputError('homephone has not been deployed to this Twilio account yet', { hint: 'run homephone deploy first' });
  }
  const only = new Set(keys);
  const narrowed: DesiredState = { ...desired, variables: desired.variables.filter((v) => only.has(v.key)) };
  const run = new Run(runDeps(session), false, state);
  const sc = newStepContext(run, narrowed, { ...remote, variables: remote.variables.filter((v) => only.has(v.key)) });
  sc.serviceSid = remote.service.sid;
  sc.environmentSid = remote.environment.sid;
  await runTasks(run, sc, [{ title: 'Variables', run: reconcileVariables }]);
  if (!run.operations.length) return { changed: false, applied: applied([]) };
  // Only these Variables move in the drift baseline: any other drift stays visible to status.
  const now = managedView(await readRemote(session.client, desired, run.state, { serverlessOnly: true }));
  if (run.state.applied) {
    for (const key of keys) {
      const name = `Variable ${key}`;
      if (now[name]) run.state.applied[name] = now[name];
      else delete run.state.applied[name];
    }
  }
  await session.store.save(run.state);
  return { changed: true, applied: applied(run.operations) };
}

export interface RollbackResult {
  build: { from: string; to: string };
  flows: Array<{ flow: string; from: number; to: number; revision: number }>;
  applied: Applied;
  /** What the rollback leaves broken that deploy would mend (a number texting a Function the old build lacks). */
  warnings: string[];
}

/** Re-activates the previous build and re-publishes the flows' previous revisions. */
export async function rollback(session: DeploySession): Promise<RollbackResult> {
  const desired = desiredFor(session);
  const state = stateForAccount(session.store.load(), session.accountSid);
  const remote = await readRemote(session.client, desired, state);
  requireOwnService(remote);
  const previous = state.previousBuildSid;
  const current = remote.environment?.buildSid ?? '';
  const flowsToRevert = desired.flows.filter((d) => {
    const kept = state.flows?.[d.key];
    const live = remote.flows[d.key];
    return kept?.previousRevision && live && kept.sid === live.sid && kept.previousRevision !== live.revision;
  });
  if (!remote.service || !remote.environment || ((!previous || previous === current) && !flowsToRevert.length)) {
    throw new InputError('there is no previous deployment to roll back to', {
      hint: 'rollback undoes the last deploy made from this configuration; see homephone status',
    });
  }
  const svc = session.client.serverless.v1.services(remote.service.sid);
  const warnings: string[] = [];
  if (previous && previous !== current) {
    const build = await twilioCall(`Build ${previous}`, () => svc.builds(previous).fetch());
    if (build.status !== 'completed') throw new HomephoneError(`the previous build ${previous} is ${build.status}, not deployable`);
    warnings.push(...missingMessagingFunctions(remote, remote.environment.domainName, build.functionVersions));
  }
  const run = new Run(runDeps(session), false, state);
  delete run.state.applying;
  const result: RollbackResult = { build: { from: current, to: previous ?? current }, flows: [], applied: applied([]), warnings };
  const environmentSid = remote.environment.sid;
  await runTasks(run, newStepContext(run, desired, remote), [
    {
      title: `Re-activate the previous build`,
      run: async () => {
        if (!previous || previous === current) return;
        await run.write({ method: 'POST', operation: 'deploy', resource: `Deployment to ${desired.environment.uniqueName}`, sid: previous }, () =>
          svc.environments(environmentSid).deployments.create({ buildSid: previous }),
        );
        Object.assign(run.state, { buildSid: previous, previousBuildSid: current || undefined });
        await run.save();
      },
    },
    {
      title: 'Re-publish previous flow revisions',
      run: async () => {
        for (const d of flowsToRevert) {
          const kept = run.state.flows![d.key]!;
          const live = remote.flows[d.key]!;
          const flows = session.client.studio.v2.flows(live.sid);
          const resource = `Studio flow "${d.friendlyName}"`;
          const old = await twilioCall(`${resource} revision ${kept.previousRevision}`, () => flows.revisions(String(kept.previousRevision)).fetch());
          const updated = await run.write({ method: 'POST', operation: 'update', resource, sid: live.sid }, () =>
            flows.update({ status: 'published', definition: old.definition, commitMessage: `homephone rollback to revision ${kept.previousRevision}` }),
          );
          result.flows.push({ flow: d.friendlyName, from: live.revision, to: kept.previousRevision!, revision: updated.revision });
          run.state.flows = { ...run.state.flows, [d.key]: { sid: live.sid, revision: updated.revision, previousRevision: live.revision } };
          await run.save();
        }
      },
    },
  ]);
  await finish(session, run.state, desired);
  result.applied = applied(run.operations);
  return result;
}

/**
 * Numbers whose texts go to a Function of ours that a build does not have (a build from before
 * the texts existed): rollback leaves the number as it is and says so, since the next deploy mends it.
 */
function missingMessagingFunctions(remote: RemoteState, domain: string, functionVersions: unknown): string[] {
  const paths = new Set((Array.isArray(functionVersions) ? functionVersions : []).map((v) => String((v as { path?: unknown }).path ?? '')));
  const out: string[] = [];
  for (const n of Object.values(remote.numbers)) {
    if (!n) continue;
    for (const [what, url] of [['texts', n.smsUrl], ['texts (fallback)', n.smsFallbackUrl]] as const) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        continue;
      }
      if (u.hostname.toLowerCase() !== domain.toLowerCase() || paths.has(u.pathname)) continue;
      out.push(`${n.phoneNumber}'s ${what} go to ${u.pathname}, which the re-activated build does not have: they get no answer until the next homephone deploy`);
    }
  }
  return out;
}

export interface StatusResult {
  deployed: boolean;
  appliedAt: string | null;
  service: { sid: string; domain: string | null; build: string | null; previousBuild: string | null } | null;
  flows: Array<{ name: string; sid: string; revision: number; status: string; webhookUrl: string }>;
  sip: { domain: string; registration: boolean; credentialList: boolean; username: string | null; mappings: { registrations: boolean; calls: boolean } } | null;
  numbers: Array<{ number: string; role: string; voiceUrl: string; voiceFallbackUrl: string; smsUrl: string; smsFallbackUrl: string; found: boolean }>;
  /** The assets the deploy serves (from the configuration: what the flows and Functions reference). */
  assets: Array<{ path: string; visibility: string; contentType: string }>;
  drift: Drift[];
  pending: Plan | null;
}

/** What is deployed, drift since the last deploy, and what a deploy would change. Reads only. */
export async function deployStatus(session: DeploySession): Promise<StatusResult> {
  const planned = await planDeploy(session, { validate: false });
  const { remote, state, desired } = planned;
  const drift = state.applied ? diffViews(state.applied, managedView(remote)) : [];
  // Only homephone's own list counts: another party's list named "homephone" is not the phone's.
  const listId = remote.credentialList?.owned ? remote.credentialList.sid : undefined;
  return {
    deployed: Boolean(remote.service && remote.environment?.buildSid),
    appliedAt: state.appliedAt ?? null,
    service: remote.service
      ? {
          sid: remote.service.sid,
          domain: remote.environment?.domainName ?? null,
          build: remote.environment?.buildSid ?? null,
          previousBuild: state.previousBuildSid ?? null,
        }
      : null,
    flows: Object.values(remote.flows).map((f) => ({ name: f.friendlyName, sid: f.sid, revision: f.revision, status: f.status, webhookUrl: f.webhookUrl })),
    sip: remote.sipDomain
      ? {
          domain: remote.sipDomain.domainName,
          registration: remote.sipDomain.sipRegistration,
          credentialList: Boolean(listId),
          username: listId ? (remote.credential?.username ?? null) : null,
          mappings: {
            registrations: Boolean(listId && remote.mappings.registrations.includes(listId)),
            calls: Boolean(listId && remote.mappings.calls.includes(listId)),
          },
        }
      : null,
    numbers: desired.numbers.map((d) => {
      const n = remote.numbers[d.phoneNumber];
      return {
        number: d.phoneNumber,
        role: d.role,
        voiceUrl: n?.voiceUrl ?? '',
        voiceFallbackUrl: n?.voiceFallbackUrl ?? '',
        smsUrl: n?.smsUrl ?? '',
        smsFallbackUrl: n?.smsFallbackUrl ?? '',
        found: Boolean(n),
      };
    }),
    assets: desired.files.filter((f) => f.kind === 'asset').map((f) => ({ path: f.path, visibility: f.visibility, contentType: f.contentType })),
    drift,
    pending: planned.plan.hasChanges ? planned.plan : null,
  };
}
