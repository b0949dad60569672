// Deploys Functions and Assets into the twin through the real SDK and the upload host, as
// `homephone deploy` will: service, environment, versions, build, deployment, variables.
import type { Harness } from '../helpers.js';

export interface FileSpec {
  path: string;
  visibility: 'public' | 'protected' | 'private';
  content: string;
  contentType?: string;
}

export interface Deployed {
  serviceSid: string;
  environmentSid: string;
  domain: string;
  buildSid: string;
}

export async function deploy(
  h: Harness,
  spec: { service: string; functions?: FileSpec[]; assets?: FileSpec[]; variables?: Record<string, string>; existing?: Deployed },
): Promise<Deployed> {
  const c = h.client.serverless.v1;
  let serviceSid = spec.existing?.serviceSid;
  let environmentSid = spec.existing?.environmentSid;
  let domain = spec.existing?.domain;
  if (!serviceSid || !environmentSid || !domain) {
    const service = await c.services.create({ uniqueName: spec.service, friendlyName: spec.service });
    const env = await c.services(service.sid).environments.create({ uniqueName: 'production', domainSuffix: 'production' });
    serviceSid = service.sid;
    environmentSid = env.sid;
    domain = env.domainName;
    for (const [key, value] of Object.entries(spec.variables ?? {})) {
      await c.services(serviceSid).environments(environmentSid).variables.create({ key, value });
    }
  }
  const upload = async (kind: 'functions' | 'assets', f: FileSpec) => {
    const parent =
      kind === 'functions'
        ? await c.services(serviceSid!).functions.create({ friendlyName: f.path })
        : await c.services(serviceSid!).assets.create({ friendlyName: f.path });
    const v = await h.uploader.upload({
      serviceSid: serviceSid!,
      kind,
      resourceSid: parent.sid,
      path: f.path,
      visibility: f.visibility,
      content: f.content,
      contentType: f.contentType ?? (kind === 'functions' ? 'application/javascript' : 'application/json'),
      filename: f.path.split('/').pop() || 'file',
    });
    return v.sid;
  };
  const functionVersions = [];
  for (const f of spec.functions ?? []) functionVersions.push(await upload('functions', f));
  const assetVersions = [];
  for (const a of spec.assets ?? []) assetVersions.push(await upload('assets', a));
  const build = await c.services(serviceSid).builds.create({ functionVersions, assetVersions, runtime: 'node22' });
  await c.services(serviceSid).builds(build.sid).fetch(); // settles the build
  await c.services(serviceSid).environments(environmentSid).deployments.create({ buildSid: build.sid });
  return { serviceSid, environmentSid, domain, buildSid: build.sid };
}
