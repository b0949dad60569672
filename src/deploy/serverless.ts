// Reconciling the Serverless side: service, environment, Functions and Assets with their
// versions (reused by content hash), Variables, the build (created only when the set of versions
// changed, found again by that set) and the deployment.
import { realSleep } from '../twilio/retry.js';
import { pollBuild } from './build.js';
import type { DesiredFile, DesiredState, Facts } from './desired.js';
import { BuildFailedError, twilioCall } from './errors.js';
import { contentHash } from './normalise.js';
import { listBuilds, type RemoteBuild, type RemoteChild, type RemoteState } from './read.js';
import type { Change, FieldChange, Run } from './run.js';
import { HomephoneError } from '../errors.js';

export interface StepContext {
  run: Run;
  desired: DesiredState;
  remote: RemoteState;
  facts: Facts;
  /** Known once the service exists (a placeholder in a plan for a new one). */
  serviceSid?: string;
  environmentSid?: string;
  /** Version SIDs chosen for the build, by "function:/path" / "asset:/path"; "new:…" in a plan. */
  versions: Map<string, string>;
  variablesChanged: boolean;
  buildSid?: string;
}

const NEW = 'new:';
const short = (hash: string | undefined) => (hash ? hash.slice(0, 12) : '(unknown)');
const label = (f: { kind: 'function' | 'asset'; path: string }) => `${f.kind === 'function' ? 'Function' : 'Asset'} ${f.path}`;

export async function reconcileService(sc: StepContext): Promise<void> {
  const { run, desired, remote } = sc;
  const services = run.client.serverless.v1.services;
  const resource = `Serverless service ${desired.service.uniqueName}`;
  if (!remote.service) {
    run.record({
      section: 'serverless',
      resource,
      action: 'create',
      fields: [
        { field: 'unique_name', after: desired.service.uniqueName },
        { field: 'friendly_name', after: desired.service.friendlyName },
      ],
      writes: 1,
    });
    if (!run.dryRun) {
      const s = await run.write({ method: 'POST', operation: 'create', resource }, () =>
        services.create({ uniqueName: desired.service.uniqueName, friendlyName: desired.service.friendlyName }),
        (s) => void (run.state.serviceSid = s.sid),
      );
      sc.serviceSid = s.sid;
    }
  } else {
    sc.serviceSid = remote.service.sid;
    run.state.serviceSid = remote.service.sid;
    const foreign = !remote.service.owned;
    if (remote.service.friendlyName !== desired.service.friendlyName) {
      run.record({
        section: 'serverless',
        resource,
        action: 'update',
        fields: [{ field: 'friendly_name', before: remote.service.friendlyName, after: desired.service.friendlyName }],
        writes: 1,
        ...(foreign ? { foreign, note: 'not created by homephone: --adopt takes it over' } : { note: 'marks it as homephone\'s' }),
      });
      if (!run.dryRun) {
        await run.write({ method: 'POST', operation: 'update', resource, sid: sc.serviceSid }, () =>
          services(sc.serviceSid!).update({ friendlyName: desired.service.friendlyName }),
        );
      }
    } else run.record({ section: 'serverless', resource, action: 'unchanged', fields: [], writes: 0 });
  }

  const envResource = `Environment ${desired.environment.uniqueName}`;
  const env = remote.environment;
  if (!env) {
    run.record({ section: 'serverless', resource: envResource, action: 'create', fields: [{ field: 'unique_name', after: desired.environment.uniqueName }], writes: 1 });
    if (!run.dryRun) {
      const e = await run.write({ method: 'POST', operation: 'create', resource: envResource }, () =>
        services(sc.serviceSid!).environments.create({ uniqueName: desired.environment.uniqueName }),
        (e) => Object.assign(run.state, { environmentSid: e.sid, domainName: e.domainName }),
      );
      sc.environmentSid = e.sid;
      sc.facts.domain = e.domainName;
    }
  } else {
    sc.environmentSid = env.sid;
    sc.facts.domain = env.domainName;
    Object.assign(run.state, { environmentSid: env.sid, domainName: env.domainName });
    run.record({ section: 'serverless', resource: envResource, action: 'unchanged', fields: [], writes: 0, note: `https://${env.domainName}` });
  }
}

/** The version of each path in the active build. */
function activeVersions(remote: RemoteState): Map<string, { sid: string; hash?: string; visibility: string }> {
  const active = new Set([...(remote.activeBuild?.functionVersions ?? []), ...(remote.activeBuild?.assetVersions ?? [])]);
  const out = new Map<string, { sid: string; hash?: string; visibility: string }>();
  for (const [kind, children] of [['function', remote.functions], ['asset', remote.assets]] as const) {
    for (const c of children) {
      for (const v of c.versions) if (active.has(v.sid)) out.set(`${kind}:${v.path}`, v);
    }
  }
  return out;
}

