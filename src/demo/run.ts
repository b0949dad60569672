// `homephone demo`, the core: one embedded twin with the demo household's numbers, the household
// written to a temporary config folder with the real config and whitelist writers, deployed with
// the real deploy session read back from that folder, the real buzzer agent on loopback (the
// twin's webhooks for its public URL aliased to it), then each scenario played in virtual time and
// judged by its checks. Nothing reads the user's configuration or environment, and nothing but
// loopback is contacted: the only environment the core modules see names the temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { agentSettings, createLogger, restOverTwilio, startAgent, type Agent, type LogRecord } from '../agent/index.js';
import { modesOf } from '../agent/modes.js';
import { whitelistPath } from '../config/paths.js';
import { twilioCredentials } from '../config/secrets.js';
import { ConfigStore } from '../config/store.js';
import { changeWhitelist } from '../config/whitelist-file.js';
import { deploy, openSession } from '../deploy/index.js';
import { formatLocal, localTimeToInstant } from '../household/local-time.js';
import type { DeployedTwin } from '../simulate/deployed-twin.js';
import { decisionsOf, runCall, type Decision } from '../simulate/home-call.js';
import { createTwilioClient } from '../twilio/client.js';
import { renderTranscript, startTwin, type ScenarioResult, type Twin } from '@homephone/twin';
import { DEMO, DEMO_WHITELIST, NAMES, SIP_URI, TENANTS, demoConfig } from './household.js';
import { checkScenario, selectScenarios, type CheckResult, type DemoScenario, type ScenarioRun } from './scenarios.js';

/** The twin's clock starts here, local time: the deploy happens just before the first scenario. */
const DEMO_START = '2026-11-20 15:55';

export interface DemoOptions {
  /** Scenario names, played in the demo's order; all when empty. */
  scenarios?: readonly string[];
  /** Keep the temporary folder (config.json, whitelist.json) instead of deleting it. */
  keep?: boolean;
  /** Where the temporary folder is made (default: the system's temp folder). */
  tmpRoot?: string;
}

export interface ScenarioReport {
  name: string;
  system: DemoScenario['system'];
  title: string;
  expected: string;
  /** Local time the scenario began, e.g. "Fri 2026-11-20 16:00". */
  localTime: string;
  passed: boolean;
  checks: CheckResult[];
  /** Set when playing the scenario threw rather than finishing. */
  error?: string;
  callSid: string | null;
  status: string | null;
  functionInvocations: number;
  /** Virtual seconds from the scenario's first event to its last. */
  virtualSeconds: number;
  /** The deployed Functions' decisions for the placed call (home-phone scenarios). */
  decisions: Decision[];
  /** The agent's log records during the scenario (buzzer scenarios). */
  agentLog: LogRecord[];
  calls: ScenarioResult['calls'];
  events: ScenarioResult['events'];
  /** The transcript, readable, with who each number is in its legend. */
  text: string;
}

export interface DemoReport {
  passed: boolean;
  failed: string[];
  /** The temporary config folder, and whether it was kept. */
  folder: string;
  kept: boolean;
  twinUrl: string;
  agentUrl: string;
  deploy: { writes: number; resources: number };
  household: {
    homeNumber: string;
    ownerCell: string;
    sipUri: string;
    buzzerNumber: string;
    enterphoneNumber: string;
    timeZone: string;
    monitorCode: string;
    publicUrl: string;
    whitelist: Array<{ name: string; number: string; overrideBedtime: boolean }>;
    tenants: Array<{ name: string; number: string }>;
  };
  scenarios: ScenarioReport[];
  wallSeconds: number;
}

const noSleep = async (): Promise<void> => {};
const local = (text: string): Date => localTimeToInstant(text, DEMO.timeZone);
const label = (address: string) => (NAMES.has(address) ? `${address} (${NAMES.get(address)})` : address);

