// The whitelist as CSV (header Number,Person,OverrideBedtime,PrimaryContact), for import/export.
// Separate from contacts.ts so reading the JSON file never loads it.
import { InputError } from '../errors.js';
import { parseCsv, toCsv } from '../util/csv.js';
import { CSV_HEADER, rejectDuplicates, toContact, type Contact } from './contacts.js';

function parseBool(text: string, where: string): boolean {
  const t = text.trim().toLowerCase();
  if (['true', 'yes', '1', 'y'].includes(t)) return true;
  if (['false', 'no', '0', 'n', ''].includes(t)) return false;
  throw new InputError(`${where}: OverrideBedtime "${text}" must be true or false`);
}

export function contactsFromCsv(text: string, what: string, normalise?: (n: string) => string): Contact[] {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    throw new InputError(`${what} is not valid CSV: ${(err as Error).message}`);
  }
  const [header, ...body] = rows;
  const expected = CSV_HEADER.join(',');
  if (!header || header.map((h) => h.trim()).join(',') !== expected) {
    throw new InputError(`${what} must start with the header line ${expected}`);
  }
  const contacts = body.map((cells, i) => {
    const where = `${what}: line ${i + 2}`;
    if (cells.length !== CSV_HEADER.length) throw new InputError(`${where} has ${cells.length} fields, expected 4`);
    const [number, person, override, primary] = cells as [string, string, string, string];
    return toContact(
      { Number: number, Person: person, OverrideBedtime: parseBool(override, where), PrimaryContact: primary || null },
      where,
      normalise,
    );
  });
  return rejectDuplicates(contacts, what);
}

export function contactsToCsv(list: Contact[]): string {
  return toCsv([
    [...CSV_HEADER],
    ...list.map((c) => [c.Number, c.Person, String(c.OverrideBedtime), c.PrimaryContact ?? '']),
  ]);
}