/** Functions and Assets: create the resource if missing, reuse a version with the same content or upload one. */
export async function reconcileFiles(sc: StepContext, files: DesiredFile[]): Promise<void> {
  const { run, remote } = sc;
  const active = activeVersions(remote);
  for (const f of files) {
    const content = f.content(sc.facts);
    const hash = contentHash(f.contentType, content);
    const children: RemoteChild[] = f.kind === 'function' ? remote.functions : remote.assets;
    const child = children.find((c) => c.friendlyName === f.path);
    const reuse = child?.versions.find((v) => v.path === f.path && v.visibility === f.visibility && v.hash === hash);
    const current = active.get(`${f.kind}:${f.path}`);
    const resource = label(f);
    const fields: FieldChange[] = [];
    let action: Change['action'];
    if (!child) {
      action = 'create';
      fields.push({ field: 'path', after: f.path }, { field: 'visibility', after: f.visibility }, { field: 'content', after: `${content.length} bytes, sha256 ${short(hash)}` });
    } else if (current && reuse && current.sid === reuse.sid) {
      action = 'unchanged';
    } else {
      action = 'update';
      if (current?.visibility !== f.visibility) fields.push({ field: 'visibility', before: current?.visibility ?? '', after: f.visibility });
      if (current?.hash !== hash) fields.push({ field: 'content', before: `sha256 ${short(current?.hash)}`, after: `${content.length} bytes, sha256 ${short(hash)}` });
    }
    run.record({
      section: f.kind === 'function' ? 'functions' : 'assets',
      resource,
      action,
      fields,
      writes: (child ? 0 : 1) + (reuse ? 0 : 1),
      note: action === 'unchanged' ? undefined : reuse ? `reuses version ${reuse.sid} (same content)` : f.source,
    });

    const key = `${f.kind}:${f.path}`;
    if (run.dryRun) {
      sc.versions.set(key, reuse?.sid ?? `${NEW}${f.path}`);
      continue;
    }
    const svc = run.client.serverless.v1.services(sc.serviceSid!);
    let childSid = child?.sid;
    if (!childSid) {
      const created = await run.write<{ sid: string }>({ method: 'POST', operation: 'create', resource }, () =>
        f.kind === 'function' ? svc.functions.create({ friendlyName: f.path }) : svc.assets.create({ friendlyName: f.path }),
      );
      childSid = created.sid;
    }
    if (reuse) {
      sc.versions.set(key, reuse.sid);
      continue;
    }
    // Journal first: an Asset version cannot be read back, so if the answer to this upload is
    // lost, the next run recognises the version by this entry.
    run.state.pendingUploads = { ...run.state.pendingUploads, [f.path]: hash };
    await run.save();
    const version = await run.write(
      { method: 'POST', operation: 'upload version', resource },
      () =>
        run.deps.uploader.upload({
          serviceSid: sc.serviceSid!,
          kind: f.kind === 'function' ? 'functions' : 'assets',
          resourceSid: childSid!,
          path: f.path,
          visibility: f.visibility,
          content,
          contentType: f.contentType,
          filename: f.filename,
        }),
      (v) => {
        run.state.versionHashes = { ...run.state.versionHashes, [v.sid]: hash };
        const { [f.path]: _done, ...rest } = run.state.pendingUploads ?? {};
        run.state.pendingUploads = rest;
      },
    );
    sc.versions.set(key, version.sid);
  }
  // Remember what we recognised (function contents read back, journal matches) for next time.
  {
    const hashes = { ...run.state.versionHashes };
    for (const c of [...remote.functions, ...remote.assets]) for (const v of c.versions) if (v.hash) hashes[v.sid] = v.hash;
    const wanted = new Set(sc.versions.values());
    // Keep the map small: only versions that still exist.
    const existing = new Set([...remote.functions, ...remote.assets].flatMap((c) => c.versions.map((v) => v.sid)));
    run.state.versionHashes = Object.fromEntries(Object.entries(hashes).filter(([sid]) => existing.has(sid) || wanted.has(sid)));
  }
}

