// serverless.twilio.com/v1 (services, environments, functions, assets, versions, builds,
// deployments, variables) and serverless-upload.twilio.com/v1 (multipart version uploads).
import { iso8601 } from '../clock.js';
import { conflict, invalid, missing, notFound, TwinError } from '../errors.js';
import { findVersion, RUNTIMES, serviceUrl, settleBuild } from '../model/serverless.js';
import { pageV1 } from '../paging.js';
import { dateParam, DAY_MS, expire } from '../records/window.js';
import type { RestRequest, RestResponse, Router } from '../router.js';
import { newSid, SidPrefix } from '../sids.js';
import type {
  BuildRecord,
  EnvironmentRecord,
  ServerlessChildRecord,
  ServiceRecord,
  TwinState,
  VersionRecord,
  Visibility,
} from '../state.js';
import { created, noContent, ok } from './respond.js';

const S = '/v1/Services/{ServiceSid}';
const VISIBILITIES: readonly Visibility[] = ['public', 'protected', 'private'];
/** Uploads above this size fail like Twilio's (HTTP 413). */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

function versionView(v: VersionRecord) {
  return v.json;
}

function buildVersionSummary(v: VersionRecord) {
  const { url: _url, links: _links, ...summary } = v.json;
  return summary;
}

export function registerServerless(router: Router, state: TwinState): void {
  const add = (m: 'GET' | 'POST' | 'DELETE', pattern: string, h: (req: RestRequest) => RestResponse) =>
    router.add('serverless', m, pattern, h);
  const now = () => iso8601(state.now());

  const service = (req: RestRequest, key = 'ServiceSid'): ServiceRecord => {
    const id = req.params[key] ?? '';
    const s = state.services.get(id) ?? [...state.services.values()].find((x) => x.json.unique_name === id);
    if (!s) throw notFound(req.path);
    return s;
  };

  // ---- Services ------------------------------------------------------------------------------
  add('POST', '/v1/Services', (req) => {
    const f = req.form;
    const unique = f.required('UniqueName');
    if (unique.length > 50) throw invalid('UniqueName must be at most 50 characters');
    if (!/^[A-Za-z0-9-]+$/.test(unique)) throw invalid('UniqueName may contain only letters, digits and hyphens');
    const friendly = f.required('FriendlyName');
    f.maxLength('FriendlyName', 255);
    for (const s of state.services.values()) {
      if (s.json.unique_name === unique) throw conflict(`Service with UniqueName ${unique} already exists`);
    }
    const sid = newSid(SidPrefix.service);
    const url = serviceUrl(sid);
    const json = {
      sid,
      account_sid: state.accountSid,
      friendly_name: friendly,
      unique_name: unique,
      include_credentials: f.bool('IncludeCredentials') ?? true,
      ui_editable: f.bool('UiEditable') ?? false,
      domain_base: `${unique}-${1000 + Math.floor(Math.random() * 9000)}`,
      date_created: now(),
      date_updated: now(),
      url,
      links: {
        environments: `${url}/Environments`,
        functions: `${url}/Functions`,
        assets: `${url}/Assets`,
        builds: `${url}/Builds`,
      },
    };
    state.services.set(sid, {
      json,
      environments: new Map(),
      functions: new Map(),
      assets: new Map(),
      builds: new Map(),
    });
    return created(json);
  });
  add('GET', '/v1/Services', (req) => ok(pageV1(req, 'services', [...state.services.values()].map((s) => s.json))));
  add('GET', '/v1/Services/{Sid}', (req) => ok(service(req, 'Sid').json));
  add('POST', '/v1/Services/{Sid}', (req) => {
    const s = service(req, 'Sid');
    const f = req.form;
    const friendly = f.maxLength('FriendlyName', 255);
    if (friendly !== undefined) s.json.friendly_name = friendly;
    const creds = f.bool('IncludeCredentials');
    if (creds !== undefined) s.json.include_credentials = creds;
    const ui = f.bool('UiEditable');
    if (ui !== undefined) s.json.ui_editable = ui;
    s.json.date_updated = now();
    return ok(s.json);
  });
  add('DELETE', '/v1/Services/{Sid}', (req) => {
    state.services.delete(service(req, 'Sid').json.sid);
    return noContent();
  });

  // ---- Environments --------------------------------------------------------------------------
  const environment = (req: RestRequest, key = 'EnvironmentSid'): { s: ServiceRecord; e: EnvironmentRecord } => {
    const s = service(req);
    const e = s.environments.get(req.params[key] ?? '');
    if (!e) throw notFound(req.path);
    return { s, e };
  };
  add('POST', `${S}/Environments`, (req) => {
    const s = service(req);
    const f = req.form;
    const unique = f.required('UniqueName');
    if (unique.length > 100) throw invalid('UniqueName must be at most 100 characters');
    const suffix = f.get('DomainSuffix') || null;
    if (suffix !== null && (suffix.length > 16 || !/^[A-Za-z0-9-]+$/.test(suffix))) {
      throw invalid('DomainSuffix must be at most 16 letters, digits or hyphens');
    }
    for (const e of s.environments.values()) {
      // Twilio's wording (as reported in RJPearson94/terraform-provider-twilio#78).
      if (e.json.unique_name === unique || (e.json.domain_suffix ?? null) === suffix) {
        throw conflict('Environment with this UniqueName or DomainSuffix already exists.');
      }
    }
    const sid = newSid(SidPrefix.environment);
    const url = `${serviceUrl(s.json.sid)}/Environments/${sid}`;
    const json = {
      sid,
      account_sid: state.accountSid,
      service_sid: s.json.sid,
      build_sid: null,
      unique_name: unique,
      domain_suffix: suffix,
      domain_name: `${s.json.domain_base}${suffix ? `-${suffix}` : ''}.twil.io`,
      date_created: now(),
      date_updated: now(),
      url,
      links: { variables: `${url}/Variables`, deployments: `${url}/Deployments`, logs: `${url}/Logs` },
    };
    s.environments.set(sid, { json, variables: new Map(), deployments: new Map(), logs: [] });
    return created(json);
  });
  add('GET', `${S}/Environments`, (req) =>
    ok(pageV1(req, 'environments', [...service(req).environments.values()].map((e) => e.json))),
  );
  add('GET', `${S}/Environments/{Sid}`, (req) => ok(environment(req, 'Sid').e.json));
  add('DELETE', `${S}/Environments/{Sid}`, (req) => {
    const { s, e } = environment(req, 'Sid');
    s.environments.delete(e.json.sid);
    return noContent();
  });

  // ---- Functions and Assets (same shape, different links) --------------------------------------
  for (const kind of ['function', 'asset'] as const) {
    const seg = kind === 'function' ? 'Functions' : 'Assets';
    const listKey = kind === 'function' ? 'functions' : 'assets';
    const versionsLink = kind === 'function' ? 'function_versions' : 'asset_versions';
    const parentParam = kind === 'function' ? 'FunctionSid' : 'AssetSid';
    const children = (s: ServiceRecord) => (kind === 'function' ? s.functions : s.assets);
    const child = (req: RestRequest, key: string): { s: ServiceRecord; c: ServerlessChildRecord } => {
      const s = service(req);
      const c = children(s).get(req.params[key] ?? '');
      if (!c) throw notFound(req.path);
      return { s, c };
    };
    add('POST', `${S}/${seg}`, (req) => {
      const s = service(req);
      const friendly = req.form.required('FriendlyName');
      req.form.maxLength('FriendlyName', 255);
      const sid = newSid(SidPrefix.functionOrAsset);
      const url = `${serviceUrl(s.json.sid)}/${seg}/${sid}`;
      const json = {
        sid,
        account_sid: state.accountSid,
        service_sid: s.json.sid,
        friendly_name: friendly,
        date_created: now(),
        date_updated: now(),
        url,
        links: { [versionsLink]: `${url}/Versions` },
      };
      children(s).set(sid, { json, versions: new Map() });
      return created(json);
    });
    add('GET', `${S}/${seg}`, (req) => ok(pageV1(req, listKey, [...children(service(req)).values()].map((c) => c.json))));
    add('GET', `${S}/${seg}/{Sid}`, (req) => ok(child(req, 'Sid').c.json));
    add('POST', `${S}/${seg}/{Sid}`, (req) => {
      const { c } = child(req, 'Sid');
      c.json.friendly_name = req.form.required('FriendlyName');
      req.form.maxLength('FriendlyName', 255);
      c.json.date_updated = now();
      return ok(c.json);
    });
    add('DELETE', `${S}/${seg}/{Sid}`, (req) => {
      const { s, c } = child(req, 'Sid');
      children(s).delete(c.json.sid);
      return noContent();
    });
    add('GET', `${S}/${seg}/{${parentParam}}/Versions`, (req) =>
      ok(pageV1(req, versionsLink, [...child(req, parentParam).c.versions.values()].map(versionView))),
    );
    add('GET', `${S}/${seg}/{${parentParam}}/Versions/{Sid}`, (req) => {
      const v = child(req, parentParam).c.versions.get(req.params.Sid ?? '');
      if (!v) throw notFound(req.path);
      return ok(versionView(v));
    });

    // The upload host: multipart Content + Path + Visibility.
    router.add('serverless-upload', 'POST', `${S}/${seg}/{${parentParam}}/Versions`, (req) => {
      const { s, c } = child(req, parentParam);
      const file = req.files.get('Content');
      if (!file) throw missing('Content');
      if (file.content.length > MAX_UPLOAD_BYTES) throw new TwinError(413, 20413, 'Content is too large');
      let path = req.form.required('Path');
      if (!path.startsWith('/')) path = `/${path}`;
      const visibility = req.form.oneOf('Visibility', VISIBILITIES);
      if (!visibility) throw missing('Visibility');
      const sid = newSid(SidPrefix.version);
      const url = `${serviceUrl(s.json.sid)}/${seg}/${c.json.sid}/Versions/${sid}`;
      const json: VersionRecord['json'] = {
        sid,
        account_sid: state.accountSid,
        service_sid: s.json.sid,
        [kind === 'function' ? 'function_sid' : 'asset_sid']: c.json.sid,
        path,
        visibility,
        date_created: now(),
        url,
      };
      if (kind === 'function') json.links = { function_version_content: `${url}/Content` };
      c.versions.set(sid, {
        json,
        kind,
        parentSid: c.json.sid,
        content: file.content,
        contentType: file.type,
        filename: file.filename,
      });
      return created(json);
    });
  }
  add('GET', `${S}/Functions/{FunctionSid}/Versions/{Sid}/Content`, (req) => {
    const s = service(req);
    const v = s.functions.get(req.params.FunctionSid ?? '')?.versions.get(req.params.Sid ?? '');
    if (!v) throw notFound(req.path);
    return ok({
      sid: v.json.sid,
      account_sid: state.accountSid,
      service_sid: s.json.sid,
      function_sid: v.parentSid,
      content: v.content.toString('utf8'),
      url: `${v.json.url as string}/Content`,
    });
  });

  // ---- Builds --------------------------------------------------------------------------------
  const build = (req: RestRequest, key = 'Sid'): { s: ServiceRecord; b: BuildRecord } => {
    const s = service(req);
    const b = s.builds.get(req.params[key] ?? '');
    if (!b) throw notFound(req.path);
    settleBuild(state, s, b);
    return { s, b };
  };
  add('POST', `${S}/Builds`, (req) => {
    const s = service(req);
    const f = req.form;
    const fv = f.all('FunctionVersions');
    const av = f.all('AssetVersions');
    let dependencies: Array<{ name: string; version: string }> = [];
    const depsRaw = f.get('Dependencies');
    if (depsRaw) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(depsRaw);
      } catch {
        throw invalid('Dependencies must be a JSON array of {"name","version"} objects');
      }
      const valid =
        Array.isArray(parsed) &&
        parsed.every(
          (d) =>
            typeof d === 'object' && d !== null && typeof (d as Record<string, unknown>).name === 'string' &&
            typeof (d as Record<string, unknown>).version === 'string',
        );
      if (!valid) throw invalid('Dependencies must be a JSON array of {"name","version"} objects');
      dependencies = parsed as typeof dependencies;
    }
    const runtime = f.oneOf('Runtime', RUNTIMES) ?? 'node22';
    const summaries = (sids: string[]) =>
      sids.map((sid) => findVersion(s, sid)).filter((v): v is VersionRecord => !!v).map(buildVersionSummary);
    const sid = newSid(SidPrefix.build);
    const url = `${serviceUrl(s.json.sid)}/Builds/${sid}`;
    const b: BuildRecord = {
      json: {
        sid,
        account_sid: state.accountSid,
        service_sid: s.json.sid,
        status: 'building',
        asset_versions: summaries(av),
        function_versions: summaries(fv),
        dependencies,
        runtime,
        date_created: now(),
        date_updated: now(),
        url,
        links: { build_status: `${url}/Status` },
      },
      functionVersionSids: fv,
      assetVersionSids: av,
    };
    s.builds.set(sid, b);
    return created(structuredClone(b.json));
  });
  add('GET', `${S}/Builds`, (req) => {
    const s = service(req);
    const builds = [...s.builds.values()];
    for (const b of builds) settleBuild(state, s, b);
    return ok(pageV1(req, 'builds', builds.map((b) => b.json).reverse()));
  });
  add('GET', `${S}/Builds/{Sid}`, (req) => ok(build(req).b.json));
  add('GET', `${S}/Builds/{Sid}/Status`, (req) => {
    const { s, b } = build(req);
    return ok({
      sid: b.json.sid,
      account_sid: state.accountSid,
      service_sid: s.json.sid,
      status: b.json.status,
      url: `${b.json.url as string}/Status`,
    });
  });
  add('DELETE', `${S}/Builds/{Sid}`, (req) => {
    const { s, b } = build(req);
    for (const e of s.environments.values()) {
      if (e.json.build_sid === b.json.sid) throw conflict(`Build ${b.json.sid} is deployed to ${e.json.unique_name}`);
    }
    s.builds.delete(b.json.sid);
    return noContent();
  });

  // ---- Deployments ---------------------------------------------------------------------------
  const E = `${S}/Environments/{EnvironmentSid}`;
  add('POST', `${E}/Deployments`, (req) => {
    const { s, e } = environment(req);
    const buildSid = req.form.get('BuildSid');
    if (buildSid) {
      const b = s.builds.get(buildSid);
      if (!b) throw notFound(`/v1/Services/${s.json.sid}/Builds/${buildSid}`);
      settleBuild(state, s, b);
      if (b.json.status !== 'completed') {
        throw invalid(`Build ${buildSid} cannot be deployed: its status is ${b.json.status}`);
      }
      // Twilio refuses to deploy the build that is already live in the environment (409 Conflict,
      // twilio-labs/serverless-api#28). Variables need no redeploy: Functions read them live.
      if (e.json.build_sid === buildSid) {
        throw conflict(`Build ${buildSid} is already deployed to environment ${e.json.unique_name}`);
      }
    }
    const sid = newSid(SidPrefix.deployment);
    const json = {
      sid,
      account_sid: state.accountSid,
      service_sid: s.json.sid,
      environment_sid: e.json.sid,
      build_sid: buildSid ?? null,
      date_created: now(),
      date_updated: now(),
      url: `${e.json.url as string}/Deployments/${sid}`,
    };
    e.deployments.set(sid, { json });
    e.json.build_sid = buildSid ?? null;
    e.json.date_updated = now();
    if (buildSid) state.events.emit('deployment.created', { service: s, environment: e, buildSid });
    return created(json);
  });
  add('GET', `${E}/Deployments`, (req) =>
    ok(pageV1(req, 'deployments', [...environment(req).e.deployments.values()].map((d) => d.json).reverse())),
  );
  add('GET', `${E}/Deployments/{Sid}`, (req) => {
    const d = environment(req).e.deployments.get(req.params.Sid ?? '');
    if (!d) throw notFound(req.path);
    return ok(d.json);
  });

  // ---- Variables -----------------------------------------------------------------------------
  const checkKey = (key: string) => {
    if (key.length > 128) throw invalid('Key must be at most 128 characters');
  };
  const checkValue = (value: string) => {
    if (Buffer.byteLength(value, 'utf8') > 450) throw invalid('Value must be at most 450 bytes');
  };
  const variable = (req: RestRequest) => {
    const { e } = environment(req);
    const v = e.variables.get(req.params.Sid ?? '');
    if (!v) throw notFound(req.path);
    return { e, v };
  };
  add('POST', `${E}/Variables`, (req) => {
    const { s, e } = environment(req);
    const key = req.form.required('Key');
    const value = req.form.get('Value');
    if (value === undefined) throw missing('Value');
    checkKey(key);
    checkValue(value);
    for (const v of e.variables.values()) if (v.json.key === key) throw conflict(`Variable with Key ${key} already exists`);
    const sid = newSid(SidPrefix.variable);
    const json = {
      sid,
      account_sid: state.accountSid,
      service_sid: s.json.sid,
      environment_sid: e.json.sid,
      key,
      value,
      date_created: now(),
      date_updated: now(),
      url: `${e.json.url as string}/Variables/${sid}`,
    };
    e.variables.set(sid, { json });
    return created(json);
  });
  add('GET', `${E}/Variables`, (req) =>
    ok(pageV1(req, 'variables', [...environment(req).e.variables.values()].map((v) => v.json))),
  );
  add('GET', `${E}/Variables/{Sid}`, (req) => ok(variable(req).v.json));
  add('POST', `${E}/Variables/{Sid}`, (req) => {
    const { e, v } = variable(req);
    const key = req.form.get('Key');
    const value = req.form.get('Value');
    if (key !== undefined) {
      checkKey(key);
      for (const other of e.variables.values()) {
        if (other !== v && other.json.key === key) throw conflict(`Variable with Key ${key} already exists`);
      }
      v.json.key = key;
    }
    if (value !== undefined) {
      checkValue(value);
      v.json.value = value;
    }
    v.json.date_updated = now();
    return ok(v.json);
  });
  add('DELETE', `${E}/Variables/{Sid}`, (req) => {
    const { e, v } = variable(req);
    e.variables.delete(v.json.sid);
    return noContent();
  });

  // ---- Logs: what the environment's Functions wrote (records/function-logs.ts), newest first.
  // StartDate defaults to a day before now and EndDate to now, as Twilio documents.
  add('GET', `${E}/Logs`, (req) => {
    const { e } = environment(req);
    const nowMs = state.now().getTime();
    const from = dateParam(req.query, 'StartDate') ?? nowMs - DAY_MS;
    const to = dateParam(req.query, 'EndDate', true) ?? nowMs;
    const fn = req.query.get('FunctionSid');
    const logs = expire(e.logs, nowMs)
      .filter((l) => state.readable(l.atMs) && l.atMs >= from && l.atMs <= to && (fn === undefined || l.json.function_sid === fn))
      .reverse();
    return ok(pageV1(req, 'logs', logs.map((l) => l.json)));
  });
  add('GET', `${E}/Logs/{Sid}`, (req) => {
    const { e } = environment(req);
    const log = expire(e.logs, state.now().getTime()).find((l) => l.json.sid === req.params.Sid && state.readable(l.atMs));
    if (!log) throw notFound(req.path);
    return ok(log.json);
  });
}
