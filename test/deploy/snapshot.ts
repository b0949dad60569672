// A normalised picture of everything deploy manages in the twin: no SIDs, no random domain, no
// dates; versions by path, visibility and content hash; counts of versions, builds, deployments
// and flow revisions, so duplicates and orphans show up as differences.
import { createHash } from 'node:crypto';
import type { TwinState } from '@homephone/twin';
import { canonicalJson } from '../../src/deploy/normalise.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex').slice(0, 16);

export function snapshot(state: TwinState): string {
  const replacements = new Map<string, string>();
  // The service's domain is random per twin; content that embeds it is compared without it.
  const serviceDomains = [...state.services.values()].flatMap((s) => [...s.environments.values()].map((e) => e.json.domain_name));
  const contentSha = (b: Buffer) => sha(serviceDomains.reduce((text, d) => text.split(d).join('DOMAIN'), b.toString('latin1')));
  const services = [...state.services.values()].map((s) => {
    const describe = new Map<string, string>();
    const children = (kind: 'function' | 'asset', map: typeof s.functions) =>
      [...map.values()]
        .map((c) => {
          const versions = [...c.versions.values()].map((v) => {
            const d = `${kind}:${v.json.path}|${v.json.visibility}|${v.contentType}|${contentSha(v.content)}`;
            describe.set(v.json.sid, d);
            return d;
          });
          return { name: c.json.friendly_name, versions: versions.sort() };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    const functions = children('function', s.functions);
    const assets = children('asset', s.assets);
    const buildDesc = new Map<string, string>();
    const builds = [...s.builds.values()].map((b) => {
      const d = `${b.json.status}:${[...b.functionVersionSids, ...b.assetVersionSids].map((sid) => describe.get(sid) ?? sid).sort().join(',')}`;
      buildDesc.set(b.json.sid, d);
      return d;
    });
    const environments = [...s.environments.values()].map((e) => {
      replacements.set(e.json.domain_name, 'DOMAIN');
      return {
        name: e.json.unique_name,
        build: e.json.build_sid ? buildDesc.get(e.json.build_sid) : null,
        deployments: e.deployments.size,
        variables: [...e.variables.values()].map((v) => `${v.json.key}=${v.json.value}`).sort(),
      };
    });
    return { unique: s.json.unique_name, friendly: s.json.friendly_name, functions, assets, builds: builds.sort(), environments };
  });
  const flows = [...state.flows.values()]
    .map((f) => {
      replacements.set(f.json.sid, `FLOW(${f.json.friendly_name})`);
      return { name: f.json.friendly_name, status: f.json.status, revision: f.json.revision, revisions: f.revisions.length, definition: canonicalJson(f.json.definition) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const lists = [...state.credentialLists.values()].map((l) => {
    replacements.set(l.json.sid, `LIST(${l.json.friendly_name})`);
    return { name: l.json.friendly_name, credentials: [...l.credentials.values()].map((c) => `${c.json.username}:${c.password}`).sort() };
  });
  const domains = [...state.sipDomains.values()].map((d) => ({
    name: d.json.domain_name,
    friendly: d.json.friendly_name,
    voice_url: d.json.voice_url,
    voice_method: d.json.voice_method,
    sip_registration: d.json.sip_registration,
    emergency: d.json.emergency_calling_enabled,
    calls: [...d.mappings.calls.keys()].sort(),
    registrations: [...d.mappings.registrations.keys()].sort(),
  }));
  const numbers = [...state.numbers.values()]
    .map((n) => ({
      number: n.json.phone_number,
      voice_url: n.json.voice_url,
      voice_method: n.json.voice_method,
      fallback: n.json.voice_fallback_url,
      fallback_method: n.json.voice_fallback_method,
      app: n.json.voice_application_sid,
      trunk: n.json.trunk_sid,
    }))
    .sort((a, b) => a.number.localeCompare(b.number));
  // Sync services: how many, by name (their SIDs are random; a Variable names ours).
  const syncServices = [...state.syncServices.values()]
    .map((x) => {
      replacements.set(x.json.sid, `SYNC(${x.json.friendly_name ?? ''})`);
      return { name: x.json.friendly_name };
    })
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  let text = JSON.stringify({ services, syncServices, flows, lists, domains, numbers }, null, 1);
  for (const [from, to] of replacements) text = text.split(from).join(to);
  return text;
}

/** A build described by its versions' paths and contents (no SIDs), or null. */
export function describeBuild(state: TwinState, buildSid: string | undefined): string | null {
  if (!buildSid) return null;
  for (const s of state.services.values()) {
    const b = s.builds.get(buildSid);
    if (!b) continue;
    const versions = [...s.functions.values(), ...s.assets.values()].flatMap((c) => [...c.versions.values()]);
    const domains = [...s.environments.values()].map((e) => e.json.domain_name);
    const content = (b: Buffer) => sha(domains.reduce((text, d) => text.split(d).join('DOMAIN'), b.toString('latin1')));
    return [...b.functionVersionSids, ...b.assetVersionSids]
      .map((sid) => versions.find((v) => v.json.sid === sid))
      .map((v) => (v ? `${v.json.path}:${content(v.content)}` : '?'))
      .sort()
      .join(',');
  }
  return 'unknown build';
}
