// The desired Twilio state, built from the configuration, the whitelist and templates/. A few
// values exist only once something is created (the service's domain, a flow's webhook URL): they
// are read from `Facts`, which the apply fills in as it goes; a plan shows stand-ins for them.
import type { HomephoneConfig } from '../config/schema.js';
import { alertsVariable } from '../alerts/settings.js';
import { contactsToJson, type Contact } from '../household/contacts.js';
import { countryCallingCode, emergencyNumbersFor } from '../household/emergency.js';
import { InputError } from '../errors.js';
import { MESSAGE_KEYS, spokenMessage } from '../config/validate.js';
import { FLOWS, type FlowKey } from '../studio/flows.js';
import type { FlowDefinition } from '../studio/widgets.js';
import { playLoop } from '../twiml/templates.js';
import type { Visibility } from '../twilio/upload.js';
import { agentSmsUrl, SMS_BUZZER_FALLBACK_PATH, SMS_HOME_PATH } from './messaging.js';
import { canonicalJson } from './normalise.js';
import { withMark } from './ownership.js';
import { ringbackWav } from './ringback.js';
import { assetTemplates, functionTemplates, TEMPLATES_DIR } from './templates.js';

export const SERVICE_UNIQUE_NAME = 'homephone';
export const ENVIRONMENT_UNIQUE_NAME = 'production';
/** Names carry the mark that tells homephone's resources from another party's (ownership.ts). */
export const CREDENTIAL_LIST_NAME = withMark('homephone');
/** What versions before the mark named the list: such a list may be adopted (never one holding other users). */
export const LEGACY_CREDENTIAL_LIST_NAME = 'homephone';
export { SYNC_SERVICE_FRIENDLY_NAME } from './sync-name.js';
import { SYNC_SERVICE_FRIENDLY_NAME } from './sync-name.js';
/** How plans, progress and drift name the Sync service (its friendly name also carries the mark). */
export const SYNC_SERVICE_LABEL = 'Sync service homephone';
export const RUNTIME = 'node22';
/** Stand-in for the service's domain before it exists (plans only; never written). */
export const UNKNOWN_DOMAIN = 'known-after-apply.invalid';
export const UNKNOWN_FLOW_SID = 'FW-known-after-apply';

export const DEFAULT_MESSAGES = {
  notWhitelisted: 'Sorry, this number does not take calls from unknown callers. Goodbye.',
  bedtime: 'It is bedtime at our house. Please call again tomorrow. Goodbye.',
  phoneUnavailable: 'Sorry, nobody can take your call right now. Please try again later.',
} as const;

/** Seconds the SIP phone rings before a caller goes to the fallback. */
export const DEFAULT_PHONE_RING_TIMEOUT = 25;

export interface Facts {
  /** The environment's domain, e.g. homephone-1234.twil.io. */
  domain?: string;
  flowWebhooks: Partial<Record<FlowKey, string>>;
  /** The Sync service's SID (IS…), once found or created. */
  syncServiceSid?: string;
}

export interface DesiredFile {
  kind: 'function' | 'asset';
  path: string;
  visibility: Visibility;
  contentType: string;
  filename: string;
  source: string;
  /** The bytes to upload; may depend on the service's domain. */
  content: (facts: Facts) => Buffer;
}

export interface DesiredVariable {
  key: string;
  value: string;
  secret: boolean;
  /** A value known only once something exists (the Sync service's SID): replaces `value`. */
  fromFacts?: (facts: Facts) => string;
}

export interface DesiredFlow {
  key: FlowKey;
  friendlyName: string;
  definition: (facts: Facts) => FlowDefinition;
}

export interface DesiredNumber {
  role: 'home' | 'buzzer';
  phoneNumber: string;
  voiceUrl: (facts: Facts) => string;
  voiceFallbackUrl: (facts: Facts) => string;
  /** Where texts to the number go ('' for none), and where Twilio goes when that fails (messaging.ts). */
  smsUrl: (facts: Facts) => string;
  smsFallbackUrl: (facts: Facts) => string;
}

export interface DesiredSip {
  domainName: string;
  friendlyName: string;
  emergencyCallingEnabled: boolean;
  credentialListName: string;
  username: string;
  password: string;
}

