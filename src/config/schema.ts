// The configuration's shape and its JSON schema (conf validates every write with ajv).
// Format checks that need code (IANA time zones, phone-number rules) live in validate.ts.
import type { BedtimeWindow } from '../household/bedtime.js';

export interface TwilioSection {
  accountSid?: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** A local twin's base URL: when set, every Twilio request goes there instead. */
  twinUrl?: string;
}

export interface Messages {
  notWhitelisted?: string;
  bedtime?: string;
  phoneUnavailable?: string;
}

export interface HouseholdSection {
  homeNumber?: string;
  ownerCell?: string;
  defaultCountry?: string;
  timeZone?: string;
  sipDomain?: string;
  sipUsername?: string;
  sipPassword?: string;
  emergencyNumbers?: string[];
  bedtime?: BedtimeWindow[];
  monitorCodeHash?: string;
  voicemail?: boolean;
  /** Seconds the SIP phone rings before the caller goes to the fallback (default 25). */
  ringTimeout?: number;
  messages?: Messages;
}

export interface Tenant {
  name: string;
  number: string;
}

export interface BuzzerSection {
  number?: string;
  enterphoneNumber?: string;
  tenants?: Tenant[];
  doorDigits?: string;
  ringTimeout?: number;
  publicUrl?: string;
  port?: number;
  tlsCert?: string;
  tlsKey?: string;
  fallbackNumber?: string;
  /** Entry codes a visitor may type before the tenants are rung: salted scrypt hashes, never the codes. */
  entryCodes?: EntryCode[];
  /** Delivery window: until this instant (ISO 8601) a buzz opens the door at once. */
  openUntil?: string;
}

export interface EntryCode {
  name: string;
  hash: string;
}

export interface HueSection {
  bridgeAddress?: string;
  bridgeId?: string;
  username?: string;
  lights?: string[];
}

/** Texts to the owner about the home phone's calls (`homephone alerts`); off unless `enabled`. */
export interface AlertsSection {
  enabled?: boolean;
  /** An unknown number called: a text at once, a line in the daily digest, or nothing. */
  unknown?: 'immediate' | 'digest' | 'off';
  /** A whitelisted call nobody answered. */
  missed?: boolean;
  /** Texts a day at most (1-100, default 10). */
  maxPerDay?: number;
  /** "HH:MM" in the household's time zone: when the day's digest is due. */
  digestAt?: string;
}

export interface HomephoneConfig {
  twilio?: TwilioSection;
  household?: HouseholdSection;
  buzzer?: BuzzerSection;
  hue?: HueSection;
  alerts?: AlertsSection;
  /** What was last applied: SIDs, content hashes, build SID, flow revisions. Written by deploy. */
  deploy?: Record<string, unknown>;
}

const e164 = { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' } as const;
const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;
const dayName = { enum: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] } as const;

export const configSchema = {
  twilio: {
    type: 'object',
    additionalProperties: false,
    properties: {
      accountSid: { type: 'string', pattern: '^AC[0-9a-fA-F]{32}$' },
      authToken: { type: 'string', pattern: '^[0-9a-fA-F]{32}$' },
      apiKey: { type: 'string', pattern: '^SK[0-9a-fA-F]{32}$' },
      apiSecret: { type: 'string', minLength: 8, maxLength: 128 },
      twinUrl: { type: 'string', pattern: '^https?://[^\\s/]+(/.*)?$' },
    },
  },
  household: {
    type: 'object',
    additionalProperties: false,
    properties: {
      homeNumber: e164,
      ownerCell: e164,
      defaultCountry: { type: 'string', pattern: '^[A-Z]{2}$' },
      timeZone: { type: 'string', minLength: 1, maxLength: 64 },
      sipDomain: { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?\\.sip\\.twilio\\.com$' },
      sipUsername: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' },
      sipPassword: { type: 'string', minLength: 12, maxLength: 64 },
      emergencyNumbers: { type: 'array', items: { type: 'string', pattern: '^[0-9]{2,6}$' }, uniqueItems: true },
      bedtime: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['days', 'start', 'end'],
          properties: {
            days: { type: 'array', minItems: 1, maxItems: 7, uniqueItems: true, items: dayName },
            start: hhmm,
            end: hhmm,
          },
        },
      },
      monitorCodeHash: { type: 'string', pattern: '^scrypt\\$' },
      voicemail: { type: 'boolean' },
      ringTimeout: { type: 'integer', minimum: 10, maximum: 120 },
      messages: {
        type: 'object',
        additionalProperties: false,
        properties: {
          notWhitelisted: { type: 'string', minLength: 1, maxLength: 1000 },
          bedtime: { type: 'string', minLength: 1, maxLength: 1000 },
          phoneUnavailable: { type: 'string', minLength: 1, maxLength: 1000 },
        },
      },
    },
  },
  buzzer: {
    type: 'object',
    additionalProperties: false,
    properties: {
      number: e164,
      enterphoneNumber: e164,
      tenants: {
        type: 'array',
        maxItems: 10,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'number'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, number: e164 },
        },
      },
      doorDigits: { type: 'string', pattern: '^[0-9*#wW]{1,20}$' },
      ringTimeout: { type: 'integer', minimum: 5, maximum: 120 },
      publicUrl: { type: 'string', pattern: '^https://[^\\s/]+(/\\S*)?$' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      tlsCert: { type: 'string', minLength: 1 },
      tlsKey: { type: 'string', minLength: 1 },
      fallbackNumber: e164,
      entryCodes: {
        type: 'array',
        maxItems: 20,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'hash'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, hash: { type: 'string', pattern: '^scrypt\\$' } },
        },
      },
      openUntil: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' },
    },
  },
  hue: {
    type: 'object',
    additionalProperties: false,
    properties: {
      bridgeAddress: { type: 'string', minLength: 1, maxLength: 255 },
      bridgeId: { type: 'string', minLength: 1, maxLength: 64 },
      username: { type: 'string', minLength: 1, maxLength: 128 },
      lights: { type: 'array', items: { type: 'string', pattern: '^[0-9]+$' }, uniqueItems: true },
    },
  },
  alerts: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean' },
      unknown: { enum: ['immediate', 'digest', 'off'] },
      missed: { type: 'boolean' },
      maxPerDay: { type: 'integer', minimum: 1, maximum: 100 },
      digestAt: hhmm,
    },
  },
  deploy: { type: 'object' },
} as const;

/** Dotted keys whose values are secrets: masked in every output unless --show-secrets. */
export const secretKeys = [
  'twilio.authToken',
  'twilio.apiSecret',
  'household.sipPassword',
  'household.monitorCodeHash',
  'buzzer.entryCodes',
  'hue.username',
] as const;
