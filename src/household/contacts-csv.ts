// The whitelist as CSV (header Number,Person,OverrideBedtime,PrimaryContact), for import/export.
// Separate from contacts.ts so reading the JSON file never loads it.
//
// Formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage
// return) as a formula. Text cells (Person, PrimaryContact) that start so are exported behind a
// ' (which spreadsheets show as text and hide), and import takes that ' off again, so a round trip
// is lossless. Number cells are E.164 (checked on every write): "+" and digits only, a number to
// a spreadsheet, never a formula, so they are written as they are.
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
      { Number: number, Person: unguardText(person), OverrideBedtime: parseBool(override, where), PrimaryContact: unguardText(primary) || null },
      where,
      normalise,
    );
  });
  return rejectDuplicates(contacts, what);
}

const FORMULA = /^'*[=+\-@\t\r]/;

/** A text cell a spreadsheet would run as a formula gets a leading ' (so does one already guarded, so the round trip is exact). */
export function guardText(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

/** Undoes guardText: one leading ' before (more ' and) a formula character is dropped. */
export function unguardText(text: string): string {
  return text.startsWith("'") && FORMULA.test(text) ? text.slice(1) : text;
}

export function contactsToCsv(list: Contact[]): string {
  return toCsv([
    [...CSV_HEADER],
    ...list.map((c) => [c.Number, guardText(c.Person), String(c.OverrideBedtime), guardText(c.PrimaryContact ?? '')]),
  ]);
}
