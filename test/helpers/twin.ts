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

export const VALID_FLOW = {
  description: 'home phone',
  initial_state: 'Trigger',
  flags: { allow_concurrent_calls: true },
  states: [
    {
      name: 'Trigger',
      type: 'trigger',
      transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall', next: 'check' }, { event: 'incomingRequest' }],
      properties: { offset: { x: 0, y: 0 } },
    },
    {
      name: 'check',
      type: 'run-function',
      transitions: [
        { event: 'success', next: 'route' },
        { event: 'fail', next: 'sorry' },
      ],
      properties: {
        url: 'https://homephone-1234-production.twil.io/screen',
        parameters: [{ key: 'from', value: '{{trigger.call.From}}' }],
      },
    },
    {
      name: 'route',
      type: 'split-based-on',
      transitions: [
        { event: 'noMatch', next: 'sorry' },
        {
          event: 'match',
          next: 'connect',
          conditions: [{ friendly_name: 'ok', arguments: ['{{widgets.check.parsed.allowed}}'], type: 'equal_to', value: 'true' }],
        },
      ],
      properties: { input: '{{widgets.check.parsed.allowed}}' },
    },
    {
      name: 'connect',
      type: 'add-twiml-redirect',
      transitions: [{ event: 'return' }, { event: 'timeout' }, { event: 'fail', next: 'sorry' }],
      properties: { url: 'https://homephone-1234-production.twil.io/connect', method: 'POST', timeout: '14400' },
    },
    {
      name: 'sorry',
      type: 'say-play',
      transitions: [{ event: 'audioComplete' }],
      properties: { say: 'Sorry, nobody can take your call.', loop: 1 },
    },
  ],
};
