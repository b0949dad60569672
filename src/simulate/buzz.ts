// A buzz, offline: an in-memory twin, the real agent on a loopback port, the twin posting signed
// webhooks to it over HTTP, each tenant's phone scripted. Nothing reaches Twilio or a Hue bridge;
// the configuration's credentials are never read (the twin has its own).
import type { HomephoneConfig, Tenant } from '../config/schema.js';
import { InputError } from '../errors.js';
import { startAgent, restOverTwilio, createLogger, type AgentSettings, type LogRecord } from '../agent/index.js';
import { modesOf } from '../agent/modes.js';
import type { BuzzPhase } from '../agent/buzz-state.js';
import { createTwilioClient } from '../twilio/client.js';
import { startTwin, type DigitPress, type PhoneScript, type ScenarioResult } from '@homephone/twin';

export type TenantBehaviour =
  | { kind: 'answers'; press: '1' | '9'; after: number; later: DigitPress[] }
  | { kind: 'voicemail' }
  | { kind: 'no-answer' }
  | { kind: 'busy' };

export const TENANT_BEHAVIOURS =
  'answers:1 | answers:9 (optionally @SECONDS to pick up, e.g. answers:1@8; then ,KEYS@SECONDS for keys pressed that long after picking up, e.g. answers:1,*9@20 talks, then opens the door) | voicemail | no-answer | busy';

/** Seconds after picking up at which the menu key is pressed. */
const MENU_KEY_AT = 2;

/**
 * "answers:1", "answers:9@12", "answers:1,*9@20" (talks, then at 20 s after picking up presses *
 * and, a second later, 9: the door key while talking), "voicemail", "no-answer", "busy".
 */
