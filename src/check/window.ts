// The check window: how `homephone check` buzzes the buzzer without ringing a tenant. Before its
// buzzer call the check writes a short-lived Sync Document in the household's Sync service naming
// the tester number; the agent, on a call from any number but the enterphone's, reads it: a call
// from exactly that number before the document expires is answered with the check greeting and the
// ringback audio and recorded back into the document, with nobody rung and no light flashed. The
// document's TTL is the window (Twilio's clock decides it), so a check that dies leaves nothing
// open for long; the check deletes it as soon as its buzzer row is done. With --ring-people the
// document says so and the agent treats the tester's call as a real buzz.
import type { TwilioClient } from '../twilio/client.js';

export const CHECK_WINDOW_DOCUMENT = 'homephone-check-window';
/** Seconds the window stays open at most (the buzzer call itself lasts under 30 s). */
export const CHECK_WINDOW_SECONDS = 120;

export interface CheckWindow {
  /** The only caller the agent answers as a check. */
  tester: string;
  /** The tester's call is a real buzz: the tenants ring, the lights flash. */
  ringPeople: boolean;
  /** When Twilio expires the document (its TTL): the window's end. */
  expires: Date;
  /** The check buzzes the agent answered (appended by the agent). */
  answered: Array<{ call: string; at: string }>;
}

const statusOf = (e: unknown): number | undefined => (e && typeof e === 'object' && 'status' in e ? Number((e as { status: unknown }).status) : undefined);

function windowOf(doc: { data: unknown; dateExpires: Date | null }): CheckWindow | null {
  const data = (doc.data ?? {}) as Record<string, unknown>;
  if (typeof data.tester !== 'string' || !doc.dateExpires) return null; // no TTL: not a window this check wrote
  const answered = Array.isArray(data.answered)
    ? data.answered.filter((a): a is { call: string; at: string } => typeof a?.call === 'string' && typeof a?.at === 'string')
    : [];
  return { tester: data.tester, ringPeople: data.ringPeople === true, expires: doc.dateExpires, answered };
}

/** Opens (or reopens) the window for `tester`. */
export async function openCheckWindow(client: TwilioClient, serviceSid: string, input: { tester: string; ringPeople: boolean; seconds?: number }): Promise<void> {
  await closeCheckWindow(client, serviceSid);
  await client.sync.v1.services(serviceSid).documents.create({
    uniqueName: CHECK_WINDOW_DOCUMENT,
    data: { tester: input.tester, ringPeople: input.ringPeople, answered: [] },
    ttl: input.seconds ?? CHECK_WINDOW_SECONDS,
  });
}

/** The window as the document says, or null when there is none. */
export async function readCheckWindow(client: TwilioClient, serviceSid: string): Promise<CheckWindow | null> {
  try {
    return windowOf(await client.sync.v1.services(serviceSid).documents(CHECK_WINDOW_DOCUMENT).fetch());
  } catch (e) {
    if (statusOf(e) === 404) return null;
    throw e;
  }
}

/** The agent's record that it answered a check buzz (kept in the document the check reads back). */
export async function recordCheckAnswer(client: TwilioClient, serviceSid: string, callSid: string, at: Date): Promise<void> {
  const doc = client.sync.v1.services(serviceSid).documents(CHECK_WINDOW_DOCUMENT);
  const current = await doc.fetch();
  const window = windowOf(current);
  if (!window) return;
  const data = { ...(current.data as Record<string, unknown>), answered: [...window.answered, { call: callSid, at: at.toISOString() }] };
  // If-Match: a concurrent write (another answer) makes this fail rather than lose a record.
  await doc.update({ data, ifMatch: current.revision });
}

/** Closes the window (nothing to do when it expired already). */
export async function closeCheckWindow(client: TwilioClient, serviceSid: string): Promise<void> {
  try {
    await client.sync.v1.services(serviceSid).documents(CHECK_WINDOW_DOCUMENT).remove();
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
}
