// Reads what exists on Twilio. Everything is found by unique or friendly name (the service by
// its unique name, Functions and Assets by their path, flows by friendly name, the SIP domain by
// its domain name, numbers by number); stored SIDs are never trusted on their own. Each resource
// found is marked `owned` when homephone made it (ownership.ts). Only GETs.
import type { TwilioClient } from '../twilio/client.js';
import type { Visibility } from '../twilio/upload.js';
import { ENVIRONMENT_UNIQUE_NAME, SYNC_SERVICE_LABEL, type DesiredState } from './desired.js';
import { isNotFound, twilioCall } from './errors.js';
import { contentHash, normaliseE164, parseDefinition } from './normalise.js';
import { flowDescription, HOMEPHONE_VARIABLE_KEYS, isMarked } from './ownership.js';
import { LEGACY_CREDENTIAL_LIST_NAME } from './desired.js';
import type { DeployState } from './state.js';
import type { FlowKey } from '../studio/flows.js';

export interface RemoteVersion {
  sid: string;
  path: string;
  visibility: Visibility;
  dateCreated: number;
  /** Content hash, when known (from the state, the function's content, or the upload journal). */
  hash?: string;
}

export interface RemoteChild {
  sid: string;
  friendlyName: string;
  versions: RemoteVersion[];
  /** A path a template serves, or a Function/Asset holding a version homephone uploaded. */
  owned: boolean;
}

export interface RemoteBuild {
  sid: string;
  status: string;
  functionVersions: string[];
  assetVersions: string[];
}

export interface RemoteFlow {
  sid: string;
  friendlyName: string;
  definition: unknown;
  status: string;
  revision: number;
  webhookUrl: string;
  owned: boolean;
}

export interface RemoteSipDomain {
  sid: string;
  domainName: string;
  friendlyName: string;
  voiceUrl: string;
  voiceMethod: string;
  sipRegistration: boolean;
  emergencyCallingEnabled: boolean;
  owned: boolean;
}

export interface RemoteNumber {
  sid: string;
  phoneNumber: string;
  voiceUrl: string;
  voiceMethod: string;
  voiceFallbackUrl: string;
  voiceFallbackMethod: string;
  voiceApplicationSid: string | null;
  trunkSid: string | null;
  smsUrl: string;
  smsMethod: string;
  smsFallbackUrl: string;
  smsFallbackMethod: string;
  smsApplicationSid: string | null;
}

export interface RemoteState {
  service?: { sid: string; uniqueName: string; friendlyName: string; owned: boolean };
  syncService?: { sid: string; friendlyName: string };
  environment?: { sid: string; uniqueName: string; domainName: string; buildSid: string | null };
  functions: RemoteChild[];
  assets: RemoteChild[];
  activeBuild?: RemoteBuild;
  variables: Array<{ sid: string; key: string; value: string; owned: boolean }>;
  flows: Partial<Record<FlowKey, RemoteFlow>>;
  /** homephone's list; else one named as versions before the mark named it (not owned). */
  credentialList?: { sid: string; friendlyName: string; owned: boolean; usernames: string[] };
  credential?: { sid: string; username: string };
  sipDomain?: RemoteSipDomain;
  mappings: { calls: string[]; registrations: string[] };
  /** Lists mapped under the domain other than homephone's own (any list when homephone has none). */
  otherMappedLists: Array<{ sid: string; friendlyName: string; kinds: Array<'calls' | 'registrations'> }>;
  numbers: Record<string, RemoteNumber | undefined>;
}

export function emptyRemote(): RemoteState {
  return { functions: [], assets: [], variables: [], flows: {}, mappings: { calls: [], registrations: [] }, otherMappedLists: [], numbers: {} };
}

const time = (d: unknown): number => (d instanceof Date ? d.getTime() : Date.parse(String(d)) || 0);

export function buildFromSdk(b: { sid: string; status: string; functionVersions?: unknown[]; assetVersions?: unknown[] }): RemoteBuild {
  const sids = (list: unknown[] | undefined) =>
    (list ?? []).map((v) => (typeof v === 'string' ? v : String((v as { sid?: string }).sid))).sort();
  return { sid: b.sid, status: b.status, functionVersions: sids(b.functionVersions), assetVersions: sids(b.assetVersions) };
}

export interface ReadScope {
  /** Read only the Serverless side (whitelist sync). */
  serverlessOnly?: boolean;
}

export async function readRemote(
  client: TwilioClient,
  desired: DesiredState,
  state: DeployState,
  scope: ReadScope = {},
): Promise<RemoteState> {
  const remote = emptyRemote();
  await readServerless(client, desired, state, remote);
  if (scope.serverlessOnly) return remote;
  await Promise.all([readSyncService(client, desired, state, remote), readFlows(client, desired, state, remote), readSip(client, desired, state, remote), readNumbers(client, desired, remote)]);
  return remote;
}

