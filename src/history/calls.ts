// The household's call history: the decisions the deployed Functions appended to the Sync List
// "calls" (templates/functions/lib/history.js), one or more records per call, joined with the
// Calls API for when a call started and how long it lasted. The latest record of a call is its
// decision (a call that rang and then fell back to the owner shows "fallback to the owner").
import type { TwilioClient } from '../twilio/client.js';
import { SYNC_SERVICE_FRIENDLY_NAME } from '../deploy/sync-name.js';

/** The list the Functions write; their records expire after 90 days (lib/history.js). */
export const HISTORY_LIST = 'calls';
export const RETENTION_DAYS = 90;
/** At most this many records are read per run (a few months of a household's calls). */
const MAX_RECORDS = 1000;

export type Decision =
  | 'rang'
  | 'blocked'
  | 'bedtime'
  | 'owner'
  | 'owner-menu'
  | 'emergency'
  | 'fallback'
  | 'voicemail'
  | 'missed'
  | 'buzz-opened'
  | 'missed-buzz';

/** How each decision reads in the table. */
export const DECISION_LABELS: Record<Decision, string> = {
  rang: 'rang',
  blocked: 'blocked',
  bedtime: 'bedtime',
  owner: "owner's call",
  'owner-menu': 'owner menu',
  emergency: 'emergency',
  fallback: 'fallback to the owner',
  voicemail: 'voicemail',
  missed: 'missed',
  'buzz-opened': 'buzz opened',
  'missed-buzz': 'missed buzz',
};

/** Decisions that turned a caller away (`--blocked`). */
export const BLOCKED_DECISIONS: readonly Decision[] = ['blocked', 'bedtime'];

export interface HistoryEntry {
  callSid: string;
  /** When the call started (the Calls API), else when its first decision was recorded. */
  at: string;
  line: 'home' | 'buzzer';
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  decision: Decision;
  /** Who opened the door, for a buzz. */
  person: string | null;
  /** The call's duration in seconds, when Twilio has it (null while in progress). */
  durationSeconds: number | null;
}

interface RecordData {
  call?: unknown;
  line?: unknown;
  direction?: unknown;
  from?: unknown;
  to?: unknown;
  decision?: unknown;
  person?: unknown;
  at?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isDecision = (v: string): v is Decision => Object.prototype.hasOwnProperty.call(DECISION_LABELS, v);

/** The Sync service deploy created (found by its name), or null when none is deployed. */
export async function findHistoryService(client: TwilioClient): Promise<string | null> {
  const services = await client.sync.v1.services.list({ limit: 200 });
  return services.find((s) => s.friendlyName === SYNC_SERVICE_FRIENDLY_NAME)?.sid ?? null;
}

const statusOf = (e: unknown): number | undefined => {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
};

export interface BuzzRecord {
  call: string;
  decision: 'buzz-opened' | 'missed-buzz';
  /** Who or what opened the door. */
  person: string | null;
}

/**
 * Appends a buzz's outcome (the agent's part of the history), with the Functions' TTL, creating the
 * list if no call has been recorded yet. From and to come from the call itself.
 */
export async function appendBuzzRecord(client: TwilioClient, serviceSid: string, record: BuzzRecord, now: Date): Promise<void> {
  const call = await client.calls(record.call).fetch();
  const data = { ...record, line: 'buzzer', direction: 'inbound', from: call.from, to: call.to, at: now.toISOString() };
  const lists = client.sync.v1.services(serviceSid).syncLists;
  const add = () => lists(HISTORY_LIST).syncListItems.create({ data, itemTtl: RETENTION_DAYS * 86_400 });
  try {
    await add();
    return;
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  try {
    await lists.create({ uniqueName: HISTORY_LIST });
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
  }
  await add();
}

/** Every unexpired record, newest first, folded into one entry per call. */
export async function readHistory(client: TwilioClient, serviceSid: string, now: Date): Promise<HistoryEntry[]> {
  let items: { data: unknown; dateExpires: Date | null }[];
  try {
    items = await client.sync.v1.services(serviceSid).syncLists(HISTORY_LIST).syncListItems.list({ order: 'desc', limit: MAX_RECORDS });
  } catch (e) {
    if (statusOf(e) === 404) return []; // no call recorded yet: the Functions create the list
    throw e;
  }
  const byCall = new Map<string, HistoryEntry>();
  const order: string[] = [];
  for (const item of items) {
    // Sync deletes expired items in its own time: an expired one is not shown.
    if (item.dateExpires && item.dateExpires.getTime() <= now.getTime()) continue;
    const d = (item.data ?? {}) as RecordData;
    const callSid = str(d.call);
    const decision = str(d.decision);
    if (!callSid || !isDecision(decision)) continue;
    const existing = byCall.get(callSid);
    if (existing) {
      // Reading newest first: an older record only moves the call's start back and may name who.
      if (str(d.at)) existing.at = str(d.at);
      if (!existing.person && str(d.person)) existing.person = str(d.person);
      continue;
    }
    byCall.set(callSid, {
      callSid,
      at: str(d.at),
      line: d.line === 'buzzer' ? 'buzzer' : 'home',
      direction: d.direction === 'outbound' ? 'outbound' : 'inbound',
      from: str(d.from),
      to: str(d.to),
      decision,
      person: str(d.person) || null,
      durationSeconds: null,
    });
    order.push(callSid);
  }
  return order.map((sid) => byCall.get(sid)!);
}

/** Adds start time and duration from the Calls API (one fetch per entry shown). */
export async function withCallDetails(client: TwilioClient, entries: HistoryEntry[]): Promise<HistoryEntry[]> {
  return Promise.all(
    entries.map(async (entry) => {
      try {
        const call = await client.calls(entry.callSid).fetch();
        const duration = call.duration === null || call.duration === undefined ? null : Number(call.duration);
        return {
          ...entry,
          at: call.startTime ? call.startTime.toISOString() : entry.at,
          durationSeconds: call.status === 'completed' || call.status === 'busy' || call.status === 'no-answer' || call.status === 'failed' || call.status === 'canceled' ? duration : null,
        };
      } catch (e) {
        if (statusOf(e) === 404) return entry; // Twilio keeps call records for 13 months
        throw e;
      }
    }),
  );
}

export interface HistoryFilter {
  sinceMs?: number;
  blocked?: boolean;
  buzzer?: boolean;
  from?: string;
  limit: number;
}

export function filterHistory(entries: HistoryEntry[], filter: HistoryFilter): HistoryEntry[] {
  return entries
    .filter((e) => filter.sinceMs === undefined || Date.parse(e.at) >= filter.sinceMs)
    .filter((e) => !filter.blocked || BLOCKED_DECISIONS.includes(e.decision))
    .filter((e) => !filter.buzzer || e.line === 'buzzer')
    .filter((e) => filter.from === undefined || e.from === filter.from || e.to === filter.from)
    .slice(0, filter.limit);
}

/** "7d", "12h", "30m" → milliseconds, or null when it is not a span. */
export function parseSpan(text: string): number | null {
  const m = /^(\d+)\s*([mhdw])$/.exec(text.trim().toLowerCase());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
  return n > 0 ? n * unit : null;
}

/** An unknown number with its middle hidden: +1555•••9999 keeps the country code and last 4. */
export function maskNumber(number: string): string {
  if (!/^\+\d{6,}$/.test(number)) return number.startsWith('sip:') ? 'a SIP address' : number;
  return `${number.slice(0, 2)}${'•'.repeat(number.length - 6)}${number.slice(-4)}`;
}
