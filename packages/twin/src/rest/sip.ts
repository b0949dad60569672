// api.twilio.com/2010-04-01 SIP: domains, credential lists, credentials, and the Auth/Calls and
// Auth/Registrations credential-list mappings.
import { rfc2822 } from '../clock.js';
import { conflict, notFound, TwinError } from '../errors.js';
import { accountPath, API_VERSION } from '../model/voice.js';
import { page2010 } from '../paging.js';
import type { Params } from '../params.js';
import type { RestRequest, RestResponse, Router } from '../router.js';
import { newSid, SidPrefix } from '../sids.js';
import type { CredentialListRecord, MappingKind, SipDomainRecord, TwinState } from '../state.js';
import { created, isUrlOrEmpty, noContent, ok } from './respond.js';

const A = '/2010-04-01/Accounts/{AccountSid}';
const DOMAIN_NAME = /^[A-Za-z0-9-]+\.sip\.twilio\.com$/;

function bad(code: number, message: string): TwinError {
  return new TwinError(400, code, message);
}

/** Twilio's SIP credential password rules. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 12) return 'must be at least 12 characters long';
  if (!/\d/.test(password)) return 'must contain at least one digit';
  if (!/[a-z]/.test(password) || !/[A-Z]/.test(password)) return 'must contain both upper and lower case letters';
  return undefined;
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw bad(21622, `Password is not strong enough: it ${problem} (at least 12 characters, a digit, mixed case)`);
}

export function registerSip(router: Router, state: TwinState): void {
  const add = (m: 'GET' | 'POST' | 'DELETE', pattern: string, h: (req: RestRequest) => RestResponse) =>
    router.add('api', m, pattern, h);
  const now = () => rfc2822(state.now());

  // ---- Domains -------------------------------------------------------------------------------
  const domain = (req: RestRequest, key = 'Sid'): SipDomainRecord => {
    const d = state.sipDomains.get(req.params[key] ?? '');
    if (!d) throw notFound(req.path);
    return d;
  };
  const authType = (d: SipDomainRecord): string => (d.mappings.calls.size ? 'CREDENTIAL_LIST' : '');
  const applyDomainParams = (d: SipDomainRecord, f: Params) => {
    const j = d.json;
    const fields: Array<[string, string, 'url' | 'method' | 'bool' | 'string']> = [
      ['FriendlyName', 'friendly_name', 'string'],
      ['VoiceUrl', 'voice_url', 'url'],
      ['VoiceMethod', 'voice_method', 'method'],
      ['VoiceFallbackUrl', 'voice_fallback_url', 'url'],
      ['VoiceFallbackMethod', 'voice_fallback_method', 'method'],
      ['VoiceStatusCallbackUrl', 'voice_status_callback_url', 'url'],
      ['VoiceStatusCallbackMethod', 'voice_status_callback_method', 'method'],
      ['SipRegistration', 'sip_registration', 'bool'],
      ['EmergencyCallingEnabled', 'emergency_calling_enabled', 'bool'],
      ['Secure', 'secure', 'bool'],
      ['ByocTrunkSid', 'byoc_trunk_sid', 'string'],
      ['EmergencyCallerSid', 'emergency_caller_sid', 'string'],
    ];
    f.maxLength('FriendlyName', 64);
    for (const [param, field, kind] of fields) {
      if (!f.has(param)) continue;
      const v = f.get(param) ?? '';
      if (kind === 'bool') j[field] = f.bool(param);
      else if (kind === 'url') {
        if (!isUrlOrEmpty(v)) throw bad(21502, `Invalid ${param}: '${v}' is not a valid URL`);
        j[field] = v || null;
      } else if (kind === 'method') {
        if (!['GET', 'POST'].includes(v.toUpperCase())) throw bad(21403, `Invalid ${param}: '${v}' must be GET or POST`);
        j[field] = v.toUpperCase();
      } else j[field] = v || null;
    }
  };
  add('POST', `${A}/SIP/Domains.json`, (req) => {
    const f = req.form;
    const name = f.get('DomainName');
    if (!name) throw bad(21201, 'DomainName is required');
    if (!DOMAIN_NAME.test(name)) {
      throw bad(21232, `Invalid DomainName '${name}': use letters, digits and '-', ending with sip.twilio.com`);
    }
    for (const d of state.sipDomains.values()) {
      if (d.json.domain_name.toLowerCase() === name.toLowerCase()) throw conflict(`The domain name ${name} is already in use`);
    }
    const sid = newSid(SidPrefix.sipDomain);
    const base = `${accountPath(state)}/SIP/Domains/${sid}`;
    const d: SipDomainRecord = {
      json: {
        account_sid: state.accountSid,
        api_version: API_VERSION,
        auth_type: '',
        date_created: now(),
        date_updated: now(),
        domain_name: name,
        friendly_name: name,
        sid,
        uri: `${base}.json`,
        voice_fallback_method: 'POST',
        voice_fallback_url: null,
        voice_method: 'POST',
        voice_status_callback_method: 'POST',
        voice_status_callback_url: null,
        voice_url: null,
        subresource_uris: {
          credential_list_mappings: `${base}/CredentialListMappings.json`,
          ip_access_control_list_mappings: `${base}/IpAccessControlListMappings.json`,
        },
        sip_registration: false,
        emergency_calling_enabled: false,
        secure: false,
        byoc_trunk_sid: null,
        emergency_caller_sid: null,
      },
      mappings: { calls: new Map(), registrations: new Map() },
    };
    applyDomainParams(d, f);
    state.sipDomains.set(sid, d);
    return created(d.json);
  });
  add('GET', `${A}/SIP/Domains.json`, (req) =>
    ok(page2010(req, 'domains', [...state.sipDomains.values()].map((d) => d.json))),
  );
  add('GET', `${A}/SIP/Domains/{Sid}.json`, (req) => ok(domain(req).json));
  add('POST', `${A}/SIP/Domains/{Sid}.json`, (req) => {
    const d = domain(req);
    if (req.form.has('DomainName')) {
      const name = req.form.get('DomainName') ?? '';
      if (!DOMAIN_NAME.test(name)) throw bad(21232, `Invalid DomainName '${name}'`);
      for (const other of state.sipDomains.values()) {
        if (other !== d && other.json.domain_name.toLowerCase() === name.toLowerCase()) {
          throw conflict(`The domain name ${name} is already in use`);
        }
      }
      d.json.domain_name = name;
    }
    applyDomainParams(d, req.form);
    d.json.date_updated = now();
    return ok(d.json);
  });
  add('DELETE', `${A}/SIP/Domains/{Sid}.json`, (req) => {
    domain(req);
    state.sipDomains.delete(req.params.Sid ?? '');
    return noContent();
  });

  // ---- Credential list mappings (Auth/Calls and Auth/Registrations) ----------------------------
  for (const kind of ['calls', 'registrations'] as MappingKind[]) {
    const seg = kind === 'calls' ? 'Calls' : 'Registrations';
    const base = `${A}/SIP/Domains/{DomainSid}/Auth/${seg}/CredentialListMappings`;
    const view = (clSid: string, dates: { date_created: string; date_updated: string }) => ({
      account_sid: state.accountSid,
      date_created: dates.date_created,
      date_updated: dates.date_updated,
      friendly_name: state.credentialLists.get(clSid)?.json.friendly_name ?? null,
      sid: clSid,
    });
    add('POST', `${base}.json`, (req) => {
      const d = domain(req, 'DomainSid');
      const clSid = req.form.get('CredentialListSid');
      if (!clSid) throw bad(21201, 'CredentialListSid is required');
      if (!state.credentialLists.has(clSid)) throw notFound(`${accountPath(state)}/SIP/CredentialLists/${clSid}.json`);
      if (d.mappings[kind].has(clSid)) throw conflict(`Credential list ${clSid} is already mapped to this domain`);
      const dates = { date_created: now(), date_updated: now() };
      d.mappings[kind].set(clSid, dates);
      d.json.auth_type = authType(d);
      return created(view(clSid, dates));
    });
    add('GET', `${base}.json`, (req) => {
      const d = domain(req, 'DomainSid');
      return ok(page2010(req, 'contents', [...d.mappings[kind]].map(([sid, dates]) => view(sid, dates))));
    });
    add('GET', `${base}/{Sid}.json`, (req) => {
      const d = domain(req, 'DomainSid');
      const dates = d.mappings[kind].get(req.params.Sid ?? '');
      if (!dates) throw notFound(req.path);
      return ok(view(req.params.Sid ?? '', dates));
    });
    add('DELETE', `${base}/{Sid}.json`, (req) => {
      const d = domain(req, 'DomainSid');
      if (!d.mappings[kind].delete(req.params.Sid ?? '')) throw notFound(req.path);
      d.json.auth_type = authType(d);
      return noContent();
    });
  }

  // ---- Credential lists and credentials --------------------------------------------------------
  const list = (req: RestRequest, key = 'Sid'): CredentialListRecord => {
    const l = state.credentialLists.get(req.params[key] ?? '');
    if (!l) throw notFound(req.path);
    return l;
  };
  add('POST', `${A}/SIP/CredentialLists.json`, (req) => {
    const name = req.form.get('FriendlyName');
    if (!name) throw bad(21201, 'FriendlyName is required');
    req.form.maxLength('FriendlyName', 64);
    const sid = newSid(SidPrefix.credentialList);
    const base = `${accountPath(state)}/SIP/CredentialLists/${sid}`;
    const l: CredentialListRecord = {
      json: {
        account_sid: state.accountSid,
        date_created: now(),
        date_updated: now(),
        friendly_name: name,
        sid,
        subresource_uris: { credentials: `${base}/Credentials.json` },
        uri: `${base}.json`,
      },
      credentials: new Map(),
    };
    state.credentialLists.set(sid, l);
    return created(l.json);
  });
  add('GET', `${A}/SIP/CredentialLists.json`, (req) =>
    ok(page2010(req, 'credential_lists', [...state.credentialLists.values()].map((l) => l.json))),
  );
  add('GET', `${A}/SIP/CredentialLists/{Sid}.json`, (req) => ok(list(req).json));
  add('POST', `${A}/SIP/CredentialLists/{Sid}.json`, (req) => {
    const l = list(req);
    const name = req.form.get('FriendlyName');
    if (!name) throw bad(21201, 'FriendlyName is required');
    req.form.maxLength('FriendlyName', 64);
    l.json.friendly_name = name;
    l.json.date_updated = now();
    return ok(l.json);
  });
  add('DELETE', `${A}/SIP/CredentialLists/{Sid}.json`, (req) => {
    list(req);
    const sid = req.params.Sid ?? '';
    state.credentialLists.delete(sid);
    for (const d of state.sipDomains.values()) {
      d.mappings.calls.delete(sid);
      d.mappings.registrations.delete(sid);
      d.json.auth_type = authType(d);
    }
    return noContent();
  });

  const credential = (req: RestRequest) => {
    const l = list(req, 'CredentialListSid');
    const c = l.credentials.get(req.params.Sid ?? '');
    if (!c) throw notFound(req.path);
    return c;
  };
  add('POST', `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials.json`, (req) => {
    const l = list(req, 'CredentialListSid');
    const username = req.form.get('Username');
    if (!username) throw bad(21201, 'Username is required');
    if (username.length > 32) throw bad(21621, 'Username must be at most 32 characters');
    const password = req.form.get('Password');
    if (!password) throw bad(21201, 'Password is required');
    checkPassword(password);
    for (const c of l.credentials.values()) {
      if (c.json.username === username) throw conflict(`Username ${username} already exists in this credential list`);
    }
    const sid = newSid(SidPrefix.credential);
    const json = {
      account_sid: state.accountSid,
      credential_list_sid: l.json.sid,
      date_created: now(),
      date_updated: now(),
      sid,
      uri: `${accountPath(state)}/SIP/CredentialLists/${l.json.sid}/Credentials/${sid}.json`,
      username,
    };
    l.credentials.set(sid, { json, password });
    return created(json);
  });
  add('GET', `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials.json`, (req) => {
    const l = list(req, 'CredentialListSid');
    return ok(page2010(req, 'credentials', [...l.credentials.values()].map((c) => c.json)));
  });
  add('GET', `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`, (req) => ok(credential(req).json));
  add('POST', `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`, (req) => {
    const c = credential(req);
    const password = req.form.get('Password');
    if (password !== undefined) {
      checkPassword(password);
      c.password = password;
    }
    c.json.date_updated = now();
    return ok(c.json);
  });
  add('DELETE', `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`, (req) => {
    const l = list(req, 'CredentialListSid');
    if (!l.credentials.delete(req.params.Sid ?? '')) throw notFound(req.path);
    return noContent();
  });
}
