// Which Twilio (or twin) to talk to, with which credentials. Cheap to import: no SDK here.
import { AuthError, InputError } from '../errors.js';

export interface TwilioSettings {
  accountSid?: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Base URL of a local Twilio twin (e.g. http://127.0.0.1:4010); unset = real Twilio. */
  twinUrl?: string;
}

export interface ResolvedTwilioSettings {
  accountSid: string;
  /** Basic-auth user: the API key SID, or the account SID with an auth token. */
  username: string;
  password: string;
  auth: 'api-key' | 'auth-token';
  twinUrl: string | undefined;
}

const CREDENTIAL_HINT =
  'set twilio.accountSid and an API key + secret (or the auth token) in the config (homephone config show), ' +
  'or TWILIO_ACCOUNT_SID with TWILIO_API_KEY/TWILIO_API_SECRET or TWILIO_AUTH_TOKEN';

function pick(envValue: string | undefined, setting: string | undefined): string | undefined {
  const v = envValue !== undefined && envValue !== '' ? envValue : setting;
  return v === undefined || v === '' ? undefined : v.trim();
}

/** Env vars override settings: TWILIO_ACCOUNT_SID/AUTH_TOKEN/API_KEY/API_SECRET, HOMEPHONE_TWIN_URL. */
export function resolveTwilioSettings(
  settings: TwilioSettings,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTwilioSettings {
  const accountSid = pick(env.TWILIO_ACCOUNT_SID, settings.accountSid);
  const authToken = pick(env.TWILIO_AUTH_TOKEN, settings.authToken);
  const apiKey = pick(env.TWILIO_API_KEY, settings.apiKey);
  const apiSecret = pick(env.TWILIO_API_SECRET, settings.apiSecret);
  const twinUrl = pick(env.HOMEPHONE_TWIN_URL, settings.twinUrl);

  if (!accountSid) throw new AuthError('no Twilio account SID is configured', { hint: CREDENTIAL_HINT });
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new AuthError(`the Twilio account SID ${accountSid} is not valid (AC followed by 32 hex digits)`, {
      hint: CREDENTIAL_HINT,
    });
  }
  let twin: string | undefined;
  if (twinUrl) {
    let u: URL;
    try {
      u = new URL(twinUrl);
    } catch {
      throw new InputError(`the twin URL ${twinUrl} is not a URL`, { hint: 'use the URL `homephone twin start` prints' });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new InputError(`the twin URL ${twinUrl} must be http(s)`, { hint: 'use the URL `homephone twin start` prints' });
    }
    twin = twinUrl.replace(/\/+$/, '');
  }
  if (apiKey || apiSecret) {
    if (!apiKey || !apiSecret) {
      throw new AuthError(`the Twilio API ${apiKey ? 'secret' : 'key'} is missing (an API key needs its secret)`, {
        hint: CREDENTIAL_HINT,
      });
    }
    if (!/^SK[0-9a-fA-F]{32}$/.test(apiKey)) {
      throw new AuthError(`the Twilio API key ${apiKey} is not valid (SK followed by 32 hex digits)`, { hint: CREDENTIAL_HINT });
    }
    return { accountSid, username: apiKey, password: apiSecret, auth: 'api-key', twinUrl: twin };
  }
  if (authToken) return { accountSid, username: accountSid, password: authToken, auth: 'auth-token', twinUrl: twin };
  throw new AuthError('no Twilio API key/secret or auth token is configured', { hint: CREDENTIAL_HINT });
}
