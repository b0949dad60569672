// Shared set-up: an in-process twin on a random port, a real SDK client pointed at it, and an
// uploader for Serverless versions (the SDK has none: it is a multipart POST to the upload host).
import { serverlessUploadBase, startTwin, twinClient, type Twin, type TwinOptions, type TwilioClient } from '../src/index.js';

export const HOME = '+15551230001';
export const BUZZER = '+15551230002';

/** An env with no TWILIO_* or HOMEPHONE_* variables, so the machine's never leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...extra };
}

export interface Harness {
  twin: Twin;
  client: TwilioClient;
  uploader: { upload(version: VersionUpload): Promise<{ sid: string; [key: string]: unknown }> };
  settings: { accountSid: string; authToken: string; twinUrl: string };
}

export async function startHarness(options: TwinOptions = {}): Promise<Harness> {
  const twin = await startTwin({ numbers: [HOME, BUZZER], ...options });
  const settings = { accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url };
  return {
    twin,
    settings,
    client: twinClient(settings),
    uploader: { upload: (version) => uploadVersion(twin, version) },
  };
}

export interface VersionUpload {
  serviceSid: string;
  kind: 'functions' | 'assets';
  resourceSid: string;
  path: string;
  visibility: 'public' | 'protected' | 'private';
  content: string | Uint8Array;
  contentType: string;
  filename: string;
}

/** POST a Function or Asset version the way Twilio's upload host takes it; throws on non-2xx. */
export async function uploadVersion(twin: Twin, v: VersionUpload): Promise<{ sid: string; [key: string]: unknown }> {
  const segment = v.kind === 'functions' ? 'Functions' : 'Assets';
  const url = `${serverlessUploadBase(twin.url)}/v1/Services/${v.serviceSid}/${segment}/${v.resourceSid}/Versions`;
  const form = new FormData();
  form.append('Path', v.path.startsWith('/') ? v.path : `/${v.path}`);
  form.append('Visibility', v.visibility);
  form.append('Content', new Blob([v.content], { type: v.contentType }), v.filename);
  const auth = Buffer.from(`${twin.credentials.accountSid}:${twin.credentials.authToken}`).toString('base64');
  const res = await fetch(url, { method: 'POST', body: form, headers: { Authorization: `Basic ${auth}` } });
  const body = (await res.json()) as { sid: string; message?: string };
  if (!res.ok) throw new Error(`upload failed with ${res.status}: ${body.message ?? ''}`);
  return body;
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
