// The family's contact list (the whitelist), in the seed's format, kept as is for import/export:
// {"Number":"+15555555555","Person":"John Doe","OverrideBedtime":true,"PrimaryContact":null}
import { InputError } from '../errors.js';

export interface Contact {
  Number: string;
  Person: string;
  OverrideBedtime: boolean;
  PrimaryContact: string | null;
}

export const CSV_HEADER = ['Number', 'Person', 'OverrideBedtime', 'PrimaryContact'] as const;
const E164 = /^\+[1-9]\d{1,14}$/;

function normaliseAt(raw: string, where: string, normalise?: (n: string) => string): string {
  if (!normalise) return raw;
  try {
    return normalise(raw);
  } catch (err) {
    const hint = err instanceof InputError ? err.hint : undefined;
    throw new InputError(`${where}: ${(err as Error).message}`, { hint });
  }
}

/** Refuses text a name cannot hold: a NUL ends a C string (and a name) early wherever it is passed on. */
export function checkText(text: string, where: string, field: string): string {
  if (text.includes('\0')) throw new InputError(`${where}: ${field} contains a NUL character`, { hint: 'remove it from the file' });
  return text;
}

/** Checks one entry of the seed format; `normalise` may turn a raw number into E.164 first. */
export function toContact(raw: unknown, where: string, normalise?: (n: string) => string): Contact {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError(`${where} is not an object with Number and Person`);
  }
  const entry = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(entry).filter((k) => !(CSV_HEADER as readonly string[]).includes(k));
  if (unknownKeys.length) throw new InputError(`${where} has unknown field(s): ${unknownKeys.join(', ')}`);
  if (typeof entry.Number !== 'string' || !entry.Number.trim()) throw new InputError(`${where} has no Number`);
  const number = normaliseAt(entry.Number, where, normalise);
  if (!E164.test(number)) throw new InputError(`${where}: Number "${entry.Number}" is not in E.164 form (+15555555555)`);
  if (typeof entry.Person !== 'string' || !entry.Person.trim()) throw new InputError(`${where} has no Person`);
  checkText(entry.Person, where, 'Person');
  if (entry.OverrideBedtime !== undefined && typeof entry.OverrideBedtime !== 'boolean') {
    throw new InputError(`${where}: OverrideBedtime must be true or false`);
  }
  const primary = entry.PrimaryContact;
  if (primary !== undefined && primary !== null && typeof primary !== 'string') {
    throw new InputError(`${where}: PrimaryContact must be text or null`);
  }
  if (typeof primary === 'string') checkText(primary, where, 'PrimaryContact');
  return {
    Number: number,
    Person: entry.Person.trim(),
    OverrideBedtime: entry.OverrideBedtime === true,
    PrimaryContact: typeof primary === 'string' && primary.trim() ? primary.trim() : null,
  };
}

/** Rejects a list that names one number twice: which entry would win is a guess. */
export function rejectDuplicates(list: Contact[], what: string): Contact[] {
  const seen = new Map<string, number>();
  list.forEach((c, i) => {
    const first = seen.get(c.Number);
    if (first !== undefined) throw new InputError(`${what}: entries ${first + 1} and ${i + 1} both have ${c.Number}`);
    seen.set(c.Number, i);
  });
  return list;
}

export function contactsFromJson(data: unknown, what: string, normalise?: (n: string) => string): Contact[] {
  if (!Array.isArray(data)) throw new InputError(`${what} must be a JSON array of contacts`);
  return rejectDuplicates(
    data.map((entry, i) => toContact(entry, `${what}: entry ${i + 1}`, normalise)),
    what,
  );
}

export function contactsToJson(list: Contact[]): string {
  return `${JSON.stringify(list, null, 4)}\n`;
}

export type Upserted = { list: Contact[]; action: 'added' | 'updated' | 'unchanged'; previous?: Contact };

/** Adds the contact, or updates the entry with the same number. */
export function upsertContact(list: Contact[], contact: Contact): Upserted {
  const index = list.findIndex((c) => c.Number === contact.Number);
  if (index < 0) return { list: [...list, contact], action: 'added' };
  const previous = list[index]!;
  const same = JSON.stringify(previous) === JSON.stringify(contact);
  const next = [...list];
  next[index] = contact;
  return { list: next, action: same ? 'unchanged' : 'updated', previous };
}

export interface Merged {
  list: Contact[];
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/**
 * Merges imported contacts into the list (or replaces it), keeping the list's order and adding
 * new numbers at the end. One pass with a map: linear in the sizes of both lists.
 */
export function mergeContacts(current: Contact[], incoming: Contact[], options: { replace?: boolean } = {}): Merged {
  const before = new Map(current.map((c) => [c.Number, c]));
  const list = options.replace ? [] : [...current];
  const position = new Map(list.map((c, i) => [c.Number, i]));
  const tally = { added: 0, updated: 0, unchanged: 0 };
  for (const contact of incoming) {
    const previous = before.get(contact.Number);
    tally[!previous ? 'added' : sameContact(previous, contact) ? 'unchanged' : 'updated'] += 1;
    const at = position.get(contact.Number);
    if (at === undefined) {
      position.set(contact.Number, list.length);
      list.push(contact);
    } else list[at] = contact;
  }
  const removed = options.replace ? current.filter((c) => !position.has(c.Number)).length : 0;
  return { list, ...tally, removed };
}

function sameContact(a: Contact, b: Contact): boolean {
  return a.Number === b.Number && a.Person === b.Person && a.OverrideBedtime === b.OverrideBedtime && a.PrimaryContact === b.PrimaryContact;
}

/** Finds the entries a `remove` argument means: an exact number, else a person's name (any case). */
export function matchContacts(list: Contact[], query: { number?: string; name: string }): Contact[] {
  if (query.number) {
    const byNumber = list.filter((c) => c.Number === query.number);
    if (byNumber.length) return byNumber;
  }
  const name = query.name.trim().toLowerCase();
  return list.filter((c) => c.Person.toLowerCase() === name);
}
