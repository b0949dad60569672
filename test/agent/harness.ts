// A buzzer scenario for real: an in-process twin, the real agent on a loopback port, the twin
// posting signed webhooks to it over HTTP (the public URL aliased to the agent), and the agent
// calling the twin's REST API with the real SDK. Time is the twin's virtual time.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTwin, type Twin, type TranscriptEvent, type PhoneScript, type ScenarioResult } from '@homephone/twin';
import { createTwilioClient } from '../../src/twilio/client.js';
import { ConfigStore } from '../../src/config/store.js';
import {
  configModes,
  startAgent,
  restOverTwilio,
  createLogger,
  type Agent,
  type AgentClock,
  type AgentRest,
  type AgentSettings,
  type BuzzModes,
  type DeliveryWindowStore,
  type LogRecord,
} from '../../src/agent/index.js';
import { tempDir } from '../helpers/cli.js';
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
  /**
   * The agent dies where it stands (as by SIGKILL: no timer of it fires again, no request of it
   * reaches Twilio) and a new one starts on the state folder as the dead one left it (or on an
   * empty one). `agent` and `logs` are the new agent's from then on.
   */
  restart(options?: { emptyState?: boolean }): Promise<void>;
  /** The agent's state folder (with `journal`). */
  stateDir: string | undefined;
  /** The configuration (with `configFile`). */
  config: ConfigStore | undefined;
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
  /** The twin's clock starts here (default START). */
  startTime?: Date;
  /** Journal buzzes in a state folder (as `homephone agent` does in the config folder). */
  journal?: boolean;
  maxBuzzes?: number;
  /** Modes read by the agent (default: the harness's `modes` object). */
  modes?: (twin: Twin) => () => BuzzModes;
  /** Wall-clock ms close() gives the last REST work (default the agent's). */
  stopTimeoutMs?: number;
  /** The agent's per-request REST timeout in wall-clock ms (a hung request gives up after it). */
  restTimeoutMs?: number;
  /** household.ownerCell: whose texts the agent obeys (default none). */
  ownerCell?: string;
  /**
   * Keep the modes in a real config.json (in a private temporary folder), read and written as
   * `homephone agent` does (configModes on the twin's clock): the owner's texts write the window.
   */
  configFile?: boolean;
  /** Alias the public host to the agent in the twin (default true; false: the test maps it). */
  mapHost?: boolean;
}

export async function startBuzzer(options: HarnessOptions = {}): Promise<BuzzerHarness> {
  const twin = await startTwin({ numbers: [BUZZER], startTime: options.startTime ?? START });
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
    ownerCell: options.ownerCell,
  };
  const logs: LogRecord[] = [];
  const modes: BuzzModes = { entryCodes: [] };
  let readModes = options.modes ? options.modes(twin) : () => modes;
  let window: DeliveryWindowStore | undefined;
  let config: ConfigStore | undefined;
  if (options.configFile) {
    config = ConfigStore.open({ HOMEPHONE_CONFIG_DIR: join(tempDir('homephone-agent-config-'), 'homephone') });
    await config.replace({
      household: { timeZone: settings.timeZone, ...(options.ownerCell ? { ownerCell: options.ownerCell } : {}) },
      buzzer: { number: BUZZER, enterphoneNumber: ENTERPHONE, tenants: settings.tenants, publicUrl: PUBLIC_URL },
    });
    const silent = createLogger({ format: 'json', write: () => {}, onRecord: (r) => logs.push(r) });
    const fromFile = configModes(config, config.read(), silent, () => twin.clock.now());
    readModes = fromFile.modes;
    window = fromFile.window;
  }
  let stateDir = options.journal ? tempDir('homephone-state-') : undefined;
  let killed = () => false;
  const start = async (): Promise<Agent> => {
    let dead = false;
    const alive = () => !dead;
    killed = () => {
      dead = true;
      return true;
    };
    const real = restOverTwilio(client);
    // A dead agent's clock never fires and its REST calls never leave.
    const gone = () => Promise.reject(new Error('the agent was killed'));
    const rest = Object.fromEntries(
      Object.entries(real).map(([name, fn]) => [name, (...args: unknown[]) => (alive() ? (fn as (...a: unknown[]) => Promise<unknown>)(...args) : gone())]),
    ) as unknown as AgentRest;
    const clock: AgentClock = { now: () => twin.clock.now(), after: (seconds, fn) => twin.engine.scheduler.after(seconds, () => alive() && fn()) };
    const agent = await startAgent({
      settings,
      rest,
      hue: options.hue,
      clock,
      observeWork: (work) => void twin.engine.track(work),
      logger: createLogger({ format: 'json', write: () => {}, now: () => twin.clock.now(), onRecord: (r) => alive() && logs.push(r) }),
      modes: readModes,
      window,
      startupSms: false,
      stateDir,
      maxBuzzes: options.maxBuzzes,
      stopTimeoutMs: options.stopTimeoutMs,
      // Real-time limits only catch a hang here: a loaded test machine can take seconds to answer.
      textDeadlines: { hueMs: 60_000, messageMs: 60_000 },
    });
    if (options.mapHost !== false) twin.engine.webhooks.alias('buzz.example.org', agent.localUrl);
    return agent;
  };
  let agent = await start();
  const harness: BuzzerHarness = {
    twin,
    agent,
    settings,
    logs,
    modes,
    stateDir,
    config,
    buzz: (script = {}, from = ENTERPHONE) => twin.engine.placeCall({ from, to: BUZZER, script }),
    restart: async ({ emptyState = false } = {}) => {
      // The disk as the process left it when it died: copied before the dead agent is closed.
      const next = tempDir('homephone-state-');
      if (stateDir && !emptyState && existsSync(stateDir)) cpSync(stateDir, next, { recursive: true });
      else mkdirSync(join(next), { recursive: true });
      const dead = agent;
      killed();
      await dead.close();
      stateDir = next;
      harness.stateDir = next;
      logs.length = 0;
      agent = await start();
      harness.agent = agent;
    },
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
  return harness;
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
