// Contacts the owner allowed or blocked by text (templates/functions/lib/overrides.js keeps them
// in the Sync Document "household-overrides", where the caller policy honours them from the next
// call) become part of the whitelist file here: `homephone whitelist sync` reads them, writes them
// into whitelist.json under its lock, pushes the whitelist (one build), and once that build is
// live drops exactly the entries it wrote from Sync (If-Match, so a text arriving meanwhile stays).
// A text is newer than anything in the file, so it wins over the file.
import { createRequire } from 'node:module';
import { changeWhitelist } from '../config/whitelist-file.js';
import type { Contact } from '../household/contacts.js';
import { findHistoryService } from '../history/calls.js';
import type { TwilioClient } from '../twilio/client.js';
import { syncWhitelist, type DeploySession, type WhitelistSyncResult } from './deploy.js';
import { twilioCall } from './errors.js';

interface TextedContact {
  action: 'allow' | 'block';
  person: string | null;
  at: string;
}
interface Overrides {
  quietUntil: number;
  quietSince: number;
  contacts: Record<string, TextedContact>;
}
interface OverridesLib {
  DOCUMENT: string;
  read(client: TwilioClient, serviceSid: string): Promise<{ overrides: Overrides; revision: string | null }>;
  update<T>(client: TwilioClient, serviceSid: string, change: (current: Overrides) => { overrides: Overrides | null; result: T }): Promise<T>;
}

// src/deploy/ and dist/deploy/ are both two levels below the package root.
const require = createRequire(import.meta.url);
const lib = require('../../templates/functions/lib/overrides.js') as OverridesLib;

export interface TextedEntry extends TextedContact {
  number: string;
}

export interface FoldedEntry extends TextedEntry {
  /**
   * What writing it did to the file: added, renamed, removed, nothing (already so), or nothing
   * because the command that synced had just changed that number itself (superseded: newer).
   */
  effect: 'added' | 'renamed' | 'removed' | 'already' | 'superseded';
}

/** The texted contacts waiting in Sync, oldest first. */
export async function pendingTexted(client: TwilioClient, syncServiceSid: string): Promise<TextedEntry[]> {
  const { overrides } = await twilioCall(`Sync Document ${lib.DOCUMENT}`, () => lib.read(client, syncServiceSid));
  return entriesOf(overrides);
}

function entriesOf(overrides: Overrides): TextedEntry[] {
  return Object.entries(overrides.contacts)
    .map(([number, c]) => ({ number, ...c }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Applies texted entries to a whitelist: a block removes the number, an allow adds it (never at
 * bedtime) or renames it. An allow without a name for a number not in the list cannot be written
 * (the file's format needs a Person): it is left out, and stays in Sync.
 */
export function foldTexted(list: Contact[], entries: TextedEntry[]): { list: Contact[]; folded: FoldedEntry[] } {
  let next = [...list];
  const folded: FoldedEntry[] = [];
  for (const e of entries) {
    const index = next.findIndex((c) => c.Number === e.number);
    if (e.action === 'block') {
      if (index >= 0) next = next.filter((_, i) => i !== index);
      folded.push({ ...e, effect: index >= 0 ? 'removed' : 'already' });
      continue;
    }
    if (index < 0) {
      if (!e.person) continue;
      next.push({ Number: e.number, Person: e.person, OverrideBedtime: false, PrimaryContact: null });
      folded.push({ ...e, effect: 'added' });
    } else if (e.person && next[index]!.Person !== e.person) {
      next[index] = { ...next[index]!, Person: e.person };
      folded.push({ ...e, effect: 'renamed' });
    } else folded.push({ ...e, effect: 'already' });
  }
  return { list: next, folded };
}

/** Drops the entries written into the file, unless a newer text changed them since. */
export async function dropTexted(client: TwilioClient, syncServiceSid: string, entries: TextedEntry[]): Promise<void> {
  if (!entries.length) return;
  await twilioCall(`Sync Document ${lib.DOCUMENT}`, () =>
    lib.update(client, syncServiceSid, (current) => {
      const contacts = { ...current.contacts };
      let changed = false;
      for (const e of entries) {
        const now = contacts[e.number];
        if (now && now.action === e.action && now.at === e.at) {
          delete contacts[e.number];
          changed = true;
        }
      }
      return changed ? { overrides: { ...current, contacts }, result: null } : { overrides: null, result: null };
    }),
  );
}

export interface TextedSyncResult {
  sync: WhitelistSyncResult;
  /** The texted changes written into the whitelist file (and then dropped from Sync). */
  folded: FoldedEntry[];
}

/**
 * `homephone whitelist sync` with the texted changes: written into the file at `whitelistPath`,
 * pushed as one build, then dropped from Sync. With no Sync service deployed it is a plain sync.
 */
export async function syncWhitelistWithTexts(
  session: DeploySession,
  whitelistPath: string,
  options: { changedLocally?: readonly string[] } = {},
): Promise<TextedSyncResult> {
  const serviceSid = await twilioCall('Sync services', () => findHistoryService(session.client));
  const pending = serviceSid ? await pendingTexted(session.client, serviceSid) : [];
  // A number the command just changed in the file (whitelist add/remove --deploy) is newer than its text.
  const local = new Set(options.changedLocally ?? []);
  const superseded: FoldedEntry[] = pending.filter((e) => local.has(e.number)).map((e) => ({ ...e, effect: 'superseded' }));
  let folded: FoldedEntry[] = [];
  const toWrite = pending.filter((e) => !local.has(e.number));
  if (toWrite.length) {
    const written = await changeWhitelist(whitelistPath, (current) => {
      const r = foldTexted(current, toWrite);
      return { list: r.list, result: r };
    });
    folded = written.folded;
    session.whitelist = written.list;
  }
  folded = [...folded, ...superseded];
  const sync = await syncWhitelist(session);
  if (serviceSid && folded.length) await dropTexted(session.client, serviceSid, folded);
  return { sync, folded };
}

export interface TextedState {
  /** A quiet time texted by the owner that has not ended yet (ISO), else null. */
  quietUntil: string | null;
  /** Texted contacts waiting for `homephone whitelist sync`, oldest first. */
  contacts: TextedEntry[];
}

/** What the owner's texts changed and is live now, for `homephone status`; null without a Sync service. */
export async function textedState(client: TwilioClient, now: Date = new Date()): Promise<TextedState | null> {
  const serviceSid = await twilioCall('Sync services', () => findHistoryService(client));
  if (!serviceSid) return null;
  const { overrides } = await twilioCall(`Sync Document ${lib.DOCUMENT}`, () => lib.read(client, serviceSid));
  const contacts = entriesOf(overrides);
  return { quietUntil: overrides.quietUntil > now.getTime() ? new Date(overrides.quietUntil).toISOString() : null, contacts };
}
