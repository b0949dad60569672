import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../src/util/csv.js';
import { upsertContact, type Contact } from '../../src/household/contacts.js';
import { contactsFromCsv, contactsToCsv } from '../../src/household/contacts-csv.js';
import { normalisePhoneNumber } from '../../src/household/phone.js';

describe('CSV', () => {
  it('round-trips any table of strings', () => {
    const cell = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (rows) => {
        expect(parseCsv(toCsv(rows))).toEqual(rows);
      }),
    );
  });

  it('parses quotes, doubled quotes, CRLF and newlines inside quotes', () => {
    expect(parseCsv('a,"b, c","d ""e"""\r\n"multi\nline",x,\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['multi\nline', 'x', ''],
    ]);
    expect(() => parseCsv('a,"open')).toThrow(/not closed/);
  });
});

describe('contacts', () => {
  it('any contact list survives CSV export and import', () => {
    const contact = fc.record({
      Number: fc.integer({ min: 2000000000, max: 9999999999 }).map((n) => `+1${n}`),
      Person: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0),
      OverrideBedtime: fc.boolean(),
      PrimaryContact: fc.option(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() === s), { nil: null }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(contact, { selector: (c) => c.Number, maxLength: 8 }), (list: Contact[]) => {
        expect(contactsFromCsv(contactsToCsv(list), 'x.csv')).toEqual(list);
      }),
    );
  });

  it('upsert adds new numbers and updates existing ones in place', () => {
    const a: Contact = { Number: '+15555550001', Person: 'A', OverrideBedtime: false, PrimaryContact: null };
    const b: Contact = { Number: '+15555550002', Person: 'B', OverrideBedtime: false, PrimaryContact: null };
    const added = upsertContact([a], b);
    expect(added).toMatchObject({ action: 'added', list: [a, b] });
    const renamed = upsertContact(added.list, { ...a, Person: 'Anne' });
    expect(renamed).toMatchObject({ action: 'updated', list: [{ ...a, Person: 'Anne' }, b] });
    expect(upsertContact(renamed.list, b).action).toBe('unchanged');
  });
});

describe('phone numbers', () => {
  it('normalises national and international forms to E.164', () => {
    expect(normalisePhoneNumber('(555) 555-5555', 'US')).toEqual({ ok: true, e164: '+15555555555' });
    expect(normalisePhoneNumber('+44 20 7946 0000')).toEqual({ ok: true, e164: '+442079460000' });
    expect(normalisePhoneNumber('020 7946 0000', 'GB')).toEqual({ ok: true, e164: '+442079460000' });
    expect(normalisePhoneNumber('tel:+1-555-555-5555')).toEqual({ ok: true, e164: '+15555555555' });
  });

  it('gives the reason for a number it refuses', () => {
    expect(normalisePhoneNumber('', 'US')).toEqual({ ok: false, reason: 'it is empty' });
    expect(normalisePhoneNumber('555 5555', 'US')).toMatchObject({ ok: false });
    expect(normalisePhoneNumber('5555555555')).toMatchObject({ ok: false, reason: expect.stringContaining('country') });
    expect(normalisePhoneNumber('+1 555 555 5555 x12', 'US')).toMatchObject({ ok: false });
  });
});
