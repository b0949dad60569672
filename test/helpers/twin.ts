// Shared set-up: an in-process twin on a random port and real SDK clients pointed at it.
import { startTwin, type Twin, type TwinOptions } from '@homephone/twin';
import { createTwilioClient, type TwilioClient } from '../../src/twilio/client.js';
import { createServerlessUploader, type ServerlessUploader } from '../../src/twilio/upload.js';

export const HOME = '+15551230001';
export const BUZZER = '+15551230002';

/** An env with no TWILIO_* or HOMEPHONE_* variables, so the machine's never leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...extra };
}

export interface Harness {
  twin: Twin;
  client: TwilioClient;
  uploader: ServerlessUploader;
  settings: { accountSid: string; authToken: string; twinUrl: string };
}

export async function startHarness(options: TwinOptions = {}): Promise<Harness> {
  const twin = await startTwin({ numbers: [HOME, BUZZER], ...options });
  const settings = { accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url };
  const noSleep = { sleep: async () => {} };
  return {
    twin,
    settings,
    client: createTwilioClient(settings, cleanEnv(), { retry: noSleep }),
    uploader: createServerlessUploader(settings, cleanEnv(), { retry: noSleep }),
  };
}
