// Twilio resource identifiers: two-letter prefix + 32 lower-case hex digits.
import { randomBytes } from 'node:crypto';

export const SidPrefix = {
  account: 'AC',
  apiKey: 'SK',
  phoneNumber: 'PN',
  call: 'CA',
  conference: 'CF',
  message: 'SM',
  sipDomain: 'SD',
  credentialList: 'CL',
  credential: 'CR',
  service: 'ZS',
  environment: 'ZE',
  functionOrAsset: 'ZH',
  version: 'ZN',
  build: 'ZB',
  deployment: 'ZD',
  variable: 'ZV',
  flow: 'FW',
  syncService: 'IS',
  syncDocument: 'ET',
  syncList: 'ES',
  alert: 'NO',
  functionLog: 'NO',
  request: 'RQ',
  execution: 'FN',
  step: 'FT',
} as const;
export type SidPrefixValue = (typeof SidPrefix)[keyof typeof SidPrefix];

export function newSid(prefix: SidPrefixValue | string): string {
  return prefix + randomBytes(16).toString('hex');
}

export function isSid(value: string, prefix: string): boolean {
  return new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
}

/** A random secret such as an auth token: 32 hex digits. */
export function newSecret(): string {
  return randomBytes(16).toString('hex');
}