export async function reconcileVariables(sc: StepContext): Promise<void> {
  const { run, desired, remote } = sc;
  type Op = { resource: string; kind: 'create' | 'update' | 'delete'; key: string; value?: string; sid?: string };
  const ops: Op[] = [];
  const wanted = desired.variables.map((d) => (d.fromFacts ? { ...d, value: d.fromFacts(sc.facts) } : d));
  for (const d of wanted) {
    const resource = `Variable ${d.key}`;
    const r = remote.variables.find((v) => v.key === d.key);
    const shown = (value: string | undefined) => (value === undefined ? undefined : value);
    if (!r) {
      run.record({ section: 'variables', resource, action: 'create', fields: [{ field: 'value', after: shown(d.value), secret: d.secret }], writes: 1 });
      ops.push({ resource, kind: 'create', key: d.key, value: d.value });
    } else if (r.value !== d.value) {
      run.record({ section: 'variables', resource, action: 'update', fields: [{ field: 'value', before: r.value, after: d.value, secret: d.secret }], writes: 1 });
      ops.push({ resource, kind: 'update', key: d.key, value: d.value, sid: r.sid });
    } else run.record({ section: 'variables', resource, action: 'unchanged', fields: [], writes: 0 });
  }
  for (const r of remote.variables) {
    if (wanted.some((d) => d.key === r.key)) continue;
    const resource = `Variable ${r.key}`;
    if (!r.owned && !run.deps.adopt) {
      run.record({ section: 'variables', resource, action: 'unchanged', fields: [], writes: 0, foreign: true, note: 'not created by homephone: left alone (--adopt deletes it)' });
      continue;
    }
    run.record({
      section: 'variables',
      resource,
      action: 'delete',
      fields: [],
      writes: 1,
      ...(r.owned ? { note: 'no longer in the configuration' } : { foreign: true, note: 'not created by homephone: deleted because of --adopt' }),
    });
    ops.push({ resource, kind: 'delete', key: r.key, sid: r.sid });
  }
  if (!ops.length) return;
  sc.variablesChanged = true;
  if (run.dryRun) return;
  // Functions read Variables live: the next execution sees these values, no deployment needed.
  const vars = run.client.serverless.v1.services(sc.serviceSid!).environments(sc.environmentSid!).variables;
  for (const op of ops) {
    if (op.kind === 'create') await run.write({ method: 'POST', operation: 'create', resource: op.resource }, () => vars.create({ key: op.key, value: op.value! }));
    else if (op.kind === 'update') {
      await run.write({ method: 'POST', operation: 'update', resource: op.resource, sid: op.sid }, () => vars(op.sid!).update({ value: op.value! }));
    } else await run.write({ method: 'DELETE', operation: 'delete', resource: op.resource, sid: op.sid }, () => vars(op.sid!).remove());
  }
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export interface VersionSet {
  functionVersions: string[];
  assetVersions: string[];
}

export function versionSet(versions: Map<string, string>): VersionSet {
  const pick = (prefix: string) => [...versions].filter(([k]) => k.startsWith(prefix)).map(([, sid]) => sid).sort();
  return { functionVersions: pick('function:'), assetVersions: pick('asset:') };
}

const sameSet = (b: VersionSet, s: VersionSet) => sameList(b.functionVersions, s.functionVersions) && sameList(b.assetVersions, s.assetVersions);

/** The build: the active one if it has exactly these versions, else an existing one that does, else a new one. */
export async function reconcileBuild(sc: StepContext, set: VersionSet): Promise<void> {
  const { run, remote } = sc;
  const active = remote.activeBuild;
  if (active && active.status === 'completed' && sameSet(active, set)) {
    sc.buildSid = active.sid;
    run.record({ section: 'build', resource: 'Build', action: 'unchanged', fields: [], writes: 0, note: active.sid });
    return;
  }
  const hasNew = [...set.functionVersions, ...set.assetVersions].some((s) => s.startsWith(NEW));
  let existing: RemoteBuild | undefined;
  if (!hasNew && sc.serviceSid && remote.service) {
    existing = (await listBuilds(run.client, sc.serviceSid)).find((b) => b.status !== 'failed' && sameSet(b, set));
  }
  const live = new Set([...(active?.functionVersions ?? []), ...(active?.assetVersions ?? [])]);
  const changedPaths = [...sc.versions].filter(([, sid]) => !live.has(sid)).map(([key]) => key.replace(/^(function|asset):/, ''));
  const fields: FieldChange[] = [
    { field: 'versions', after: `${set.functionVersions.length} Function and ${set.assetVersions.length} Asset versions` },
    ...(active ? [{ field: 'new versions of', after: changedPaths.join(', ') || '(none)' }] : []),
  ];
  if (existing) {
    run.record({ section: 'build', resource: 'Build', action: 'update', fields, writes: 0, note: `existing build ${existing.sid} has exactly these versions` });
    sc.buildSid = existing.sid;
    if (!run.dryRun && existing.status !== 'completed') await waitForBuild(sc, existing.sid);
    return;
  }
  run.record({ section: 'build', resource: 'Build', action: 'create', fields, writes: 1, note: 'runtime node22' });
  if (run.dryRun) {
    sc.buildSid = `${NEW}build`;
    return;
  }
  const svc = run.client.serverless.v1.services(sc.serviceSid!);
  const build = await run.write({ method: 'POST', operation: 'create build', resource: 'Build' }, () =>
    svc.builds.create({ functionVersions: set.functionVersions, assetVersions: set.assetVersions, runtime: 'node22' }),
  );
  sc.buildSid = build.sid;
  await waitForBuild(sc, build.sid);
}

async function waitForBuild(sc: StepContext, buildSid: string): Promise<void> {
  const { run } = sc;
  const svc = run.client.serverless.v1.services(sc.serviceSid!);
  const outcome = await pollBuild(
    async () => (await twilioCall(`Build ${buildSid}`, () => svc.builds(buildSid).buildStatus().fetch())).status,
    { sleep: run.deps.sleep ?? realSleep, ...(run.deps.buildTimeoutMs === undefined ? {} : { timeoutMs: run.deps.buildTimeoutMs }) },
  );
  if (outcome.status === 'completed') return;
  if (outcome.status === 'timeout') {
    throw new HomephoneError(`the Serverless build ${buildSid} is still building after ${Math.round(outcome.waitedMs / 1000)} s`, {
      hint: 'run homephone deploy again later: it waits for this build instead of making another',
    });
  }
  const build = await twilioCall(`Build ${buildSid}`, () => svc.builds(buildSid).fetch());
  const paths = [...(build.functionVersions ?? []), ...(build.assetVersions ?? [])].map((v) => String((v as { path?: string }).path)).join(', ');
  throw new BuildFailedError(
    `the Twilio build ${buildSid} failed (status "${build.status}", runtime ${build.runtime}; versions: ${paths || 'none'})`,
    {
      hint:
        "Twilio gives no build log through the API: see the service's deploy log in the Console (Functions and Assets › Services › homephone); " +
        'a syntax error in a Function is the usual cause (npm run typecheck checks them)',
    },
  );
}

/**
 * Activates the build when it is not the one live. Never deploys the live build again: Twilio
 * refuses that (409), and nothing needs it, since Functions read Variables live. Numbers are
 * pointed only after this.
 */
export async function reconcileDeployment(sc: StepContext): Promise<void> {
  const { run, remote } = sc;
  const envBuild = remote.environment?.buildSid ?? null;
  const buildSid = sc.buildSid!;
  const resource = `Deployment to ${sc.desired.environment.uniqueName}`;
  if (envBuild === buildSid) {
    const note = sc.variablesChanged
      ? `variables only: no new build; build ${buildSid} stays live and its Functions read the new values at once`
      : `build ${buildSid} is live`;
    run.record({ section: 'build', resource, action: 'unchanged', fields: [], writes: 0, note });
    run.state.buildSid = buildSid;
    delete run.state.deploying;
    return;
  }
  run.record({
    section: 'build',
    resource,
    action: 'create',
    fields: [{ field: 'build_sid', before: envBuild ?? undefined, after: buildSid.startsWith(NEW) ? '(the new build)' : buildSid }],
    writes: 1,
  });
  if (run.dryRun) return;
  // Journal the intent, so rollback knows the previous build even if this answer is lost.
  run.state.deploying = { from: envBuild, to: buildSid };
  await run.save();
  await run.write({ method: 'POST', operation: 'deploy', resource }, () =>
    run.client.serverless.v1.services(sc.serviceSid!).environments(sc.environmentSid!).deployments.create({ buildSid }),
    () => {
      run.state.buildSid = buildSid;
      delete run.state.deploying;
    },
  );
}

/** Functions and Assets no template describes any more: deleted once the new build is live. */
export async function reconcileLeftovers(sc: StepContext): Promise<void> {
  const { run, remote, desired } = sc;
  for (const [kind, children] of [['function', remote.functions], ['asset', remote.assets]] as const) {
    const wanted = new Set(desired.files.filter((f) => f.kind === kind).map((f) => f.path));
    const seen = new Set<string>();
    for (const c of children) {
      const duplicate = seen.has(c.friendlyName);
      seen.add(c.friendlyName);
      if (wanted.has(c.friendlyName) && !duplicate) continue;
      const resource = `${kind === 'function' ? 'Function' : 'Asset'} ${c.friendlyName}`;
      const section = kind === 'function' ? 'functions' : 'assets';
      if (!c.owned && !run.deps.adopt) {
        run.record({ section, resource, action: 'unchanged', fields: [], writes: 0, foreign: true, note: 'not created by homephone: left alone (--adopt deletes it)' });
        continue;
      }
      const why = duplicate ? 'a duplicate' : 'no template any more';
      run.record({ section, resource, action: 'delete', fields: [], writes: 1, ...(c.owned ? { note: why } : { foreign: true, note: `not created by homephone: deleted because of --adopt` }) });
      if (run.dryRun) continue;
      const svc = run.client.serverless.v1.services(sc.serviceSid!);
      await run.write({ method: 'DELETE', operation: 'delete', resource, sid: c.sid }, () =>
        kind === 'function' ? svc.functions(c.sid).remove() : svc.assets(c.sid).remove(),
      );
    }
  }
}
