// whitelist.json beside the config: read strictly (a corrupt file is reported, never overwritten),
// changed under a lock, written atomically (never through a link); its folder must be private.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { contactsFromJson, contactsToJson, type Contact } from '../household/contacts.js';
import { describeJsonError } from '../util/json-error.js';
import { assertPrivateFile, assertPrivateFolder, ensurePrivateDir, withFileLock, writeFileAtomic } from '../util/files.js';

export function readWhitelist(path: string): Contact[] {
  if (!existsSync(dirname(path))) return [];
  assertPrivateFolder(dirname(path));
  assertPrivateFile(path);
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`the whitelist file ${path} is not valid JSON at ${describeJsonError(text, err)}`, {
      hint: 'fix it by hand (homephone never overwrites a corrupt whitelist), or move it away to start a new one',
    });
  }
  return contactsFromJson(data, `the whitelist file ${path}`);
}

/** Read, change and write the whitelist as one step under the file's lock. */
export async function changeWhitelist<T>(
  path: string,
  change: (current: Contact[]) => { list: Contact[]; result: T },
): Promise<T> {
  ensurePrivateDir(dirname(path));
  return withFileLock(path, (lock) => {
    const { list, result } = change(readWhitelist(path));
    writeFileAtomic(path, contactsToJson(list), { mode: 0o600, beforeCommit: () => lock.assertHeld() });
    return result;
  });
}
