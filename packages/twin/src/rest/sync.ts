// sync.twilio.com/v1: Sync Services and their Documents, with conditional updates. Every
// Document response carries an ETag equal to its revision; an update or delete sent with an
// If-Match that is not the current revision is refused (412, 54103), so two writers that read the
// same revision cannot both win. Unique names address a Document like its SID.
// Lists: append-only item logs (create, fetch, add an item, read items in either order), each item
// with its own TTL recorded in date_expires; nothing is evicted (as for Documents).
import { iso8601 } from '../clock.js';
import { invalid, TwinError } from '../errors.js';
import { pageV1 } from '../paging.js';
import type { RestRequest, RestResponse, Router } from '../router.js';
import { newSid, SidPrefix } from '../sids.js';
import type { SyncDocumentRecord, SyncListRecord, SyncServiceRecord, TwinState } from '../state.js';
import { created, isUrlOrEmpty, noContent, ok } from './respond.js';

const SYNC = 'https://sync.twilio.com/v1';
/** "It's a single JSON object, up to 16KiB in size" (Sync Document resource). */
const MAX_DATA_BYTES = 16 * 1024;
/** Ttl: 0 (never expires) up to a year, in seconds (Sync Document resource). */
const MAX_TTL = 31_536_000;
const MAX_UNIQUE_NAME = 320;

const serviceNotFound = (sid: string) => new TwinError(404, 20404, `The requested resource /Services/${sid} was not found`);
const documentNotFound = (sid: string) => new TwinError(404, 54100, `Document not found: ${sid}`);
const listNotFound = (sid: string) => new TwinError(404, 54150, `List not found: ${sid}`);

/** Data: a JSON object (Sync rejects anything that is not one). */
function parseData(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  if (Buffer.byteLength(raw, 'utf8') > MAX_DATA_BYTES) throw new TwinError(400, 54006, 'Document data is too large: the limit is 16 KiB');
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw invalid('Invalid Data: it is not valid JSON');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw invalid('Invalid Data: a Document holds a JSON object');
  return data as Record<string, unknown>;
}

