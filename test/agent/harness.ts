// A buzzer scenario for real: an in-process twin, the real agent on a loopback port, the twin
// posting signed webhooks to it over HTTP (the public URL aliased to the agent), and the agent
// calling the twin's REST API with the real SDK. Time is the twin's virtual time.
import { startTwin, type Twin, type TranscriptEvent, type PhoneScript, type ScenarioResult } from '@homephone/twin';
import { createTwilioClient } from '../../src/twilio/client.js';
import { startAgent, restOverTwilio, createLogger, type Agent, type AgentSettings, type BuzzModes, type LogRecord } from '../../src/agent/index.js';
import type { HueBridge } from '../../src/hue/index.js';

export const BUZZER = '+15551239999';
export const ENTERPHONE = '+15551238888';
export const ALEX = '+15551110000';
export const SAM = '+15551110001';
export const PUBLIC_URL = 'https://buzz.example.org/';
/** 14:02 in New York. */
export const START = new Date('2026-11-21T19:02:00Z');

export interface BuzzerHarness {
  twin: Twin;
  agent: Agent;
  settings: AgentSettings;
  logs: LogRecord[];
  modes: BuzzModes;
  /** The enterphone calls the buzzer number; runs until everything settled. */
  buzz(script?: PhoneScript, from?: string): Promise<ScenarioResult>;
  /** Like buzz, with a hook that runs once the visitor's CallSid is known (to aim a fault at it). */
  buzzWith(before: (visitorSid: string) => void, script?: PhoneScript): Promise<ScenarioResult>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  tenants?: Array<{ name: string; number: string }>;
  ringTimeout?: number;
  fallbackNumber?: string;
  hue?: HueBridge;
  /** The token the agent checks signatures with (default: the twin's, which signs). */
  authToken?: string;
  /** The agent's per-request REST timeout in wall-clock ms (a hung request gives up after it). */
  restTimeoutMs?: number;
}

export async function startBuzzer(options: HarnessOptions = {}): Promise<BuzzerHarness> {
  const twin = await startTwin({ numbers: [BUZZER], startTime: START });
  const { accountSid, authToken } = twin.credentials;
  const client = createTwilioClient(
    { accountSid, authToken, twinUrl: twin.url },
    {},
    { retry: { sleep: async () => {} }, ...(options.restTimeoutMs ? { timeoutMs: options.restTimeoutMs } : {}) },
  );
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: BUZZER });
  await client.incomingPhoneNumbers(number!.sid).update({ voiceUrl: PUBLIC_URL });
  const settings: AgentSettings = {
    publicUrl: PUBLIC_URL,
    authToken: options.authToken ?? authToken,
    buzzerNumber: BUZZER,
    enterphoneNumber: ENTERPHONE,
    tenants: options.tenants ?? [
      { name: 'Alex', number: ALEX },
      { name: 'Sam', number: SAM },
    ],
    doorDigits: '9',
    ringTimeout: options.ringTimeout ?? 30,
    fallbackNumber: options.fallbackNumber,
    timeZone: 'America/New_York',
    port: 0,
    host: '127.0.0.1',
    hueLights: 'all',
  };
  const logs: LogRecord[] = [];
  const modes: BuzzModes = { entryCodes: [] };
  const agent = await startAgent({
    settings,
    rest: restOverTwilio(client),
    hue: options.hue,
    clock: { now: () => twin.clock.now(), after: (seconds, fn) => twin.engine.scheduler.after(seconds, fn) },
    observeWork: (work) => void twin.engine.track(work),
    logger: createLogger({ format: 'json', write: () => {}, now: () => twin.clock.now(), onRecord: (r) => logs.push(r) }),
    modes: () => modes,
    startupSms: false,
  });
  twin.engine.webhooks.alias('buzz.example.org', agent.localUrl);
  return {
    twin,
    agent,
    settings,
    logs,
    modes,
    buzz: (script = {}, from = ENTERPHONE) => twin.engine.placeCall({ from, to: BUZZER, script }),
    buzzWith: async (before, script = {}) => {
      const mark = twin.engine.transcript.events.length;
      const call = twin.engine.startCall({ from: ENTERPHONE, to: BUZZER, script });
      before(call.json.sid);
      await twin.engine.settle();
      await agent.idle();
      return twin.engine.result(call.json.sid, twin.engine.transcript.since(mark));
    },
    close: async () => {
      await agent.close();
      await twin.close();
    },
  };
}

// ---- Reading transcripts ------------------------------------------------------------------------

/** The call SID of the call to `to` in this scenario. */
export function callTo(r: ScenarioResult, to: string): string[] {
  return r.calls.filter((c) => c.to === to).map((c) => c.sid);
}

export function eventsOf(r: ScenarioResult, callSid: string | undefined, type?: string): TranscriptEvent[] {
  return r.events.filter((e) => e.callSid === callSid && (type === undefined || e.type === type));
}

/** Seconds after the buzz. */
export function secondsAt(r: ScenarioResult, e: TranscriptEvent | undefined): number {
  return e ? (e.atMs - r.events[0]!.atMs) / 1000 : NaN;
}

export function hangupStatus(r: ScenarioResult, callSid: string | undefined): unknown {
  return eventsOf(r, callSid, 'hangup')[0]?.data.status;
}

export function rooms(r: ScenarioResult): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of r.events) {
    if (e.type !== 'conference-join') continue;
    const room = String(e.data.room);
    out.set(room, [...(out.get(room) ?? []), e.callSid ?? '']);
  }
  return out;
}

/** What was said on a call, in order. */
export function said(r: ScenarioResult, callSid: string | undefined): string[] {
  return eventsOf(r, callSid, 'say').map((e) => String(e.data.text));
}

/** The door digits played on a call (each <Play digits> once). */
export function doorDigits(r: ScenarioResult, callSid: string | undefined): TranscriptEvent[] {
  return eventsOf(r, callSid, 'play').filter((e) => e.data.digits !== undefined);
}

export function sms(r: ScenarioResult): Array<{ to: string; body: string }> {
  return r.events.filter((e) => e.type === 'sms').map((e) => ({ to: String(e.data.to), body: String(e.data.body) }));
}
