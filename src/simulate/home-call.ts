// One home-phone call, run on exactly what deploy would deploy: a call to the home number (from
// anyone, the owner included) or a call dialled on the SIP phone, with the phone scripted to
// answer, be unregistered, busy or not answer. The decision is not worked out here: it is what the
// deployed Functions logged while the call ran (lib/caller-policy.js), read from the transcript.
import type { HomephoneConfig } from '../config/schema.js';
import type { Contact } from '../household/contacts.js';
import type { PhoneScript, ScenarioResult, TranscriptEvent } from '@homephone/twin';
import { startDeployedTwin, type DeployedTwin } from './deployed-twin.js';

export type PhoneBehaviour = 'answers' | 'unregistered' | 'busy' | 'no-answer';

export const PHONE_BEHAVIOURS: readonly PhoneBehaviour[] = ['answers', 'unregistered', 'busy', 'no-answer'];

/** Keys the caller presses: at a virtual time after connecting, or (no `at`) when next asked. */
export interface Press {
  digits: string;
  at?: number;
}

export interface HomeCallInput {
  config: HomephoneConfig;
  whitelist: Contact[];
  /** 'home': a call to the home number from `from`; 'phone': the SIP phone dials `dial`. */
  to: 'home' | 'phone';
  from?: string;
  dial?: string;
  /** When the call is placed (default: now). */
  at?: Date;
  press?: Press[];
  phone?: PhoneBehaviour;
  /** Numbers already talking to the home phone when the call comes in, oldest first. */
  inProgress?: string[];
  /** Seconds after connecting at which the caller hangs up (default 60). */
  hangupAfter?: number;
}

/** The call itself, without the household it runs in. */
export type CallScenario = Omit<HomeCallInput, 'config' | 'whitelist'>;

/** What a deployed Function decided, as it logged it ({"homephone":"decision",…}). */
export interface Decision {
  homephone: 'decision';
  call: 'inbound' | 'outbound' | 'owner';
  path: string;
  reason: string;
  [field: string]: unknown;
}

export interface HomeCallResult extends ScenarioResult {
  /** The first decision logged for the call (the one that routed it), if any. */
  decision: Decision | null;
  decisions: Decision[];
  /** Function invocations and Studio widget steps in the whole scenario. */
  hops: { functions: number; studioSteps: number; functionPaths: string[] };
  /** The call's own label and the SIP phone's address, for readers of the transcript. */
  sipUri: string;
  homeNumber: string;
}

export const DEFAULT_HANGUP_AFTER = 60;
/** How long after being asked a "when asked" press comes. */
const ANSWER_DELAY = 1;

export function phoneScript(behaviour: PhoneBehaviour): PhoneScript {
  switch (behaviour) {
    case 'unregistered':
      return { registered: false };
    case 'busy':
      return { behaviour: 'busy' };
    case 'no-answer':
      return { behaviour: 'no-answer' };
    default:
      return { answerAfter: 4 };
  }
}

/** Reads the decisions the Functions logged for a call. */
export function decisionsOf(events: readonly TranscriptEvent[], callSid: string): Decision[] {
  const out: Decision[] = [];
  for (const e of events) {
    if (e.type !== 'log' || e.callSid !== callSid || !e.text.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(e.text) as Partial<Decision>;
      if (parsed.homephone === 'decision' && typeof parsed.path === 'string') out.push(parsed as Decision);
    } catch {
      // a log line that only looks like JSON
    }
  }
  return out;
}

/** Function invocations and Studio widget steps in a list of events. */
export function hopsOf(events: readonly TranscriptEvent[]): HomeCallResult['hops'] {
  const functions = events.filter((e) => e.type === 'function');
  return {
    functions: functions.length,
    studioSteps: events.filter((e) => e.type === 'studio' && typeof e.data.type === 'string').length,
    functionPaths: functions.map((e) => String(e.data.path)),
  };
}

/** Runs the call in a fresh twin holding the deployed configuration, and closes the twin. */
export async function simulateHomeCall(input: HomeCallInput): Promise<HomeCallResult> {
  const start = input.at ? new Date(input.at.getTime() - leadOf(input) * 1000) : undefined;
  const deployed = await startDeployedTwin({ config: input.config, whitelist: input.whitelist, ...(start ? { startTime: start } : {}) });
  try {
    return await runCall(deployed, input);
  } finally {
    await deployed.close();
  }
}

/** Runs the call in a twin that already holds the deployment (tests share one twin per file). */
/** Calls in progress are placed a minute earlier, so they are talking when this one comes in. */
function leadOf(input: CallScenario): number {
  return input.inProgress?.length ? 60 : 0;
}

export async function runCall(deployed: DeployedTwin, input: CallScenario): Promise<HomeCallResult> {
  const { twin, sipUri, homeNumber } = deployed;
  const lead = leadOf(input);
  const engine = twin.engine;
  engine.phones.set(sipUri, phoneScript(input.phone ?? 'answers'));
  const t0 = engine.scheduler.clock.nowMs();
  // They hang up half a minute after this call would have.
  const talk = lead + (input.hangupAfter ?? DEFAULT_HANGUP_AFTER) + 30;
  (input.inProgress ?? []).forEach((number, i) => {
    engine.at(i, () => engine.startCall({ from: number, to: homeNumber, script: { hangupAfter: talk - i } }));
  });
  if (lead) await engine.advance(lead - (engine.scheduler.clock.nowMs() - t0) / 1000);

  const presses = input.press ?? [];
  const timed = presses.filter((p): p is Required<Press> => p.at !== undefined).map((p) => ({ digits: p.digits, at: p.at }));
  const whenAsked = presses.filter((p) => p.at === undefined).map((p) => p.digits);
  const script: PhoneScript = { press: timed, hangupAfter: input.hangupAfter ?? DEFAULT_HANGUP_AFTER };
  const mark = engine.transcript.events.length;
  // Calls already going (those in progress and their phone legs) are not this call's hops.
  const earlier = new Set(twin.state.calls.keys());
  const call =
    input.to === 'phone'
      ? engine.startCall({ from: sipUri, to: input.dial ?? '', script })
      : engine.startCall({ from: input.from ?? '', to: homeNumber, script });
  const callSid = call.json.sid;
  // "When asked": the next key press answers each <Gather> (or <Record>) this call starts.
  const off = engine.transcript.on((e) => {
    if (e.callSid !== callSid || !whenAsked.length) return;
    const asked = (e.type === 'gather' && e.text.startsWith('listening')) || (e.type === 'record' && e.text.startsWith('recording'));
    if (!asked) return;
    const digits = whenAsked.shift()!;
    engine.at(ANSWER_DELAY, () => {
      const leg = engine.legs.get(callSid);
      if (leg) engine.pressDigits(leg, digits);
    });
  });
  try {
    await engine.settle();
  } finally {
    off();
  }
  const events = engine.transcript.since(mark);
  const result = engine.result(callSid, events);
  const decisions = decisionsOf(events, callSid);
  const own = events.filter((e) => e.callSid === null || !earlier.has(e.callSid));
  return { ...result, decision: decisions[0] ?? null, decisions, hops: hopsOf(own), sipUri, homeNumber };
}
