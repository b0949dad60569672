// The admin API under /_twin/: seed numbers, read the request log, inject faults, account
// settings (calls per second), reset, and snapshots of the whole account (take one, restore it).
// It is for local tools and tests, so it takes JSON and needs no credentials.
import type { Fault, FaultSpec } from './faults.js';
import { checkFaultSpec } from './faults.js';
import { E164 } from './model/voice.js';
import type { LoggedRequest } from './request-log.js';
import { SnapshotError, type TwinSnapshot } from './snapshot.js';
import type { IncomingPhoneNumberJson, OutgoingCallerIdJson } from './state.js';
import { checkHostMapping, HostMappingError, type HostMapping } from './voice/hosts.js';

export interface TwinAdmin {
  info(): Record<string, unknown>;
  seedNumbers(numbers: Array<{ phoneNumber: string; friendlyName?: string | undefined }>): IncomingPhoneNumberJson[];
  /** Verified caller IDs (Twilio's OutgoingCallerIds): added directly, without a validation call. */
  verifyCallerIds(numbers: Array<{ phoneNumber: string; friendlyName?: string | undefined }>): OutgoingCallerIdJson[];
  callerIds(): OutgoingCallerIdJson[];
  requests(): LoggedRequest[];
  clearRequests(): void;
  addFault(spec: FaultSpec): Fault;
  faults(): Fault[];
  clearFaults(): void;
  reset(): void;
  /** Public hosts whose requests go to local addresses (signed for the public URL). */
  hosts(): HostMapping[];
  mapHost(host: string, target: string): HostMapping;
  unmapHost(host: string): boolean;
  clearHosts(): void;
  /** The account's settings and its outbound call queue (GET /_twin/account). */
  account(): AccountInfo;
  /** Changes account settings: {cps} (POST /_twin/account); throws on a bad value. */
  setAccount(patch: { cps?: unknown }): AccountInfo;
  /** A copy of every resource, the account settings and the host mappings (GET /_twin/snapshot). */
  snapshot(): TwinSnapshot;
  /**
   * Resets the twin and loads a snapshot of the same account into it, a fresh copy each time
   * (POST /_twin/restore); the clock stays the twin's own. Throws SnapshotError on a bad one.
   */
  restore(snapshot: TwinSnapshot): void;
}

export interface AccountInfo {
  account_sid: string;
  /** Calls per second for REST-created calls (Twilio's default: 1). */
  cps: number;
  /** When a call created now would leave the queue (null: at once), virtual time. */
  queued_until: string | null;
  /** The queue_time (ms) a call created now would report. */
  queue_time: number;
}

export interface AdminResponse {
  status: number;
  body?: unknown;
}

function error(status: number, message: string): AdminResponse {
  return { status, body: { error: message } };
}

function numbersFrom(body: unknown, key = 'numbers'): Array<{ phoneNumber: string; friendlyName?: string }> {
  const b = (body ?? {}) as Record<string, unknown>;
  const raw: unknown[] = Array.isArray(b[key]) ? (b[key] as unknown[]) : [b];
  return raw.map((item) => {
    if (typeof item === 'string') return { phoneNumber: item };
    const o = (item ?? {}) as Record<string, unknown>;
    const phoneNumber = o.phoneNumber ?? o.phone_number;
    const friendlyName = o.friendlyName ?? o.friendly_name;
    return {
      phoneNumber: typeof phoneNumber === 'string' ? phoneNumber : '',
      ...(typeof friendlyName === 'string' ? { friendlyName } : {}),
    };
  });
}

/** `{"host","target"}`, `{"hosts": [{host, target}…]}` or `{"hosts": {"host": "target"}}`. */
function mappingsFrom(body: unknown): HostMapping[] {
  const b = (body ?? {}) as Record<string, unknown>;
  const raw: unknown[] =
    b.hosts === undefined
      ? [b]
      : Array.isArray(b.hosts)
        ? b.hosts
        : typeof b.hosts === 'object' && b.hosts
          ? Object.entries(b.hosts).map(([host, target]) => ({ host, target }))
          : [];
  if (!raw.length) throw new HostMappingError('give {"host":"buzz.example.org","target":"http://127.0.0.1:8080"} or {"hosts":[…]}');
  return raw.map((item) => {
    const o = (item ?? {}) as Record<string, unknown>;
    return checkHostMapping(o.host, o.target);
  });
}

const HOST_PATH = /^\/_twin\/hosts\/([^/]+)$/;

