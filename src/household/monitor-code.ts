// Typed ESM face of the monitor-code hashing. The code lives in the deployed Twilio Function
// library (CommonJS) so `homephone` hashes exactly as the live Function verifies.
import { createRequire } from 'node:module';

interface MonitorCodeLib {
  hashMonitorCode(code: string): string;
  verifyMonitorCode(code: unknown, stored: unknown): boolean;
  isValidMonitorCode(code: unknown): code is string;
}

// src/household/ and dist/household/ are both two levels below the package root.
const require = createRequire(import.meta.url);
const lib = require('../../templates/functions/lib/monitor-code.js') as MonitorCodeLib;

/** `scrypt$<N>$<r>$<p>$<saltBase64>$<hashBase64>` with a random salt. Throws unless 4-8 digits. */
export function hashMonitorCode(code: string): string {
  return lib.hashMonitorCode(code);
}

/** Constant-time check of a code against a stored hash; false for anything malformed. */
export function verifyMonitorCode(code: unknown, stored: unknown): boolean {
  return lib.verifyMonitorCode(code, stored);
}

/** Whether the code is 4 to 8 ASCII digits. */
export function isValidMonitorCode(code: unknown): code is string {
  return lib.isValidMonitorCode(code);
}
