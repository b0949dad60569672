// A twin holding exactly what `homephone deploy` would deploy from a configuration and whitelist:
// an in-memory Twilio twin (its own account and credentials, on loopback only), the real deploy
// run against it, and the facts a scenario needs (the Functions' domain, the SIP phone's URI).
// Nothing here reads credentials from the configuration or talks to anything but the twin.
import type { HomephoneConfig } from '../config/schema.js';
import { deploy, generateSipPassword, memoryStateStore, type DeploySession } from '../deploy/index.js';
import { InputError } from '../errors.js';
import type { Contact } from '../household/contacts.js';
import { createTwilioClient } from '../twilio/client.js';
import { createServerlessUploader } from '../twilio/upload.js';
import { startTwin, type Twin } from '@homephone/twin';

export interface DeployedTwin {
  twin: Twin;
  /** The Functions' domain, e.g. homephone-1234-production.twil.io. */
  domain: string;
  homeNumber: string;
  ownerCell: string;
  /** sip:user@domain.sip.twilio.com: the SIP phone. */
  sipUri: string;
  close(): Promise<void>;
}

export interface DeployedTwinInput {
  config: HomephoneConfig;
  whitelist: Contact[];
  /** The twin's virtual clock starts here (default: now). */
  startTime?: Date;
  templatesDir?: string;
}

/** The household settings a call needs, or exit 2 naming what to set. */
export function requireCallSettings(config: HomephoneConfig): { homeNumber: string; ownerCell: string; sipUri: string; timeZone: string } {
  const h = config.household ?? {};
  const missing = (['homeNumber', 'ownerCell', 'sipDomain', 'sipUsername', 'timeZone'] as const).filter((k) => !h[k]);
  if (missing.length) {
    throw new InputError(`the configuration has no ${missing.map((k) => `household.${k}`).join(', ')}`, {
      hint: `run homephone init, or set it: homephone config set household.${missing[0]} <value>`,
    });
  }
  return { homeNumber: h.homeNumber!, ownerCell: h.ownerCell!, sipUri: `sip:${h.sipUsername}@${h.sipDomain}`, timeZone: h.timeZone! };
}

export async function startDeployedTwin(input: DeployedTwinInput): Promise<DeployedTwin> {
  const settings = requireCallSettings(input.config);
  const numbers = [settings.homeNumber, ...(input.config.buzzer?.number ? [input.config.buzzer.number] : [])];
  const twin = await startTwin({ numbers, ...(input.startTime ? { startTime: input.startTime } : {}) });
  try {
    const twinSettings = { accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url };
    const noSleep = async () => {};
    // The twin is the only target: an empty environment, so no TWILIO_* variable can redirect it.
    const session: DeploySession = {
      accountSid: twinSettings.accountSid,
      target: `an in-memory twin (${twin.url})`,
      client: createTwilioClient(twinSettings, {}, { retry: { sleep: noSleep } }),
      uploader: createServerlessUploader(twinSettings, {}, { retry: { sleep: noSleep } }),
      store: memoryStateStore(),
      config: input.config,
      whitelist: input.whitelist,
      sipPassword: input.config.household?.sipPassword ?? generateSipPassword(),
      sipPasswordGenerated: false,
      sleep: noSleep,
      ...(input.templatesDir ? { templatesDir: input.templatesDir } : {}),
    };
    await deploy(session);
    const environment = [...twin.state.services.values()].flatMap((s) => [...s.environments.values()])[0];
    if (!environment) throw new Error('internal: the deploy left no Serverless environment in the twin');
    return {
      twin,
      domain: environment.json.domain_name,
      homeNumber: settings.homeNumber,
      ownerCell: settings.ownerCell,
      sipUri: settings.sipUri,
      close: () => twin.close(),
    };
  } catch (e) {
    await twin.close();
    throw e;
  }
}