export function handleAdmin(admin: TwinAdmin, method: string, path: string, body: unknown): AdminResponse {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  const hostPath = HOST_PATH.exec(path.replace(/\/+$/, ''));
  if (hostPath && method === 'DELETE') {
    const host = decodeURIComponent(hostPath[1]!);
    return admin.unmapHost(host) ? { status: 204 } : error(404, `${host} is not mapped; GET /_twin/hosts lists the mappings`);
  }
  switch (route) {
    case 'GET /_twin/hosts':
      return { status: 200, body: { hosts: admin.hosts() } };
    case 'POST /_twin/hosts': {
      let mappings: HostMapping[];
      try {
        mappings = mappingsFrom(body);
      } catch (e) {
        return error(400, (e as Error).message);
      }
      const made = mappings.map((m) => admin.mapHost(m.host, m.target));
      const b = (body ?? {}) as Record<string, unknown>;
      return { status: 201, body: b.hosts === undefined ? made[0] : { hosts: made } };
    }
    case 'DELETE /_twin/hosts':
      admin.clearHosts();
      return { status: 204 };
    case 'GET /_twin':
    case 'GET /_twin/info':
      return { status: 200, body: admin.info() };
    case 'POST /_twin/numbers': {
      const numbers = numbersFrom(body);
      const bad = numbers.filter((n) => !E164.test(n.phoneNumber));
      if (!numbers.length || bad.length) {
        return error(400, 'give {"phoneNumber":"+15551234567"} or {"numbers":["+1…", …]} with E.164 numbers');
      }
      return { status: 201, body: { numbers: admin.seedNumbers(numbers) } };
    }
    case 'GET /_twin/caller-ids':
      return { status: 200, body: { caller_ids: admin.callerIds() } };
    case 'POST /_twin/caller-ids': {
      const numbers = numbersFrom(body, 'callerIds');
      const bad = numbers.filter((n) => !E164.test(n.phoneNumber) || (n.friendlyName?.length ?? 0) > 64);
      if (!numbers.length || bad.length) {
        return error(400, 'give {"phoneNumber":"+15551234567","friendlyName"?:"…"} or {"callerIds":["+1…", …]} with E.164 numbers (friendly names up to 64 characters)');
      }
      return { status: 201, body: { caller_ids: admin.verifyCallerIds(numbers) } };
    }
    case 'GET /_twin/requests':
      return { status: 200, body: { requests: admin.requests() } };
    case 'DELETE /_twin/requests':
      admin.clearRequests();
      return { status: 204 };
    case 'POST /_twin/faults':
      try {
        return { status: 201, body: admin.addFault(checkFaultSpec(body)) };
      } catch (e) {
        return error(400, (e as Error).message);
      }
    case 'GET /_twin/faults':
      return { status: 200, body: { faults: admin.faults() } };
    case 'DELETE /_twin/faults':
      admin.clearFaults();
      return { status: 204 };
    case 'GET /_twin/account':
      return { status: 200, body: admin.account() };
    case 'POST /_twin/account': {
      const b = (body ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(b).filter((k) => k !== 'cps');
      if (unknown.length || b.cps === undefined) return error(400, `give {"cps": N}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
      try {
        return { status: 200, body: admin.setAccount({ cps: b.cps }) };
      } catch (e) {
        return error(400, (e as Error).message);
      }
    }
    case 'GET /_twin/snapshot': {
      const snap = admin.snapshot();
      return { status: 200, body: { account_sid: snap.accountSid, taken_at: snap.takenAt, snapshot: snap.data.toString('base64') } };
    }
    case 'POST /_twin/restore': {
      const b = (body ?? {}) as Record<string, unknown>;
      if (typeof b.snapshot !== 'string' || typeof b.account_sid !== 'string') {
        return error(400, 'give the body GET /_twin/snapshot returned: {"account_sid","taken_at","snapshot"}');
      }
      try {
        admin.restore({ accountSid: b.account_sid, takenAt: String(b.taken_at ?? ''), data: Buffer.from(b.snapshot, 'base64') });
      } catch (e) {
        if (e instanceof SnapshotError) return error(400, e.message);
        return error(400, `not a twin snapshot: ${(e as Error).message}`);
      }
      return { status: 204 };
    }
    case 'POST /_twin/reset':
      admin.reset();
      return { status: 204 };
    default:
      return error(404, `no admin endpoint ${route}; see GET /_twin/info and the twin docs`);
  }
}
