import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashMonitorCode, isValidMonitorCode, verifyMonitorCode } from '../../src/household/monitor-code.js';

const STORED_FORM = /^scrypt\$16384\$8\$1\$([A-Za-z0-9+/]{22}==)\$([A-Za-z0-9+/]{43}=)$/;

describe('isValidMonitorCode', () => {
  it.each(['1234', '00000000', '987654'])('accepts %j', (code) => {
    expect(isValidMonitorCode(code)).toBe(true);
  });

  it.each(['123', '123456789', '12a4', ' 1234', '1234\n', '١٢٣٤', '', 1234, null, undefined])('rejects %j', (code) => {
    expect(isValidMonitorCode(code)).toBe(false);
  });
});

describe('hashMonitorCode / verifyMonitorCode', () => {
  // scrypt is deliberately slow (~50 ms a hash): share a few hashes across the tests.
  const code = '482913';
  const stored = hashMonitorCode(code);

  it('has the documented form: 16-byte salt, 32-byte key', () => {
    const match = STORED_FORM.exec(stored);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(match![2]!, 'base64')).toHaveLength(32);
  });

  it('verifies the right code and rejects wrong ones', () => {
    expect(verifyMonitorCode(code, stored)).toBe(true);
    for (const wrong of ['482914', '48291', '4829130', '0482913', '1234']) {
      expect(verifyMonitorCode(wrong, stored)).toBe(false);
    }
  });

  it('salts: two hashes of one code differ, and both verify', () => {
    const again = hashMonitorCode(code);
    expect(again).not.toBe(stored);
    expect(again.split('$')[4]).not.toBe(stored.split('$')[4]);
    expect(verifyMonitorCode(code, again)).toBe(true);
  });

  it('never contains the code, in clear or in an obvious encoding', () => {
    for (const [secret, hash] of [[code, stored], ['73915208', hashMonitorCode('73915208')]] as const) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')]) {
        expect(hash).not.toContain(form);
      }
    }
  });

  it('handles 4- and 8-digit codes, including leading zeros', () => {
    const short = hashMonitorCode('0007');
    expect(verifyMonitorCode('0007', short)).toBe(true);
    expect(verifyMonitorCode('7', short)).toBe(false);
    const long = hashMonitorCode('00000000');
    expect(verifyMonitorCode('00000000', long)).toBe(true);
    expect(verifyMonitorCode('0000000', long)).toBe(false);
  });

  it('refuses to hash a code of the wrong shape', () => {
    for (const bad of ['123', '123456789', 'abcd', '12 34', '']) {
      expect(() => hashMonitorCode(bad)).toThrow(/4 to 8 digits/);
    }
  });

  it('returns false, never throws, for malformed stored strings', () => {
    const [, n, r, p, salt, hash] = stored.split('$') as [string, string, string, string, string, string];
    const malformed: unknown[] = [
      undefined,
      null,
      42,
      {},
      '',
      code,
      'scrypt',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
      `scrypt$${n}$${r}$${p}$${salt}$`,
      `scrypt$${n}$${r}$${p}$$${hash}`,
      `scrypt$16383$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$1$${r}$${p}$${salt}$${hash}`,
      `scrypt$0$${r}$${p}$${salt}$${hash}`,
      `scrypt$-16384$${r}$${p}$${salt}$${hash}`,
      `scrypt$016384$${r}$${p}$${salt}$${hash}`,
      `scrypt$1e4$${r}$${p}$${salt}$${hash}`,
      `scrypt$1073741824$${r}$${p}$${salt}$${hash}`, // would take minutes and gigabytes
      `scrypt$${n}$4096$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$1000$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$not base64!$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash.slice(0, -2)}`,
      `scrypt$${n}$${r}$${p}$AAAA$${hash}`, // salt too short
      `scrypt$${n}$${r}$${p}$${salt}$AAAA`, // hash too short
      ` ${stored}`,
      `${stored}\n`,
    ];
    for (const value of malformed) {
      expect(() => verifyMonitorCode(code, value)).not.toThrow();
      expect(verifyMonitorCode(code, value)).toBe(false);
    }
  });

  it('returns false for a code of the wrong type or shape, even against a valid hash', () => {
    for (const value of [undefined, null, 482913, '', ' 482913', '482913 ', ['482913']]) {
      expect(verifyMonitorCode(value, stored)).toBe(false);
    }
  });

  it('verifies hashes made with other (bounded) parameters, as stored', () => {
    // A hash stored by an older release with cheaper parameters must keep working.
    const cheap = 'scrypt$1024$8$1$' + Buffer.alloc(16, 1).toString('base64') + '$';
    const key = scryptSync('1234', Buffer.alloc(16, 1), 32, { N: 1024, r: 8, p: 1 }).toString('base64');
    expect(verifyMonitorCode('1234', cheap + key)).toBe(true);
    expect(verifyMonitorCode('1235', cheap + key)).toBe(false);
  });
});
