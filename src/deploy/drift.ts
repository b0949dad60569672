// Drift: the managed fields of every resource as the last deploy left them, compared with what
// Twilio shows now (a number's voice URL changed in the Console, a flow re-published, a variable
// edited, a mapping removed...). Values are stored as Twilio shows them, except secrets and long
// values, which are stored as hashes.
import type { DeployState } from './state.js';
import { canonicalJson, normaliseMethod, normaliseUrl, numberRouting, sha256 } from './normalise.js';
import type { RemoteState } from './read.js';
import { SYNC_SERVICE_LABEL } from './desired.js';

export type ManagedView = Record<string, Record<string, string>>;

export interface Drift {
  resource: string;
  /** A field that changed, or "(resource)" when the resource appeared or disappeared. */
  field: string;
  before: string;
  after: string;
}

const hash = (value: string) => `sha256:${sha256(value).slice(0, 12)}`;

export function managedView(remote: RemoteState): ManagedView {
  const view: ManagedView = {};
  if (remote.service) view[`Serverless service ${remote.service.uniqueName}`] = { sid: remote.service.sid, friendly_name: remote.service.friendlyName };
  if (remote.syncService) view[SYNC_SERVICE_LABEL] = { sid: remote.syncService.sid, friendly_name: remote.syncService.friendlyName };
  if (remote.environment) {
    view[`Environment ${remote.environment.uniqueName}`] = {
      sid: remote.environment.sid,
      domain_name: remote.environment.domainName,
      build_sid: remote.environment.buildSid ?? '',
    };
  }
  for (const [kind, children] of [['Function', remote.functions], ['Asset', remote.assets]] as const) {
    for (const c of children) view[`${kind} ${c.friendlyName}`] = { sid: c.sid };
  }
  for (const v of remote.variables) view[`Variable ${v.key}`] = { value: hash(v.value) };
  for (const f of Object.values(remote.flows)) {
    view[`Studio flow "${f.friendlyName}"`] = {
      sid: f.sid,
      status: f.status,
      revision: String(f.revision),
      definition: hash(canonicalJson(f.definition)),
    };
  }
  if (remote.credentialList) view[`SIP credential list ${remote.credentialList.friendlyName}`] = { sid: remote.credentialList.sid };
  if (remote.credential) view[`SIP credential ${remote.credential.username}`] = { sid: remote.credential.sid };
  if (remote.sipDomain) {
    const d = remote.sipDomain;
    view[`SIP domain ${d.domainName}`] = {
      sid: d.sid,
      voice_url: normaliseUrl(d.voiceUrl),
      voice_method: normaliseMethod(d.voiceMethod),
      sip_registration: String(d.sipRegistration),
      emergency_calling_enabled: String(d.emergencyCallingEnabled),
      auth_registrations: [...remote.mappings.registrations].sort().join(','),
      auth_calls: [...remote.mappings.calls].sort().join(','),
    };
  }
  for (const [number, n] of Object.entries(remote.numbers)) {
    if (!n) continue;
    view[`Phone number ${number}`] = numberRouting(n);
  }
  return view;
}

export function diffViews(applied: ManagedView, now: ManagedView): Drift[] {
  const drift: Drift[] = [];
  for (const resource of [...new Set([...Object.keys(applied), ...Object.keys(now)])].sort()) {
    const a = applied[resource];
    const b = now[resource];
    if (!a) drift.push({ resource, field: '(resource)', before: '(absent)', after: 'appeared' });
    else if (!b) drift.push({ resource, field: '(resource)', before: 'present', after: '(gone)' });
    else {
      // Only fields the last deploy recorded: one it did not (a field a newer version manages,
      // such as a number's messaging URL) has no baseline to drift from until the next deploy.
      for (const field of Object.keys(a).sort()) {
        if ((a[field] ?? '') !== (b[field] ?? '')) drift.push({ resource, field, before: a[field] ?? '', after: b[field] ?? '' });
      }
    }
  }
  return drift;
}

/** Records the view as the last applied one. */
export function markApplied(state: DeployState, remote: RemoteState, now: Date = new Date()): void {
  state.applied = managedView(remote);
  state.appliedAt = now.toISOString();
}
