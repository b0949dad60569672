// @ts-check
'use strict';

// The owner's monitor code (4-8 digits) guards "press 1 to join / 8 to listen", because caller ID
// can be forged. It is never stored in clear: only a salted scrypt hash goes into the Function's
// environment. Deployed as is to Twilio Functions (CommonJS, Node `crypto` only).

const crypto = require('crypto');

const SCHEME = 'scrypt';
const COST_N = 16384;
const BLOCK_R = 8;
const PARALLEL_P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// Bounds for parameters read back from a stored string, so a corrupt or hostile value can
// neither make verification burn minutes of CPU nor exhaust memory.
const MAX_WORK = 16 * COST_N * BLOCK_R * PARALLEL_P; // about a second of CPU
const MAX_MEMORY = 128 * MAX_WORK; // scrypt needs 128 * N * r bytes
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const POSITIVE_INT_RE = /^[1-9]\d{0,9}$/;

/**
 * Whether a code has the allowed shape: 4 to 8 ASCII digits.
 * @param {unknown} code
 * @returns {code is string}
 */
function isValidMonitorCode(code) {
  return typeof code === 'string' && /^\d{4,8}$/.test(code);
}

/**
 * @param {string} code
 * @param {Buffer} salt
 * @param {{ N: number, r: number, p: number }} params
 * @param {number} keyBytes
 * @returns {Buffer}
 */
function derive(code, salt, params, keyBytes) {
  return crypto.scryptSync(code, salt, keyBytes, { ...params, maxmem: MAX_MEMORY });
}

/**
 * Hashes a monitor code: `scrypt$<N>$<r>$<p>$<saltBase64>$<hashBase64>` with a fresh random salt.
 * Throws if the code is not 4 to 8 digits.
 * @param {string} code
 * @returns {string}
 */
function hashMonitorCode(code) {
  if (!isValidMonitorCode(code)) {
    throw new Error('monitor code must be 4 to 8 digits (0-9)');
  }
  const salt = crypto.randomBytes(SALT_BYTES);
  const hash = derive(code, salt, { N: COST_N, r: BLOCK_R, p: PARALLEL_P }, KEY_BYTES);
  return [SCHEME, COST_N, BLOCK_R, PARALLEL_P, salt.toString('base64'), hash.toString('base64')].join('$');
}

/**
 * Strict base64 decode; null unless the text is canonical base64 of at least `minBytes` bytes.
 * @param {string} text
 * @param {number} minBytes
 * @returns {Buffer | null}
 */
function decodeBase64(text, minBytes) {
  if (!BASE64_RE.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length >= minBytes && bytes.toString('base64') === text ? bytes : null;
}

/**
 * Parses a stored hash; null for anything malformed or outside safe parameter bounds.
 * @param {unknown} stored
 * @returns {{ params: { N: number, r: number, p: number }, salt: Buffer, hash: Buffer } | null}
 */
function parseStored(stored) {
  if (typeof stored !== 'string') return null;
  const fields = stored.split('$');
  if (fields.length !== 6 || fields[0] !== SCHEME) return null;
  const [, nText = '', rText = '', pText = '', saltText = '', hashText = ''] = fields;
  if (![nText, rText, pText].every((t) => POSITIVE_INT_RE.test(t))) return null;
  const N = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  const isPowerOfTwo = N >= 2 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N * r * p > MAX_WORK) return null;
  const salt = decodeBase64(saltText, 8);
  const hash = decodeBase64(hashText, 16);
  if (!salt || !hash || hash.length > 64) return null;
  return { params: { N, r, p }, salt, hash };
}

/**
 * Whether `code` matches a stored hash. Compares in constant time; returns false (never throws)
 * for a malformed stored string or a code of the wrong shape.
 * @param {unknown} code
 * @param {unknown} stored
 * @returns {boolean}
 */
function verifyMonitorCode(code, stored) {
  const parsed = parseStored(stored);
  if (!parsed || !isValidMonitorCode(code)) return false;
  try {
    const candidate = derive(code, parsed.salt, parsed.params, parsed.hash.length);
    return crypto.timingSafeEqual(candidate, parsed.hash);
  } catch {
    return false;
  }
}

module.exports = { hashMonitorCode, verifyMonitorCode, isValidMonitorCode };
