// The questions `homephone init` asks, as data: each has its flag, its check and where it is stored.
import type { HomephoneConfig } from '../../config/schema.js';
import * as v from '../../config/validate.js';
import type { Check } from '../../config/validate.js';

export interface Question {
  /** Key in --from-file answers and the camelCase of the flag. */
  key: string;
  flag: string;
  message: string;
  check: Check;
  secret?: boolean;
  /** The stored value shown as the default when init runs again. */
  current?: (config: HomephoneConfig) => string | undefined;
  fallback?: (answers: Answers) => string | undefined;
  /** Not asked at all when this holds (e.g. no API key means no API secret). */
  skip?: (answers: Answers) => boolean;
  /** What to pass when the answer is missing, if more than the flag itself. */
  hint?: string;
  /** Required unless this says otherwise (e.g. satisfied by env vars or an API key). */
  optional?: (answers: Answers, env: NodeJS.ProcessEnv) => boolean;
}

export type Answers = Record<string, unknown>;

export const credentialQuestions: Question[] = [
  {
    key: 'accountSid',
    flag: '--account-sid',
    message: 'Twilio account SID (AC…)',
    check: v.accountSid,
    current: (c) => c.twilio?.accountSid,
    optional: (_a, env) => Boolean(env.TWILIO_ACCOUNT_SID),
  },
  {
    key: 'apiKey',
    flag: '--api-key',
    message: 'Twilio API key SID (SK…; leave empty to use the auth token only)',
    check: v.apiKey,
    current: (c) => c.twilio?.apiKey,
    optional: () => true,
  },
  {
    key: 'apiSecret',
    flag: '--api-secret',
    message: 'Twilio API key secret',
    check: v.apiSecret,
    secret: true,
    current: (c) => c.twilio?.apiSecret,
    skip: (a) => !a.apiKey,
    optional: (_a, env) => Boolean(env.TWILIO_API_SECRET),
  },
  {
    key: 'authToken',
    flag: '--auth-token',
    message: 'Twilio auth token (the buzzer agent needs it to check Twilio signatures)',
    hint: 'pass --auth-token, or --api-key with --api-secret, or set TWILIO_AUTH_TOKEN',
    check: v.authToken,
    secret: true,
    current: (c) => c.twilio?.authToken,
    optional: (a, env) => Boolean(env.TWILIO_AUTH_TOKEN) || Boolean(a.apiKey && a.apiSecret),
  },
];

export const householdQuestions: Question[] = [
  {
    key: 'country',
    flag: '--country',
    message: 'Default country for phone numbers (ISO code)',
    check: v.country,
    current: (c) => c.household?.defaultCountry,
    fallback: () => 'US',
  },
  {
    key: 'homeNumber',
    flag: '--home-number',
    message: 'Home number (the Twilio number that rings the home phone)',
    check: v.phoneNumber,
    current: (c) => c.household?.homeNumber,
  },
  {
    key: 'ownerCell',
    flag: '--owner-cell',
    message: "Owner's cell (gets the owner's options and the fallback)",
    check: v.phoneNumber,
    current: (c) => c.household?.ownerCell,
  },
  {
    key: 'timeZone',
    flag: '--time-zone',
    message: 'Time zone (IANA, e.g. America/Toronto)',
    check: v.timeZone,
    current: (c) => c.household?.timeZone,
  },
  {
    key: 'sipDomain',
    flag: '--sip-domain',
    message: 'SIP domain name (a bare name like "myhome" becomes myhome.sip.twilio.com)',
    check: v.sipDomain,
    current: (c) => c.household?.sipDomain,
  },
  {
    key: 'sipUsername',
    flag: '--sip-username',
    message: "The SIP phone's username",
    check: v.sipUsername,
    current: (c) => c.household?.sipUsername,
    fallback: () => 'homephone',
  },
  {
    key: 'emergencyNumbers',
    flag: '--emergency-numbers',
    message: "Extra numbers always connected directly, beyond the country's emergency numbers, 112 and 911 (comma-separated; none for none)",
    check: v.emergencyNumbers,
    current: (c) => c.household?.emergencyNumbers?.join(','),
    optional: () => true,
  },
];

export const buzzerQuestions: Question[] = [
  {
    key: 'buzzerNumber',
    flag: '--buzzer-number',
    message: 'Buzzer number (the Twilio number the enterphone calls)',
    check: v.phoneNumber,
    current: (c) => c.buzzer?.number,
  },
  {
    key: 'enterphoneNumber',
    flag: '--enterphone-number',
    message: "The enterphone's own number (the only caller the buzzer accepts)",
    check: v.phoneNumber,
    current: (c) => c.buzzer?.enterphoneNumber,
  },
  {
    key: 'doorDigits',
    flag: '--door-digits',
    message: 'Digits that open the door',
    check: v.doorDigits,
    current: (c) => c.buzzer?.doorDigits,
    fallback: () => '9',
  },
  {
    key: 'publicUrl',
    flag: '--public-url',
    message: "The agent's public HTTPS URL (what Twilio calls)",
    check: v.publicUrl,
    current: (c) => c.buzzer?.publicUrl,
  },
];

export const monitorCodeQuestion: Question = {
  key: 'monitorCode',
  flag: '--monitor-code',
  message: 'Monitor code (4 to 8 digits; asked before joining or listening to a call)',
  check: v.monitorCode,
  secret: true,
};

/** Every key --from-file may hold. */
export const answerKeys = new Set([
  ...credentialQuestions.map((q) => q.key),
  ...householdQuestions.map((q) => q.key),
  ...buzzerQuestions.map((q) => q.key),
  'monitorCode',
  'buzzer',
  'tenants',
  'bedtime',
]);