export interface DesiredState {
  accountSid: string;
  service: { uniqueName: string; friendlyName: string };
  /** The Sync service for the Functions' durable state (the monitor code's lockout). */
  sync: { friendlyName: string };
  environment: { uniqueName: string };
  files: DesiredFile[];
  variables: DesiredVariable[];
  flows: DesiredFlow[];
  sip: DesiredSip;
  numbers: DesiredNumber[];
}

export interface DesiredInputs {
  accountSid: string;
  config: HomephoneConfig;
  whitelist: Contact[];
  /** The SIP password to use (generated and stored by the caller when the config has none). */
  sipPassword: string;
  templatesDir?: string;
}

/** The ringback never changes: made once per process (96 KB of samples), not on every plan. Never mutated. */
let defaultRingback: Buffer | undefined;

export function functionsBase(facts: Facts): string {
  return `https://${facts.domain ?? UNKNOWN_DOMAIN}`;
}

export function flowWebhook(accountSid: string, facts: Facts, key: FlowKey): string {
  return facts.flowWebhooks[key] ?? `https://webhooks.twilio.com/v1/Accounts/${accountSid}/Flows/${UNKNOWN_FLOW_SID}`;
}

/** The config keys deploy cannot do without, with the command that sets each. */
function requireHousehold(config: HomephoneConfig) {
  const h = config.household ?? {};
  const missing = (['homeNumber', 'ownerCell', 'sipDomain', 'sipUsername', 'timeZone'] as const).filter((k) => !h[k]);
  if (missing.length) {
    throw new InputError(`the configuration has no ${missing.map((k) => `household.${k}`).join(', ')}`, {
      hint: 'run homephone init (or homephone config set household.<key> <value>)',
    });
  }
  const b = config.buzzer ?? {};
  if (b.number && !b.publicUrl) {
    throw new InputError('the buzzer number is configured but buzzer.publicUrl is not: its voice URL would be empty', {
      hint: "set the agent's public HTTPS URL: homephone config set buzzer.publicUrl https://buzz.example.org/",
    });
  }
  return {
    homeNumber: h.homeNumber!,
    ownerCell: h.ownerCell!,
    sipDomain: h.sipDomain!,
    sipUsername: h.sipUsername!,
    timeZone: h.timeZone!,
  };
}