export function registerSync(router: Router, state: TwinState): void {
  const add = (m: 'GET' | 'POST' | 'DELETE', pattern: string, h: (req: RestRequest) => RestResponse) => router.add('sync', m, pattern, h);
  const now = () => iso8601(state.now());

  const service = (sid: string | undefined): SyncServiceRecord => {
    const s = state.syncServices.get(sid ?? '');
    if (!s) throw serviceNotFound(sid ?? '');
    return s;
  };
  const document = (s: SyncServiceRecord, sidOrName: string | undefined): SyncDocumentRecord => {
    const key = sidOrName ?? '';
    const d = s.documents.get(key) ?? [...s.documents.values()].find((x) => x.json.unique_name === key);
    if (!d) throw documentNotFound(key);
    return d;
  };
  const withEtag = (status: number, d: SyncDocumentRecord): RestResponse => ({ status, body: d.json, headers: { ETag: d.json.revision } });
  /** If-Match, when sent, must name the current revision. */
  const checkIfMatch = (req: RestRequest, d: SyncDocumentRecord) => {
    const wanted = req.headers['if-match'];
    if (wanted === undefined) return;
    if (wanted.trim() === '') throw new TwinError(400, 54003, 'Invalid If-Match header');
    if (wanted !== d.json.revision) {
      throw new TwinError(412, 54103, `The revision of the Document does not match the expected revision (expected ${wanted}, actual ${d.json.revision})`);
    }
  };
  const ttlExpiry = (req: RestRequest): string | null | undefined => {
    const ttl = req.form.int('Ttl', 0, MAX_TTL);
    if (ttl === undefined) return undefined;
    return ttl === 0 ? null : iso8601(new Date(state.now().getTime() + ttl * 1000));
  };
  const applyServiceFields = (s: SyncServiceRecord, req: RestRequest) => {
    const f = req.form;
    const friendly = f.maxLength('FriendlyName', 64);
    if (friendly !== undefined) s.json.friendly_name = friendly;
    const webhook = f.get('WebhookUrl');
    if (webhook !== undefined) {
      if (!isUrlOrEmpty(webhook)) throw invalid(`Invalid WebhookUrl: ${webhook}`);
      s.json.webhook_url = webhook === '' ? null : webhook;
    }
    const bools: Array<[string, string]> = [
      ['ReachabilityWebhooksEnabled', 'reachability_webhooks_enabled'],
      ['AclEnabled', 'acl_enabled'],
      ['ReachabilityDebouncingEnabled', 'reachability_debouncing_enabled'],
      ['WebhooksFromRestEnabled', 'webhooks_from_rest_enabled'],
    ];
    for (const [param, field] of bools) {
      const v = f.bool(param);
      if (v !== undefined) s.json[field] = v;
    }
    const window = f.int('ReachabilityDebouncingWindow', 1000, 30000);
    if (window !== undefined) s.json.reachability_debouncing_window = window;
  };

  add('POST', '/v1/Services', (req) => {
    const sid = newSid(SidPrefix.syncService);
    const url = `${SYNC}/Services/${sid}`;
    const stamp = now();
    const s: SyncServiceRecord = {
      json: {
        sid,
        unique_name: null,
        account_sid: state.accountSid,
        friendly_name: null,
        date_created: stamp,
        date_updated: stamp,
        url,
        webhook_url: null,
        webhooks_from_rest_enabled: false,
        reachability_webhooks_enabled: false,
        acl_enabled: false,
        reachability_debouncing_enabled: false,
        reachability_debouncing_window: 5000,
        links: { documents: `${url}/Documents`, lists: `${url}/Lists`, maps: `${url}/Maps`, streams: `${url}/Streams` },
      },
      documents: new Map(),
      lists: new Map(),
    };
    applyServiceFields(s, req);
    state.syncServices.set(sid, s);
    return created(s.json);
  });
  add('GET', '/v1/Services', (req) => ok(pageV1(req, 'services', [...state.syncServices.values()].map((s) => s.json))));
  add('GET', '/v1/Services/{Sid}', (req) => ok(service(req.params.Sid).json));
  add('POST', '/v1/Services/{Sid}', (req) => {
    const s = service(req.params.Sid);
    applyServiceFields(s, req);
    s.json.date_updated = now();
    return ok(s.json);
  });
  add('DELETE', '/v1/Services/{Sid}', (req) => {
    state.syncServices.delete(service(req.params.Sid).json.sid);
    return noContent();
  });

  /** A create's UniqueName, checked: well formed (not SID-shaped) and not taken among `taken`. */
  const newUniqueName = (req: RestRequest, taken: Iterable<{ json: { unique_name: string | null } }>): string | undefined => {
    const uniqueName = req.form.get('UniqueName');
    if (uniqueName === undefined) return undefined;
    if (uniqueName === '' || uniqueName.length > MAX_UNIQUE_NAME || /^[A-Z]{2}[a-f0-9]{32}$/.test(uniqueName)) {
      throw new TwinError(400, 54302, `Invalid unique name: ${uniqueName}`);
    }
    if ([...taken].some((r) => r.json.unique_name === uniqueName)) {
      throw new TwinError(409, 54301, `Unique name already exists: ${uniqueName}`);
    }
    return uniqueName;
  };
  add('POST', '/v1/Services/{ServiceSid}/Documents', (req) => {
    const s = service(req.params.ServiceSid);
    const uniqueName = newUniqueName(req, s.documents.values());
    const data = parseData(req.form.get('Data')) ?? {};
    const expires = ttlExpiry(req) ?? null;
    const sid = newSid(SidPrefix.syncDocument);
    const url = `${SYNC}/Services/${s.json.sid}/Documents/${sid}`;
    const stamp = now();
    const d: SyncDocumentRecord = {
      json: {
        sid,
        unique_name: uniqueName ?? null,
        account_sid: state.accountSid,
        service_sid: s.json.sid,
        url,
        links: { permissions: `${url}/Permissions` },
        revision: '0',
        data,
        date_expires: expires,
        date_created: stamp,
        date_updated: stamp,
        created_by: 'system',
      },
    };
    s.documents.set(sid, d);
    return withEtag(201, d);
  });
  add('GET', '/v1/Services/{ServiceSid}/Documents', (req) => {
    const s = service(req.params.ServiceSid);
    return ok(pageV1(req, 'documents', [...s.documents.values()].map((d) => d.json)));
  });
  add('GET', '/v1/Services/{ServiceSid}/Documents/{Sid}', (req) => withEtag(200, document(service(req.params.ServiceSid), req.params.Sid)));
  add('POST', '/v1/Services/{ServiceSid}/Documents/{Sid}', (req) => {
    const d = document(service(req.params.ServiceSid), req.params.Sid);
    checkIfMatch(req, d);
    const data = parseData(req.form.get('Data'));
    const expires = ttlExpiry(req);
    if (data === undefined && expires === undefined) throw invalid('Data or Ttl is required');
    if (data !== undefined) d.json.data = data;
    if (expires !== undefined) d.json.date_expires = expires;
    d.json.revision = String(Number(d.json.revision) + 1);
    d.json.date_updated = now();
    return withEtag(200, d);
  });
  add('DELETE', '/v1/Services/{ServiceSid}/Documents/{Sid}', (req) => {
    const s = service(req.params.ServiceSid);
    const d = document(s, req.params.Sid);
    checkIfMatch(req, d);
    s.documents.delete(d.json.sid);
    return noContent();
  });
  const list = (s: SyncServiceRecord, sidOrName: string | undefined): SyncListRecord => {
    const key = sidOrName ?? '';
    const l = s.lists.get(key) ?? [...s.lists.values()].find((x) => x.json.unique_name === key);
    if (!l) throw listNotFound(key);
    return l;
  };
  /** ItemTtl, or its alias Ttl (ignored when both are sent, as documented). */
  const itemExpiry = (req: RestRequest): string | null => {
    const ttl = req.form.int('ItemTtl', 0, MAX_TTL) ?? req.form.int('Ttl', 0, MAX_TTL) ?? 0;
    return ttl === 0 ? null : iso8601(new Date(state.now().getTime() + ttl * 1000));
  };

  add('POST', '/v1/Services/{ServiceSid}/Lists', (req) => {
    const s = service(req.params.ServiceSid);
    const uniqueName = newUniqueName(req, s.lists.values());
    const expires = ttlExpiry(req) ?? null;
    const sid = newSid(SidPrefix.syncList);
    const url = `${SYNC}/Services/${s.json.sid}/Lists/${sid}`;
    const stamp = now();
    const l: SyncListRecord = {
      json: {
        sid,
        unique_name: uniqueName ?? null,
        account_sid: state.accountSid,
        service_sid: s.json.sid,
        url,
        links: { items: `${url}/Items`, permissions: `${url}/Permissions` },
        revision: '0',
        date_expires: expires,
        date_created: stamp,
        date_updated: stamp,
        created_by: 'system',
      },
      items: [],
      nextIndex: 0,
    };
    s.lists.set(sid, l);
    return created(l.json);
  });
  add('GET', '/v1/Services/{ServiceSid}/Lists/{Sid}', (req) => ok(list(service(req.params.ServiceSid), req.params.Sid).json));
  add('POST', '/v1/Services/{ServiceSid}/Lists/{ListSid}/Items', (req) => {
    const s = service(req.params.ServiceSid);
    const l = list(s, req.params.ListSid);
    const data = parseData(req.form.get('Data'));
    if (data === undefined) throw invalid('Data is required');
    const index = l.nextIndex++;
    const stamp = now();
    const item = {
      json: {
        index,
        account_sid: state.accountSid,
        service_sid: s.json.sid,
        list_sid: l.json.sid,
        url: `${SYNC}/Services/${s.json.sid}/Lists/${l.json.sid}/Items/${index}`,
        revision: '0',
        data,
        date_expires: itemExpiry(req),
        date_created: stamp,
        date_updated: stamp,
        created_by: 'system',
      },
    };
    l.items.push(item);
    l.json.revision = String(Number(l.json.revision) + 1);
    l.json.date_updated = stamp;
    return created(item.json);
  });
  add('GET', '/v1/Services/{ServiceSid}/Lists/{ListSid}/Items', (req) => {
    const l = list(service(req.params.ServiceSid), req.params.ListSid);
    const order = req.query.get('Order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') throw invalid(`Invalid Order: ${order}`);
    const items = l.items.map((i) => i.json);
    return ok(pageV1(req, 'items', order === 'desc' ? items.reverse() : items));
  });
}