export function parseTenantBehaviour(text: string): TenantBehaviour {
  const t = text.trim().toLowerCase();
  const [first = '', ...rest] = t.split(',');
  const m = /^answers?:([19])(?:@(\d+(?:\.\d+)?)s?)?$/.exec(first.trim());
  if (m) {
    const later: DigitPress[] = [];
    for (const part of rest) {
      const k = /^([0-9*#]+)@(\d+(?:\.\d+)?)s?$/.exec(part.trim());
      if (!k || Number(k[2]) <= MENU_KEY_AT) {
        throw new InputError(`"${part.trim()}" in "${text}" is not KEYS@SECONDS after picking up (more than ${MENU_KEY_AT})`, {
          hint: 'e.g. answers:1,*9@20 presses * at 20 s and 9 at 21 s after picking up',
        });
      }
      // One key a second, as a person presses them.
      [...k[1]!].forEach((key, i) => later.push({ digits: key, at: Number(k[2]) + i }));
    }
    return { kind: 'answers', press: m[1] as '1' | '9', after: m[2] === undefined ? 4 : Number(m[2]), later };
  }
  if (rest.length === 0 && (t === 'voicemail' || t === 'no-answer' || t === 'busy')) return { kind: t };
  throw new InputError(`"${text}" is not a tenant behaviour`, { hint: `use ${TENANT_BEHAVIOURS}` });
}

function script(b: TenantBehaviour): PhoneScript {
  switch (b.kind) {
    case 'answers': {
      // Picks up, presses the key a moment into the menu, then any later keys, talks for a while.
      const last = Math.max(0, ...b.later.map((p) => p.at));
      return { answerAfter: b.after, press: [{ digits: b.press, at: MENU_KEY_AT }, ...b.later], hangupAfter: Math.max(30, last + 15) };
    }
    case 'voicemail':
      return { behaviour: 'voicemail' };
    case 'no-answer':
      return { behaviour: 'no-answer' };
    case 'busy':
      return { behaviour: 'busy' };
  }
}

const DEMO_BUZZER = '+15550100999';
const DEMO_ENTERPHONE = '+15550100888';

export interface BuzzSimulation {
  config: HomephoneConfig;
  /** Behaviour by tenant name (any case); tenants not named do not answer. */
  tenants: Map<string, TenantBehaviour>;
  at?: Date | undefined;
  /** Keys the visitor types (an entry code), and when it hangs up. */
  visitorPress?: string | undefined;
  visitorHangupAfter?: number | undefined;
}

export interface BuzzOutcome {
  phase: BuzzPhase | 'unknown';
  /** The tenant who talked or opened, or what opened the door. */
  by: string | null;
  summary: string;
}

export interface BuzzSimulationResult {
  result: ScenarioResult;
  outcome: BuzzOutcome;
  tenants: Tenant[];
  /** The agent's log records, in order. */
  log: LogRecord[];
  notes: string[];
}

/** The tenants the simulation rings: the configured ones, or made-up numbers for names given. */
function tenantsFor(config: HomephoneConfig, named: Map<string, TenantBehaviour>, notes: string[]): Tenant[] {
  const configured = config.buzzer?.tenants ?? [];
  if (configured.length) {
    const known = new Set(configured.map((t) => t.name.toLowerCase()));
    const unknown = [...named.keys()].filter((n) => !known.has(n.toLowerCase()));
    if (unknown.length) {
      throw new InputError(`no tenant named ${unknown.join(', ')}`, { hint: `the tenants are ${configured.map((t) => t.name).join(', ')}` });
    }
    return configured;
  }
  if (!named.size) {
    throw new InputError('no tenants to ring: the configuration has none and no --tenant was given', {
      hint: 'pass --tenant NAME=answers:1 (repeatable), or set the buzzer up with homephone init',
    });
  }
  notes.push('No tenants are configured: the simulation uses made-up numbers for the names given.');
  return [...named.keys()].map((name, i) => ({ name, number: `+1555010${String(1000 + i).slice(1)}` }));
}

export async function simulateBuzz(sim: BuzzSimulation): Promise<BuzzSimulationResult> {
  const { config } = sim;
  const notes: string[] = [];
  const b = config.buzzer ?? {};
  const tenants = tenantsFor(config, sim.tenants, notes);
  const buzzerNumber = b.number ?? DEMO_BUZZER;
  const enterphone = b.enterphoneNumber ?? DEMO_ENTERPHONE;
  const publicUrl = b.publicUrl ?? 'https://buzz.example.org/';
  const timeZone = config.household?.timeZone ?? 'UTC';
  if (!config.household?.timeZone) notes.push('No household time zone is set: times are UTC.');
  if (config.hue?.bridgeAddress) notes.push('Hue: the simulation does not flash the real lights.');

  const twin = await startTwin({ numbers: [buzzerNumber], ...(sim.at ? { startTime: sim.at } : {}) });
  const log: LogRecord[] = [];
  try {
    const { accountSid, authToken } = twin.credentials;
    const client = createTwilioClient({ accountSid, authToken, twinUrl: twin.url }, {}, { retry: { sleep: async () => {} } });
    const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: buzzerNumber, limit: 1 });
    await client.incomingPhoneNumbers(number!.sid).update({ voiceUrl: publicUrl });
    const settings: AgentSettings = {
      publicUrl,
      authToken,
      buzzerNumber,
      enterphoneNumber: enterphone,
      tenants,
      doorDigits: b.doorDigits ?? '9',
      ringTimeout: b.ringTimeout ?? 30,
      fallbackNumber: b.fallbackNumber,
      timeZone,
      port: 0,
      host: '127.0.0.1',
      hueLights: 'all',
    };
    const modes = modesOf(config);
    const agent = await startAgent({
      settings,
      rest: restOverTwilio(client),
      clock: { now: () => twin.clock.now(), after: (seconds, fn) => twin.engine.scheduler.after(seconds, fn) },
      observeWork: (work) => void twin.engine.track(work),
      logger: createLogger({ format: 'json', write: () => {}, now: () => twin.clock.now(), onRecord: (r) => log.push(r) }),
      modes: () => modes,
      startupSms: false,
    });
    try {
      twin.hosts.map(new URL(publicUrl).hostname, agent.localUrl);
      for (const t of tenants) {
        const behaviour = [...sim.tenants].find(([name]) => name.toLowerCase() === t.name.toLowerCase())?.[1] ?? { kind: 'no-answer' as const };
        twin.engine.phones.set(t.number, script(behaviour));
      }
      // The enterphone opens the door when it hears its digits (as tones, whoever plays them).
      const doorKeys = settings.doorDigits.replace(/[wW]/g, '');
      const visitor: PhoneScript = {
        onHear: { [doorKeys]: 'door-opens' },
        ...(sim.visitorPress ? { press: [{ digits: sim.visitorPress, at: 1 }] } : {}),
        ...(sim.visitorHangupAfter !== undefined ? { hangupAfter: sim.visitorHangupAfter } : {}),
      };
      const result = await twin.engine.placeCall({ from: enterphone, to: buzzerNumber, script: visitor });
      await agent.idle();
      const buzz = agent.buzzes.get(result.callSid);
      return { result, outcome: describe(buzz?.phase, buzz?.winner === undefined ? buzz?.openedBy : tenants[buzz.winner]?.name), tenants, log, notes };
    } finally {
      await agent.close();
    }
  } finally {
    await twin.close();
  }
}

function describe(phase: BuzzPhase | undefined, by: string | undefined): BuzzOutcome {
  const who = by ?? null;
  switch (phase) {
    case 'talking':
      return { phase, by: who, summary: `${by} answered and talked to the visitor` };
    case 'ringing':
      return { phase, by: null, summary: 'the buzz was being offered to the tenants again when the simulation ended' };
    case 'opened':
      return { phase, by: who, summary: `the door was opened by ${by}` };
    case 'missed':
      return { phase, by: null, summary: 'nobody accepted in time: the tenants were texted "missed buzz"' };
    case 'gone':
      return { phase, by: null, summary: 'the visitor hung up before anyone accepted' };
    case undefined:
      return { phase: 'unknown', by: null, summary: 'the agent never took the buzz (see the transcript)' };
    default:
      return { phase, by: who, summary: `the buzz is still ${phase}` };
  }
}
