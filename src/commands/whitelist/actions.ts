// whitelist add | remove | import | export.
import { extname } from 'node:path';
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import { whitelistPath } from '../../config/paths.js';
import { changeWhitelist, readWhitelist } from '../../config/whitelist-file.js';
import { readFileCapped, writeFileAtomic } from '../../util/files.js';
import { visible } from '../../util/visible.js';
import { normalisePhoneNumber } from '../../household/phone.js';
import {
  checkText,
  contactsFromJson,
  contactsToJson,
  matchContacts,
  mergeContacts,
  upsertContact,
  type Contact,
} from '../../household/contacts.js';
import { contactsFromCsv, contactsToCsv } from '../../household/contacts-csv.js';
import { describeJsonError } from '../../util/json-error.js';

function defaultCountry(env: NodeJS.ProcessEnv): string | undefined {
  return ConfigStore.open(env).read().household?.defaultCountry;
}

/** Normalises to E.164 or throws an InputError with the reason. */
function e164(input: string, country: string | undefined): string {
  const result = normalisePhoneNumber(input, country);
  if (result.ok) return result.e164;
  throw new InputError(`"${input}" is not a valid phone number: ${result.reason}`, {
    hint: country
      ? 'write it in full, e.g. +1 555 555 5555'
      : 'write it with its country code (+1 …), or set your country: homephone config set household.defaultCountry US',
  });
}

/**
 * Prints the result; with --deploy, first pushes the changed whitelist to Twilio. Without it, a
 * change is only local until synced, so say so.
 */
async function finish(ctx: CommandContext, opts: Record<string, unknown>, human: string, data: object, changed = true, numbers: string[] = []): Promise<void> {
  if (!opts.deploy) {
    ctx.result(human, data);
    if (changed) ctx.info('Twilio still has the previous list: push this one with homephone whitelist sync (or homephone deploy).');
    return;
  }
  const { pushWhitelist } = await import('./sync.js');
  const pushed = await pushWhitelist(ctx, opts, numbers);
  ctx.result(`${human}\n${pushed.text}`, { ...data, deploy: { changed: pushed.changed, writes: pushed.writes, breakdown: pushed.breakdown, texted: pushed.texted } });
}

export const add: Action = async (ctx, [rawNumber], opts) => {
  const number = e164(String(rawNumber), defaultCountry(ctx.env));
  const name = opts.name === undefined ? undefined : String(opts.name).trim();
  if (name === '') throw new InputError('--name must not be empty');
  if (name !== undefined) checkText(name, '--name', 'the name');
  if (typeof opts.primaryContact === 'string') checkText(opts.primaryContact, '--primary-contact', 'the text');
  const outcome = await changeWhitelist(whitelistPath(ctx.env), (current) => {
    const previous = current.find((c) => c.Number === number);
    // An existing contact is updated in place and keeps its name unless --name gives a new one.
    const person = name ?? previous?.Person;
    if (person === undefined) {
      throw new InputError(`missing --name: ${number} is not on the whitelist yet, and a new contact needs a name`, {
        hint: `homephone whitelist add ${number} --name "Grandma"`,
      });
    }
    const contact: Contact = {
      Number: number,
      Person: person,
      OverrideBedtime: (opts.overrideBedtime as boolean | undefined) ?? previous?.OverrideBedtime ?? false,
      PrimaryContact:
        opts.primaryContact === undefined ? (previous?.PrimaryContact ?? null) : String(opts.primaryContact).trim() || null,
    };
    const result = upsertContact(current, contact);
    return { list: result.list, result: { action: result.action, contact } };
  });
  const verb = { added: 'Added', updated: 'Updated existing entry for', unchanged: 'Already listed:' }[outcome.action];
  await finish(ctx, opts, `${verb} ${visible(outcome.contact.Person)} (${outcome.contact.Number})`, outcome, outcome.action !== 'unchanged', [outcome.contact.Number]);
};

export const remove: Action = async (ctx, [query], opts) => {
  const text = String(query);
  const asNumber = normalisePhoneNumber(text, /\d/.test(text) ? defaultCountry(ctx.env) : undefined);
  const removed = await changeWhitelist(whitelistPath(ctx.env), (current) => {
    const matches = matchContacts(current, { number: asNumber.ok ? asNumber.e164 : undefined, name: text });
    if (matches.length === 0) {
      throw new InputError(`no contact has the number or name "${visible(text)}"`, { hint: 'see homephone whitelist list' });
    }
    if (matches.length > 1) {
      throw new InputError(`${matches.length} contacts are named "${visible(text)}": ${matches.map((m) => m.Number).join(', ')}`, {
        hint: 'remove one by its number',
      });
    }
    return { list: current.filter((c) => !matches.includes(c)), result: matches[0]! };
  });
  await finish(ctx, opts, `Removed ${visible(removed.Person)} (${removed.Number})`, { removed }, true, [removed.Number]);
};

/** The most `whitelist import` reads: 100,000 contacts in the seed's indented JSON take about 13 MiB. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

function readImport(file: string, format: string | undefined, country: string | undefined): Contact[] {
  let text: string;
  try {
    text = readFileCapped(file, MAX_IMPORT_BYTES).toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw err;
    throw new InputError(`cannot read ${file}: ${code ?? (err as Error).message}`);
  }
  const kind = format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'json');
  const normalise = (n: string) => e164(n, country);
  if (kind === 'csv') return contactsFromCsv(text, file, normalise);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not valid JSON at ${describeJsonError(text, err)}`, {
      hint: 'for a CSV file pass --format csv',
    });
  }
  return contactsFromJson(data, file, normalise);
}

export const importFile: Action = async (ctx, [file], opts) => {
  const incoming = readImport(ctx.resolvePath(String(file)), opts.format as string | undefined, defaultCountry(ctx.env));
  const counts = await changeWhitelist(whitelistPath(ctx.env), (current) => {
    const { list, ...tally } = mergeContacts(current, incoming, { replace: Boolean(opts.replace) });
    return { list, result: { ...tally, total: list.length } };
  });
  await finish(
    ctx,
    opts,
    `Imported ${incoming.length} contact(s) from ${String(file)}: ${counts.added} added, ${counts.updated} updated, ` +
      `${counts.unchanged} unchanged${opts.replace ? `, ${counts.removed} removed` : ''}. The whitelist has ${counts.total}.`,
    counts,
    counts.added + counts.updated + counts.removed > 0,
  );
};

export const exportFile: Action = async (ctx, _args, opts) => {
  const contacts = readWhitelist(whitelistPath(ctx.env));
  const text = opts.format === 'csv' ? contactsToCsv(contacts) : contactsToJson(contacts);
  if (opts.out) {
    writeFileAtomic(ctx.resolvePath(String(opts.out)), text);
    ctx.result(`Wrote ${contacts.length} contact(s) to ${String(opts.out)}`, { file: opts.out, count: contacts.length });
    return;
  }
  if (ctx.json && opts.format === 'csv') {
    ctx.result('', { format: 'csv', csv: text });
    return;
  }
  ctx.result(text, contacts);
};
