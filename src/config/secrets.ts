// Secrets never leave the process unmasked unless the user asks (--show-secrets).
import { secretKeys, type HomephoneConfig, type TwilioSection } from './schema.js';

export const MASK = '********';

export function isSecretKey(dotted: string): boolean {
  return secretKeys.some((key) => key === dotted || key.startsWith(`${dotted}.`) || dotted.startsWith(`${key}.`));
}

/** A deep copy with every secret replaced by MASK. */
export function maskSecrets(config: HomephoneConfig): HomephoneConfig {
  const copy = structuredClone(config) as Record<string, Record<string, unknown> | undefined>;
  for (const key of secretKeys) {
    const [section, field] = key.split('.') as [string, string];
    const holder = copy[section];
    if (holder && holder[field] !== undefined) holder[field] = MASK;
  }
  return copy as HomephoneConfig;
}

/** Masks a value fetched by dotted key, whether it is the secret itself or a section holding one. */
export function maskValue(dotted: string, value: unknown): unknown {
  if (value === undefined) return value;
  if (secretKeys.includes(dotted as (typeof secretKeys)[number])) return MASK;
  if (dotted === '' || !dotted.includes('.')) {
    const wrapped = dotted ? { [dotted]: value } : value;
    const masked = maskSecrets(wrapped as HomephoneConfig) as Record<string, unknown>;
    return dotted ? masked[dotted] : masked;
  }
  return value;
}

/**
 * The deploy bookkeeping with every hash of a secret masked, whatever the flags: the SIP
 * password's hash and the hashes of the Functions' variable values (the monitor code's among them).
 */
export function maskDeployHashes(deploy: unknown): unknown {
  if (deploy === null || typeof deploy !== 'object') return deploy;
  const copy = structuredClone(deploy) as { sip?: Record<string, unknown>; applied?: Record<string, Record<string, unknown>> };
  if (copy.sip?.passwordHash !== undefined) copy.sip.passwordHash = MASK;
  for (const [resource, fields] of Object.entries(copy.applied ?? {})) {
    if (resource.startsWith('Variable ')) for (const field of Object.keys(fields)) fields[field] = MASK;
  }
  return copy;
}

const envNames = {
  accountSid: 'TWILIO_ACCOUNT_SID',
  authToken: 'TWILIO_AUTH_TOKEN',
  apiKey: 'TWILIO_API_KEY',
  apiSecret: 'TWILIO_API_SECRET',
} as const;

/** Twilio credentials: env vars override what the config holds. */
export function twilioCredentials(config: HomephoneConfig, env: NodeJS.ProcessEnv = process.env): TwilioSection {
  const merged: TwilioSection = { ...config.twilio };
  for (const [field, name] of Object.entries(envNames) as [keyof typeof envNames, string][]) {
    const value = env[name];
    if (value) merged[field] = value;
  }
  if (env.HOMEPHONE_TWIN_URL) merged.twinUrl = env.HOMEPHONE_TWIN_URL;
  return merged;
}
