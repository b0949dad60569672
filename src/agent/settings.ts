// What the agent needs from the configuration, checked once at start. Missing pieces are named
// together, with what to set: the agent never starts half-configured, and never without the means
// to check Twilio's signatures.
import type { HomephoneConfig, Tenant } from '../config/schema.js';
import { isValidTimeZone, publicUrl as checkPublicUrl } from '../config/validate.js';
import { InputError } from '../errors.js';

export interface AgentSettings {
  /** The buzzer number's voice URL exactly as configured at Twilio (the signatures cover it). */
  publicUrl: string;
  /** Checks X-Twilio-Signature: the account's primary auth token (an API key cannot sign). */
  authToken: string;
  buzzerNumber: string;
  enterphoneNumber: string;
  tenants: Tenant[];
  doorDigits: string;
  /** Seconds the tenants' phones ring before the buzz counts as missed. */
  ringTimeout: number;
  fallbackNumber?: string | undefined;
  /** IANA zone for "missed buzz at 14:02". */
  timeZone: string;
  port: number;
  host: string;
  tls?: { cert: string; key: string } | undefined;
  /** Hue lights to flash: ids, or every light. */
  hueLights: string[] | 'all';
  /** The owner's cell (household.ownerCell): the only sender whose texts the agent obeys. */
  ownerCell?: string | undefined;
}

export interface AgentOverrides {
  port?: number | undefined;
  host?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '0.0.0.0';
export const DEFAULT_RING_TIMEOUT = 30;

/** Reads and checks the agent's settings; throws one InputError naming everything missing. */
export function agentSettings(config: HomephoneConfig, env: NodeJS.ProcessEnv, overrides: AgentOverrides = {}): AgentSettings {
  const b = config.buzzer ?? {};
  const missing: string[] = [];
  const authToken = env.TWILIO_AUTH_TOKEN || config.twilio?.authToken;
  if (!authToken) missing.push('twilio.authToken (or TWILIO_AUTH_TOKEN): the agent checks every webhook\'s signature with it');
  if (!b.publicUrl) missing.push('buzzer.publicUrl: the HTTPS URL Twilio calls, e.g. https://buzz.example.org/');
  if (!b.number) missing.push('buzzer.number: the Twilio number the enterphone calls');
  if (!b.enterphoneNumber) missing.push("buzzer.enterphoneNumber: the enterphone's own number");
  if (!b.tenants?.length) missing.push('buzzer.tenants: at least one tenant to ring (homephone init)');
  if (!config.household?.timeZone) missing.push('household.timeZone');
  if (missing.length) {
    throw new InputError(`the buzzer agent cannot start: ${missing.length === 1 ? 'this is' : 'these are'} not set:\n  ${missing.join('\n  ')}`, {
      hint: 'set them with homephone init or homephone config set KEY VALUE; the agent never runs without checking signatures',
    });
  }
  const zone = config.household!.timeZone!;
  if (!isValidTimeZone(zone)) {
    throw new InputError(`household.timeZone "${zone}" is not an IANA time zone: the agent's texts say the time in it`, {
      hint: 'set one with homephone config set household.timeZone America/Toronto (a name from the tz database)',
    });
  }
  const url = checkPublicUrl(b.publicUrl!, {});
  if (!url.ok) throw new InputError(`buzzer.publicUrl ${url.reason}`, { hint: 'set it with homephone config set buzzer.publicUrl URL' });
  const tlsCert = overrides.tlsCert ?? b.tlsCert;
  const tlsKey = overrides.tlsKey ?? b.tlsKey;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new InputError(`TLS needs both a certificate and a key; only the ${tlsCert ? 'certificate' : 'key'} is given`, {
      hint: 'pass --tls-cert FILE --tls-key FILE together (or set buzzer.tlsCert and buzzer.tlsKey), or neither behind a TLS proxy',
    });
  }
  const port = overrides.port ?? b.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`--port ${String(port)} is not a port number`, { hint: 'use 1-65535' });
  }
  const lights = config.hue?.lights;
  return {
    publicUrl: b.publicUrl!,
    authToken: authToken!,
    buzzerNumber: b.number!,
    enterphoneNumber: b.enterphoneNumber!,
    tenants: b.tenants!,
    doorDigits: b.doorDigits ?? '9',
    ringTimeout: b.ringTimeout ?? DEFAULT_RING_TIMEOUT,
    fallbackNumber: b.fallbackNumber,
    timeZone: zone,
    port,
    host: overrides.host ?? DEFAULT_HOST,
    tls: tlsCert && tlsKey ? { cert: tlsCert, key: tlsKey } : undefined,
    hueLights: lights && lights.length ? lights : 'all',
    ownerCell: config.household?.ownerCell,
  };
}