export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const selected = selectScenarios(options.scenarios);
  const began = performance.now();
  const folder = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'homephone-demo-'));
  const env: NodeJS.ProcessEnv = { HOMEPHONE_CONFIG_DIR: folder };
  let twin: Twin | undefined;
  let agent: Agent | undefined;
  try {
    twin = await startTwin({ numbers: [DEMO.homeNumber, DEMO.buzzerNumber], startTime: local(DEMO_START) });
    const store = ConfigStore.open(env);
    await store.replace(demoConfig({ ...twin.credentials, url: twin.url }));
    await changeWhitelist(whitelistPath(env), () => ({ list: DEMO_WHITELIST, result: undefined }));

    const session = await openSession(env, { retry: { sleep: noSleep } });
    const deployed = await deploy({ ...session, sleep: noSleep });

    // The agent starts from what is now on disk, as `homephone agent` would.
    const config = store.read();
    const logs: LogRecord[] = [];
    const settings = agentSettings(config, env, { port: 0, host: '127.0.0.1' });
    const client = createTwilioClient(twilioCredentials(config, env), env, { retry: { sleep: noSleep } });
    const clockTwin = twin;
    agent = await startAgent({
      settings,
      rest: restOverTwilio(client),
      clock: { now: () => clockTwin.clock.now(), after: (seconds, fn) => clockTwin.engine.scheduler.after(seconds, fn) },
      observeWork: (work) => void clockTwin.engine.track(work),
      logger: createLogger({ format: 'json', write: () => {}, now: () => clockTwin.clock.now(), onRecord: (r) => logs.push(r) }),
      modes: () => modesOf(config),
      startupSms: false,
    });
    twin.hosts.map(new URL(settings.publicUrl).hostname, agent.localUrl);

    const environment = [...twin.state.services.values()].flatMap((s) => [...s.environments.values()])[0];
    const home: DeployedTwin = {
      twin,
      domain: environment?.json.domain_name ?? '',
      homeNumber: DEMO.homeNumber,
      ownerCell: DEMO.ownerCell,
      sipUri: SIP_URI,
      close: async () => {},
    };
    const reports: ScenarioReport[] = [];
    for (const scenario of selected) reports.push(await play(scenario, { twin, agent, home, logs }));

    const failed = reports.filter((r) => !r.passed).map((r) => r.name);
    return {
      passed: failed.length === 0,
      failed,
      folder,
      kept: Boolean(options.keep),
      twinUrl: twin.url,
      agentUrl: agent.localUrl,
      deploy: { writes: deployed.applied?.writes ?? 0, resources: deployed.plan.summary.create },
      household: {
        homeNumber: DEMO.homeNumber,
        ownerCell: DEMO.ownerCell,
        sipUri: SIP_URI,
        buzzerNumber: DEMO.buzzerNumber,
        enterphoneNumber: DEMO.enterphoneNumber,
        timeZone: DEMO.timeZone,
        monitorCode: DEMO.monitorCode,
        publicUrl: DEMO.publicUrl,
        whitelist: DEMO_WHITELIST.map((c) => ({ name: c.Person, number: c.Number, overrideBedtime: c.OverrideBedtime })),
        tenants: TENANTS.map((t) => ({ ...t })),
      },
      scenarios: reports,
      wallSeconds: (performance.now() - began) / 1000,
    };
  } finally {
    await agent?.close();
    await twin?.close();
    if (!options.keep) rmSync(folder, { recursive: true, force: true });
  }
}

interface Stage {
  twin: Twin;
  agent: Agent;
  home: DeployedTwin;
  logs: LogRecord[];
}

/** Plays one scenario at its local time (time only moves forward) and judges it. */
async function play(scenario: DemoScenario, stage: Stage): Promise<ScenarioReport> {
  const { twin, agent, logs } = stage;
  const engine = twin.engine;
  const ahead = (local(scenario.at).getTime() - twin.clock.nowMs()) / 1000;
  if (ahead > 0) await engine.advance(ahead);
  const mark = engine.transcript.events.length;
  const logMark = logs.length;
  let callSid: string | null = null;
  let error: string | undefined;
  try {
    if (scenario.play.kind === 'call') {
      callSid = (await runCall(stage.home, scenario.play.call)).callSid;
    } else {
      const { tenants, visitor } = scenario.play;
      for (const t of TENANTS) engine.phones.set(t.number, tenants[t.name] ?? { behaviour: 'no-answer' });
      callSid = (await engine.placeCall({ from: DEMO.enterphoneNumber, to: DEMO.buzzerNumber, script: visitor ?? {} })).callSid;
      await agent.idle();
    }
  } catch (err) {
    error = (err as Error).message;
  }
  // The whole scenario, including a call that was already in progress when the placed one began.
  const events = engine.transcript.since(mark);
  const result = engine.result(callSid ?? '', events);
  const run: ScenarioRun = { callSid: callSid ?? '', events, calls: result.calls };
  const checks = error === undefined ? checkScenario(scenario, run) : [];
  const first = events[0]?.atMs ?? twin.clock.nowMs();
  return {
    name: scenario.name,
    system: scenario.system,
    title: scenario.title,
    expected: scenario.expected,
    localTime: formatLocal(new Date(first), DEMO.timeZone),
    passed: error === undefined && checks.every((c) => c.ok),
    checks,
    ...(error === undefined ? {} : { error }),
    callSid,
    status: callSid ? result.status : null,
    functionInvocations: events.filter((e) => e.type === 'function').length,
    virtualSeconds: ((events.at(-1)?.atMs ?? first) - first) / 1000,
    decisions: callSid ? decisionsOf(events, callSid) : [],
    agentLog: logs.slice(logMark),
    calls: result.calls,
    events,
    text: renderTranscript(events, new Map(result.calls.map((c) => [c.sid, { ...c, from: label(c.from), to: label(c.to) }]))),
  };
}