export function buildDesired(inputs: DesiredInputs): DesiredState {
  const { config, accountSid } = inputs;
  const h = requireHousehold(config);
  const household = config.household ?? {};
  const buzzer = config.buzzer ?? {};
  const messages = { ...DEFAULT_MESSAGES, ...household.messages };
  // A message edited into the file by hand gets the same check as `config set`.
  for (const key of MESSAGE_KEYS) {
    const checked = spokenMessage(messages[key], {});
    if (!checked.ok) {
      throw new InputError(`household.messages.${key} cannot be deployed: ${checked.reason}`, {
        hint: `set it again: homephone config set household.messages.${key} "<words to say>"`,
      });
    }
  }
  // The country's emergency numbers (libphonenumber's short-number metadata), 112 and 911, and any extra ones.
  const emergencyNumbers = emergencyNumbersFor(household.defaultCountry, household.emergencyNumbers ?? []);

  const fixed = (content: Buffer) => () => content;
  const files: DesiredFile[] = [...functionTemplates(inputs.templatesDir ?? TEMPLATES_DIR), ...assetTemplates(inputs.templatesDir ?? TEMPLATES_DIR)].map(
    (t) => ({ ...t, content: fixed(t.content) }),
  );
  const generated = (path: string, visibility: Visibility, contentType: string, source: string, content: DesiredFile['content']): DesiredFile => ({
    kind: 'asset',
    path,
    visibility,
    contentType,
    filename: path.slice(1),
    source,
    content,
  });
  const policy = {
    timeZone: h.timeZone,
    defaultCountry: household.defaultCountry ?? null,
    bedtime: household.bedtime ?? [],
    emergencyNumbers,
    // Two-digit emergency numbers are dialled with it (Twilio's rule); null for an unknown country.
    countryCallingCode: countryCallingCode(household.defaultCountry ?? 'US'),
    voicemail: household.voicemail ?? false,
    ringTimeout: household.ringTimeout ?? DEFAULT_PHONE_RING_TIMEOUT,
    messages,
  };
  const ringback = (defaultRingback ??= ringbackWav());
  files.push(
    generated('/whitelist.json', 'private', 'application/json', 'generated: the whitelist', fixed(Buffer.from(contactsToJson(inputs.whitelist)))),
    generated('/policy.json', 'private', 'application/json', 'generated: bedtime, messages, emergency numbers', fixed(Buffer.from(`${canonicalJson(policy)}\n`))),
    generated('/ringback.wav', 'public', 'audio/wav', 'generated: ringback 440+480 Hz, 2 s on, 4 s off', fixed(ringback)),
    // Stands in for a TwiML Bin: the conference waitUrl for a visitor (GET, so Twilio may cache it).
    generated('/ringback.xml', 'protected', 'text/xml', 'generated: TwiML <Play loop="0"> of /ringback.wav', (facts) =>
      Buffer.from(playLoop({ url: `${functionsBase(facts)}/ringback.wav`, loop: 0 })),
    ),
  );
  const paths = new Set<string>();
  for (const f of files) {
    if (paths.has(f.path)) throw new InputError(`two templates are served at ${f.path}`, { hint: 'rename one of them' });
    paths.add(f.path);
  }

  const variables: DesiredVariable[] = [];
  const variable = (key: string, value: string | number | undefined, secret = false) => {
    if (value !== undefined && value !== '') variables.push({ key, value: String(value), secret });
  };
  variable('HOME_NUMBER', h.homeNumber);
  variable('OWNER_CELL', h.ownerCell);
  variable('SIP_URI', `sip:${h.sipUsername}@${h.sipDomain}`);
  variable('MONITOR_CODE_HASH', household.monitorCodeHash, true);
  variable('TIME_ZONE', h.timeZone);
  variable('BUZZER_NUMBER', buzzer.number);
  variable('ENTERPHONE_NUMBER', buzzer.enterphoneNumber);
  variable('TENANT_NUMBERS', buzzer.tenants?.map((t) => t.number).join(','));
  variable('RING_TIMEOUT', buzzer.ringTimeout);
  variable('BUZZER_FALLBACK_NUMBER', buzzer.fallbackNumber);
  // The owner's alerts (homephone alerts): absent when off, so deploy removes it.
  variable('ALERTS', alertsVariable(config.alerts));
  variables.push({ key: 'SYNC_SERVICE_SID', value: '', secret: false, fromFacts: (facts) => facts.syncServiceSid ?? '' });

  const flows: DesiredFlow[] = FLOWS.map((f) => ({
    key: f.key,
    friendlyName: f.friendlyName,
    definition: (facts) => {
      const definition = f.build({ functionsBase: functionsBase(facts), unavailableMessage: messages.phoneUnavailable, ownerCell: h.ownerCell });
      return { ...definition, description: withMark(definition.description ?? f.friendlyName) };
    },
  }));

  const numbers: DesiredNumber[] = [
    {
      role: 'home',
      phoneNumber: h.homeNumber,
      voiceUrl: (facts) => flowWebhook(accountSid, facts, 'incoming'),
      voiceFallbackUrl: (facts) => `${functionsBase(facts)}/fallback-owner`,
      smsUrl: (facts) => `${functionsBase(facts)}${SMS_HOME_PATH}`,
      smsFallbackUrl: () => '',
    },
  ];
  if (buzzer.number && buzzer.publicUrl) {
    const agentUrl = buzzer.publicUrl;
    numbers.push({
      role: 'buzzer',
      phoneNumber: buzzer.number,
      voiceUrl: () => agentUrl,
      voiceFallbackUrl: (facts) => `${functionsBase(facts)}/buzzer-fallback`,
      smsUrl: () => agentSmsUrl(agentUrl),
      smsFallbackUrl: (facts) => `${functionsBase(facts)}${SMS_BUZZER_FALLBACK_PATH}`,
    });
  }

  return {
    accountSid,
    service: { uniqueName: SERVICE_UNIQUE_NAME, friendlyName: withMark('homephone') },
    sync: { friendlyName: SYNC_SERVICE_FRIENDLY_NAME },
    environment: { uniqueName: ENVIRONMENT_UNIQUE_NAME },
    files,
    variables,
    flows,
    sip: {
      domainName: h.sipDomain,
      friendlyName: withMark('homephone'),
      emergencyCallingEnabled: emergencyNumbers.length > 0,
      credentialListName: CREDENTIAL_LIST_NAME,
      username: h.sipUsername,
      password: inputs.sipPassword,
    },
    numbers,
  };
}
