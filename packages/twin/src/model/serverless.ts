// Serverless domain rules shared by the REST handlers and (later) the Functions runtime.
import type { BuildRecord, ServiceRecord, TwinState, VersionRecord } from '../state.js';

export const SERVERLESS = 'https://serverless.twilio.com/v1';
export const RUNTIMES = ['node8', 'node10', 'node12', 'node14', 'node16', 'node18', 'node20', 'node22', 'node24'] as const;

export function serviceUrl(serviceSid: string): string {
  return `${SERVERLESS}/Services/${serviceSid}`;
}

/** Every version of the service's functions and assets, by SID. */
export function findVersion(service: ServiceRecord, sid: string): VersionRecord | undefined {
  for (const parent of [...service.functions.values(), ...service.assets.values()]) {
    const v = parent.versions.get(sid);
    if (v) return v;
  }
  return undefined;
}

/**
 * A build finishes the first time anyone looks at it after creating it (no clock involved): it
 * completes when every referenced version exists with the right kind and no two share a path,
 * and fails otherwise.
 */
export function settleBuild(state: TwinState, service: ServiceRecord, build: BuildRecord): void {
  if (build.json.status !== 'building') return;
  const paths = new Set<string>();
  let ok = true;
  const check = (sids: string[], kind: VersionRecord['kind']) => {
    for (const sid of sids) {
      const v = findVersion(service, sid);
      if (!v || v.kind !== kind || paths.has(v.json.path)) ok = false;
      else paths.add(v.json.path);
    }
  };
  check(build.functionVersionSids, 'function');
  check(build.assetVersionSids, 'asset');
  build.json.status = ok ? 'completed' : 'failed';
  build.json.date_updated = new Date(state.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (ok) state.events.emit('build.completed', { service, build });
}
