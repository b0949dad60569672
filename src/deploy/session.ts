// Opens a deploy session from the configuration, the whitelist file and the environment: the
// Twilio client (loaded lazily: the SDK is heavy), the uploader, and the state kept in the config.
import { ConfigStore } from '../config/store.js';
import { InputError } from '../errors.js';
import { whitelistPath } from '../config/paths.js';
import { twilioCredentials } from '../config/secrets.js';
import { readWhitelist } from '../config/whitelist-file.js';
import { resolveTwilioSettings } from '../twilio/settings.js';
import { createServerlessUploader } from '../twilio/upload.js';
import type { RetryOptions } from '../twilio/retry.js';
import type { DeploySession } from './deploy.js';
import type { ProgressSink } from './run.js';
import { generateSipPassword, stateFromConfig, type StateStore } from './state.js';

export interface SessionOptions {
  /** --twin URL: wins over HOMEPHONE_TWIN_URL and twilio.twinUrl. */
  twinUrl?: string;
  progress?: ProgressSink;
  retry?: RetryOptions;
}

export function configStateStore(store: ConfigStore): StateStore {
  return {
    load: () => stateFromConfig(store.read()),
    save: async (state) => {
      await store.update((config) => ({ ...config, deploy: structuredClone(state) as Record<string, unknown> }));
    },
  };
}

export async function openSession(env: NodeJS.ProcessEnv, options: SessionOptions = {}): Promise<DeploySession> {
  const store = ConfigStore.open(env);
  const config = store.read();
  if (!config.household && !config.twilio) {
    throw new InputError(`there is no configuration to deploy (${store.path} is empty or missing)`, {
      hint: 'run homephone init first (or set HOMEPHONE_CONFIG_DIR to the folder that holds it)',
    });
  }
  const effectiveEnv = options.twinUrl ? { ...env, HOMEPHONE_TWIN_URL: options.twinUrl } : env;
  const settings = twilioCredentials(config, effectiveEnv);
  const resolved = resolveTwilioSettings(settings, effectiveEnv);
  const { createTwilioClient } = await import('../twilio/client.js');
  const clientOptions = options.retry ? { retry: options.retry } : {};
  const stored = config.household?.sipPassword;
  const sipPassword = stored ?? generateSipPassword();
  return {
    accountSid: resolved.accountSid,
    target: resolved.twinUrl ? `the twin at ${resolved.twinUrl} (account ${resolved.accountSid})` : `Twilio account ${resolved.accountSid}`,
    client: createTwilioClient(settings, effectiveEnv, clientOptions),
    uploader: createServerlessUploader(settings, effectiveEnv, clientOptions),
    store: configStateStore(store),
    config,
    whitelist: readWhitelist(whitelistPath(env)),
    sipPassword,
    sipPasswordGenerated: stored === undefined,
    saveSipPassword: async (password) => {
      await store.update((c) => ({ ...c, household: { ...c.household, sipPassword: c.household?.sipPassword ?? password } }));
    },
    ...(options.progress ? { progress: options.progress } : {}),
  };
}