/** The Sync service: by the SID the state recorded, else by its (marked) friendly name. */
async function readSyncService(client: TwilioClient, desired: DesiredState, state: DeployState, remote: RemoteState): Promise<void> {
  const services = client.sync.v1.services;
  const name = desired.sync.friendlyName;
  if (state.syncServiceSid) {
    const known = await twilioCall(SYNC_SERVICE_LABEL, async () => {
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

async function readServerless(client: TwilioClient, desired: DesiredState, state: DeployState, remote: RemoteState) {
  const services = client.serverless.v1.services;
  const service = await twilioCall(`Serverless service ${desired.service.uniqueName}`, async () => {
    try {
      return await services(desired.service.uniqueName).fetch();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  });
  if (!service) return;
  remote.service = {
    sid: service.sid,
    uniqueName: service.uniqueName,
    friendlyName: service.friendlyName,
    owned: isMarked(service.friendlyName) || service.sid === state.serviceSid,
  };
  const svc = services(service.sid);

  const [environments, functions, assets] = await Promise.all([
    twilioCall('Serverless environments', () => svc.environments.list()),
    twilioCall('Serverless functions', () => svc.functions.list()),
    twilioCall('Serverless assets', () => svc.assets.list()),
  ]);
  const env = environments.find((e) => e.uniqueName === ENVIRONMENT_UNIQUE_NAME);
  if (env) remote.environment = { sid: env.sid, uniqueName: env.uniqueName, domainName: env.domainName, buildSid: env.buildSid ?? null };

  const known = state.versionHashes ?? {};
  const wanted = new Map(desired.files.map((f) => [`${f.kind}:${f.path}`, f]));
  const readChildren = async (kind: 'function' | 'asset', list: Array<{ sid: string; friendlyName: string }>) =>
    Promise.all(
      list.map(async (c): Promise<RemoteChild> => {
        const versions = await twilioCall(`${kind === 'function' ? 'Function' : 'Asset'} ${c.friendlyName} versions`, async () =>
          kind === 'function' ? svc.functions(c.sid).functionVersions.list() : svc.assets(c.sid).assetVersions.list(),
        );
        const out: RemoteVersion[] = versions
          .map((v) => ({ sid: v.sid, path: v.path, visibility: v.visibility as Visibility, dateCreated: time(v.dateCreated), hash: known[v.sid] }))
          .sort((a, b) => b.dateCreated - a.dateCreated || (a.sid < b.sid ? 1 : -1));
        const uploaded = out.some((v) => v.hash !== undefined);
        await recogniseUnknown(kind, c, out);
        return { sid: c.sid, friendlyName: c.friendlyName, versions: out, owned: wanted.has(`${kind}:${c.friendlyName}`) || uploaded };
      }),
    );

  // Versions we have no hash for: a Function's content can be read back and hashed; an Asset's
  // cannot, so the newest unknown one is matched with the upload journal (an upload whose answer
  // was lost).
  const recogniseUnknown = async (kind: 'function' | 'asset', c: { sid: string; friendlyName: string }, versions: RemoteVersion[]) => {
    const desiredFile = wanted.get(`${kind}:${c.friendlyName}`);
    if (!desiredFile) return;
    const unknown = versions.filter((v) => v.hash === undefined && v.path === desiredFile.path && v.visibility === desiredFile.visibility);
    if (kind === 'function') {
      await Promise.all(
        unknown.map(async (v) => {
          const content = await twilioCall(`Function ${c.friendlyName} version ${v.sid}`, () =>
            svc.functions(c.sid).functionVersions(v.sid).functionVersionContent().fetch(),
          );
          v.hash = contentHash('application/javascript', content.content);
        }),
      );
    } else {
      // Every version we make is recorded, so an unknown one is the lost upload; if others made
      // some too, only a single newest one is taken (dates have one-second resolution).
      const pending = state.pendingUploads?.[desiredFile.path];
      const latest = Math.max(...unknown.map((v) => v.dateCreated));
      const newest = unknown.filter((v) => v.dateCreated === latest);
      if (pending && newest.length === 1) newest[0]!.hash = pending;
    }
  };

  [remote.functions, remote.assets] = await Promise.all([readChildren('function', functions), readChildren('asset', assets)]);

  if (env) {
    const [variables, build] = await Promise.all([
      twilioCall('Serverless variables', () => svc.environments(env.sid).variables.list()),
      env.buildSid ? twilioCall(`Build ${env.buildSid}`, () => svc.builds(env.buildSid!).fetch()) : Promise.resolve(undefined),
    ]);
    remote.variables = variables.map((v) => ({ sid: v.sid, key: v.key, value: v.value, owned: HOMEPHONE_VARIABLE_KEYS.has(v.key) }));
    if (build) remote.activeBuild = buildFromSdk(build);
  }
}

async function readFlows(client: TwilioClient, desired: DesiredState, state: DeployState, remote: RemoteState) {
  const flows = await twilioCall('Studio flows', () => client.studio.v2.flows.list());
  await Promise.all(
    desired.flows.map(async (d) => {
      // Several flows may share the name: homephone's own first (recorded, or marked in its
      // definition, which only a fetch returns: lists carry no definitions), else the oldest.
      const named = flows.filter((f) => f.friendlyName === d.friendlyName).sort((a, b) => time(a.dateCreated) - time(b.dateCreated));
      if (!named.length) return;
      const fetchFlow = (sid: string) => twilioCall(`Studio flow "${d.friendlyName}"`, () => client.studio.v2.flows(sid).fetch());
      const recorded = named.find((f) => f.sid === state.flows?.[d.key]?.sid);
      const candidates = await Promise.all((recorded ? [recorded] : named).map((f) => fetchFlow(f.sid)));
      const flow = candidates.find((f) => isMarked(flowDescription(parseDefinition(f.definition)))) ?? candidates[0]!;
      const definition = parseDefinition(flow.definition);
      remote.flows[d.key] = {
        owned: flow.sid === state.flows?.[d.key]?.sid || isMarked(flowDescription(definition)),
        sid: flow.sid,
        friendlyName: flow.friendlyName,
        definition,
        status: flow.status,
        revision: flow.revision,
        webhookUrl: flow.webhookUrl,
      };
    }),
  );
}

async function readSip(client: TwilioClient, desired: DesiredState, state: DeployState, remote: RemoteState) {
  const [domains, lists] = await Promise.all([
    twilioCall('SIP domains', () => client.sip.domains.list()),
    twilioCall('SIP credential lists', () => client.sip.credentialLists.list()),
  ]);
  const domain = domains.find((d) => d.domainName.toLowerCase() === desired.sip.domainName.toLowerCase());
  const ownedList = lists.find((l) => l.friendlyName === desired.sip.credentialListName) ?? lists.find((l) => l.sid === state.sip?.credentialListSid);
  const list = ownedList ?? lists.find((l) => l.friendlyName === LEGACY_CREDENTIAL_LIST_NAME);
  if (domain) {
    remote.sipDomain = {
      sid: domain.sid,
      domainName: domain.domainName,
      friendlyName: domain.friendlyName,
      voiceUrl: domain.voiceUrl ?? '',
      voiceMethod: domain.voiceMethod ?? 'POST',
      sipRegistration: Boolean(domain.sipRegistration),
      emergencyCallingEnabled: Boolean(domain.emergencyCallingEnabled),
      owned: isMarked(domain.friendlyName) || domain.sid === state.sip?.domainSid,
    };
    const auth = client.sip.domains(domain.sid).auth;
    const [calls, registrations] = await Promise.all([
      twilioCall(`SIP domain ${domain.domainName} Auth/Calls mappings`, () => auth.calls.credentialListMappings.list()),
      twilioCall(`SIP domain ${domain.domainName} Auth/Registrations mappings`, () => auth.registrations.credentialListMappings.list()),
    ]);
    remote.mappings = { calls: calls.map((m) => m.sid), registrations: registrations.map((m) => m.sid) };
    for (const l of lists) {
      if (l.sid === ownedList?.sid) continue;
      const kinds = (['registrations', 'calls'] as const).filter((k) => remote.mappings[k].includes(l.sid));
      if (kinds.length) remote.otherMappedLists.push({ sid: l.sid, friendlyName: l.friendlyName, kinds: [...kinds] });
    }
  }
  if (list) {
    const credentials = await twilioCall(`SIP credential list ${list.friendlyName}`, () => client.sip.credentialLists(list.sid).credentials.list());
    remote.credentialList = { sid: list.sid, friendlyName: list.friendlyName, owned: Boolean(ownedList), usernames: credentials.map((c) => c.username) };
    const credential = credentials.find((c) => c.username === desired.sip.username);
    if (credential) remote.credential = { sid: credential.sid, username: credential.username };
  }
}

async function readNumbers(client: TwilioClient, desired: DesiredState, remote: RemoteState) {
  await Promise.all(
    desired.numbers.map(async (d) => {
      const found = await twilioCall(`phone number ${d.phoneNumber}`, () =>
        client.incomingPhoneNumbers.list({ phoneNumber: d.phoneNumber, limit: 20 }),
      );
      const n = found.find((x) => normaliseE164(x.phoneNumber) === d.phoneNumber);
      remote.numbers[d.phoneNumber] = n && {
        sid: n.sid,
        phoneNumber: n.phoneNumber,
        voiceUrl: n.voiceUrl ?? '',
        voiceMethod: n.voiceMethod ?? 'POST',
        voiceFallbackUrl: n.voiceFallbackUrl ?? '',
        voiceFallbackMethod: n.voiceFallbackMethod ?? 'POST',
        voiceApplicationSid: n.voiceApplicationSid || null,
        trunkSid: n.trunkSid || null,
        smsUrl: n.smsUrl ?? '',
        smsMethod: n.smsMethod ?? 'POST',
        smsFallbackUrl: n.smsFallbackUrl ?? '',
        smsFallbackMethod: n.smsFallbackMethod ?? 'POST',
        smsApplicationSid: n.smsApplicationSid || null,
      };
    }),
  );
}

/** Builds of the service, newest first (only needed when the active build doesn't match). */
export async function listBuilds(client: TwilioClient, serviceSid: string): Promise<RemoteBuild[]> {
  const builds = await twilioCall('Serverless builds', () => client.serverless.v1.services(serviceSid).builds.list({ limit: 50 }));
  return builds.map(buildFromSdk);
}
