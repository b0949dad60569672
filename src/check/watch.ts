// One path's call, followed through Twilio's records: placed over REST, then read back every
// second (the driver lets the second pass: the wall clock on Twilio, virtual time on the twin)
// until every call it caused has ended. A row may end its call early (the SIP phone rang: proven,
// no need to keep it ringing; a leg to a real person appeared: hang up before it rings long), and
// Ctrl-C ends it at once. Whatever happens, no call this check caused is left up.
import type { CheckDriver } from './driver.js';
import { isEnded, type CallRecord, type Records } from './records.js';

export interface Watched {
  /** The check's own REST call (outbound-api), from the tester to the number under test. */
  caller: CallRecord;
  /** That call arriving on the number under test (an inbound call of the account), once seen. */
  inbound: CallRecord | null;
  /** Every other call it caused: the inbound leg's <Dial> children, and calls to the watched addresses. */
  legs: CallRecord[];
  /** Every status each call was seen in while polling. */
  seen: Map<string, Set<string>>;
  /** Why the check hung up before the call ended by itself (null: it ended by itself). */
  endedBy: string | null;
  /** Twilio's time when the call was created: records from then on belong to this row. */
  since: Date;
}

export interface WatchOptions {
  from: string;
  to: string;
  seconds: number;
  /** Addresses whose calls count as this call's legs even without a parent (the SIP phone, rung through a room). */
  watch: string[];
  /** Decides, after each read, whether to hang up now (returns why) or let the call run on. */
  stop?: (w: Watched) => string | null;
  cancelled?: () => boolean;
  onProgress?: (line: string) => void;
  /** Seconds until the next read (default 1): shorter while a row expects a leg it must cut short. */
  step?: (w: Watched) => number;
}

/** Seconds between two reads of the records. */
const STEP = 1;
/** Beyond the call's own limit: queueing, the far end's teardown. */
const GRACE = 30;

export const everSeen = (w: Watched, sid: string, statuses: string[]): boolean => statuses.some((s) => w.seen.get(sid)?.has(s));

export async function watchCall(records: Records, driver: CheckDriver, o: WatchOptions): Promise<Watched> {
  const placed = await records.place(o.from, o.to, o.seconds);
  const w: Watched = { caller: placed, inbound: null, legs: [], seen: new Map(), endedBy: null, since: placed.dateCreated };
  const note = (c: CallRecord) => {
    const set = w.seen.get(c.sid) ?? new Set<string>();
    set.add(c.status);
    w.seen.set(c.sid, set);
  };
  const all = () => [w.caller, ...(w.inbound ? [w.inbound] : []), ...w.legs];
  const hangUp = async () => {
    for (const c of all()) if (!isEnded(c.status)) await records.end(c.sid);
  };
  try {
    for (let t = 0; t < o.seconds + GRACE; ) {
      const step = o.step?.(w) ?? STEP;
      await driver.pass(step);
      t += step;
      const recent = await records.recentCalls(w.since);
      const find = (sid: string) => recent.find((c) => c.sid === sid);
      w.caller = find(w.caller.sid) ?? (await records.call(w.caller.sid));
      note(w.caller);
      w.inbound = w.inbound
        ? (find(w.inbound.sid) ?? (await records.call(w.inbound.sid)))
        : (recent.find((c) => c.direction === 'inbound' && c.to === o.to && c.from === o.from && c.sid !== w.caller.sid) ?? null);
      if (w.inbound) note(w.inbound);
      // Its legs: what the inbound call dialled (and what those dialled), and calls to the watched addresses.
      const mine = new Set([w.inbound?.sid, ...w.legs.map((c) => c.sid)].filter(Boolean));
      const legs = new Map(w.legs.map((c) => [c.sid, find(c.sid) ?? c]));
      for (const c of [...recent].reverse()) {
        if (c.sid === w.caller.sid || c.sid === w.inbound?.sid) continue;
        if ((c.parentCallSid && mine.has(c.parentCallSid)) || o.watch.some((a) => c.to.startsWith(a))) {
          legs.set(c.sid, c);
          mine.add(c.sid);
        }
      }
      w.legs = [...legs.values()];
      w.legs.forEach(note);
      if (!w.endedBy) {
        const why = o.cancelled?.() ? 'interrupted' : (o.stop?.(w) ?? null);
        if (why) {
          w.endedBy = why;
          o.onProgress?.(`  ${why}: hanging up`);
          await hangUp();
          continue;
        }
      }
      if (all().every((c) => isEnded(c.status)) && (w.inbound || isEnded(w.caller.status))) break;
    }
  } finally {
    // Past the bound, an error, Ctrl-C: whatever is still up is ended (and read once more).
    await hangUp().catch((e: unknown) => o.onProgress?.(`  could not end every call: ${(e as Error).message} (homephone monitor shows what is up)`));
  }
  w.caller = await records.call(w.caller.sid);
  if (w.inbound) w.inbound = await records.call(w.inbound.sid);
  w.legs = await Promise.all(w.legs.map((c) => records.call(c.sid)));
  return w;
}
