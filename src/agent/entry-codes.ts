// Entry codes a visitor can type at the door. Stored only as salted scrypt hashes, in the monitor
// code's format (hashed by the same library, templates/functions/lib/monitor-code.js). Checked
// here with the asynchronous scrypt, so a visitor typing a code never stalls another buzz's
// webhook, and always against every stored code, so the time taken says nothing about which
// (or whether one) matched.
import { scrypt, timingSafeEqual } from 'node:crypto';
import type { EntryCode } from '../config/schema.js';

/** The same bound as the monitor-code library: about a second of CPU at most per code. */
const MAX_WORK = 16 * 16384 * 8;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const f = stored.split('$');
  if (f.length !== 6 || f[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(f[1]), Number(f[2]), Number(f[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || (N & (N - 1)) !== 0 || N * r * p > MAX_WORK) return undefined;
  if (!BASE64.test(f[4] ?? '') || !BASE64.test(f[5] ?? '')) return undefined;
  const salt = Buffer.from(f[4]!, 'base64');
  const hash = Buffer.from(f[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return undefined;
  return { N, r, p, salt, hash };
}

function derive(code: string, parsed: Parsed): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const { N, r, p, salt, hash } = parsed;
    scrypt(code, salt, hash.length, { N, r, p, maxmem: 256 * N * r }, (err, key) => resolve(err ? undefined : key));
  });
}

/** The name of the entry code `typed` matches, if any. */
export async function matchEntryCode(typed: string, codes: readonly EntryCode[]): Promise<string | undefined> {
  const shaped = /^\d{4,8}$/.test(typed);
  const results = await Promise.all(
    codes.map(async (c) => {
      const parsed = parse(c.hash);
      if (!parsed) return false;
      // Derive even for a badly shaped code, so a wrong length takes as long as a wrong code.
      const key = await derive(shaped ? typed : '0000', parsed);
      return shaped && key !== undefined && key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
    }),
  );
  const i = results.indexOf(true);
  return i < 0 ? undefined : codes[i]!.name;
}
