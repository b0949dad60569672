// `homephone check --twin URL`, end to end, on the same code path as on a real account: the CLI
// places each path's call with the Twilio SDK's calls.create, follows it in the records the twin
// keeps as Twilio does (calls and their legs, Monitor alerts, Studio executions, Serverless logs,
// the agent's record in the check window), and judges each row from them. One household is
// deployed into one twin for the whole file (with the real deploy code and the real buzzer agent
// behind the twin's host mapping); each broken deploy is made, checked and undone.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startTwin, type Twin } from '@homephone/twin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ConfigStore } from '../../src/config/store.js';
import type { HomephoneConfig } from '../../src/config/schema.js';
import { deploy, openSession, syncWhitelist } from '../../src/deploy/index.js';
import { TEMPLATES_DIR } from '../../src/deploy/templates.js';
import { hashMonitorCode } from '../../src/household/monitor-code.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { startAgent, restOverTwilio, createLogger, type Agent } from '../../src/agent/index.js';
import { readCheckWindow } from '../../src/check/window.js';
import { findHistoryService } from '../../src/history/calls.js';
import { homephone, tempDir } from '../helpers/cli.js';

const HOME = '+15551230001';
const BUZZER = '+15551230002';
const TESTER = '+15551230003';
const OWNER = '+15551239000';
const ENTERPHONE = '+15551238888';
const ALEX = '+15551110000';
const SIP = 'sip:homephone@myhome.sip.twilio.com';
const PUBLIC_URL = 'https://buzz.example.org/';
const GRANDMA = { Number: '+15555555555', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null };
const TESTER_CONTACT = { Number: TESTER, Person: 'Tester', OverrideBedtime: true, PrimaryContact: null };

const config: HomephoneConfig = {
  household: {
    homeNumber: HOME,
    ownerCell: OWNER,
    defaultCountry: 'US',
    timeZone: 'America/New_York',
    sipDomain: 'myhome.sip.twilio.com',
    sipUsername: 'homephone',
    sipPassword: 'Secret-Pass-1234xyz',
    emergencyNumbers: ['911'],
    monitorCodeHash: hashMonitorCode('2468'),
  },
  buzzer: {
    number: BUZZER,
    enterphoneNumber: ENTERPHONE,
    tenants: [{ name: 'Alex', number: ALEX }],
    ringTimeout: 25,
    publicUrl: PUBLIC_URL,
  },
};

let twin: Twin;
let dir: string;
let env: Record<string, string>;
let agent: Agent;
let client: ReturnType<typeof createTwilioClient>;

async function session() {
  return openSession(env, { twinUrl: twin.url });
}

beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME, BUZZER, TESTER], startTime: new Date('2026-11-20T20:00:00Z') });
  dir = tempDir();
  env = { HOMEPHONE_CONFIG_DIR: dir, TWILIO_ACCOUNT_SID: twin.credentials.accountSid, TWILIO_AUTH_TOKEN: twin.credentials.authToken };
  await ConfigStore.open(env).replace(config);
  writeFileSync(join(dir, 'whitelist.json'), JSON.stringify([TESTER_CONTACT, GRANDMA]));
  await deploy({ ...(await session()), sleep: async () => {} });
  client = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {}, { retry: { sleep: async () => {} } });
  await verifyCallerId(OWNER);
  agent = await startAgent({
    settings: {
      publicUrl: PUBLIC_URL,
      authToken: twin.credentials.authToken,
      buzzerNumber: BUZZER,
      enterphoneNumber: ENTERPHONE,
      tenants: [{ name: 'Alex', number: ALEX }],
      doorDigits: '9',
      ringTimeout: 25,
      timeZone: 'America/New_York',
      port: 0,
      host: '127.0.0.1',
      hueLights: 'all',
    },
    rest: restOverTwilio(client),
    clock: { now: () => twin.clock.now(), after: (seconds, fn) => twin.engine.scheduler.after(seconds, fn) },
    observeWork: (work) => void twin.engine.track(work),
    logger: createLogger({ format: 'json', write: () => {}, now: () => twin.clock.now() }),
    modes: () => ({ entryCodes: [] }),
    startupSms: false,
  });
  twin.hosts.map('buzz.example.org', agent.localUrl);
});

afterAll(async () => {
  await agent?.close();
  await twin?.close();
});

/** The owner's cell as a verified caller ID of the twin's account (as the console's verification does). */
async function verifyCallerId(number: string): Promise<void> {
  const res = await fetch(`${twin.url}/_twin/caller-ids`, { method: 'POST', body: JSON.stringify({ phoneNumber: number }), headers: { 'Content-Type': 'application/json' } });
  if (!res.ok) throw new Error(`could not verify ${number} on the twin: ${res.status} ${await res.text()}`);
}

interface Doc {
  ok: boolean;
  interrupted: boolean;
  rows: Array<{ id: string; verdict: string; seen: string; hint: string | null }>;
}

async function check(args: string[] = []) {
  const res = await homephone(['check', '--twin', twin.url, '--tester', TESTER, '--yes', '--json', ...args], { dir, env });
  const doc = JSON.parse(res.stdout) as Doc;
  return { res, doc, row: (id: string) => doc.rows.find((r) => r.id === id)! };
}

/** Every row's verdict, so a broken deploy's test shows which rows it failed and which kept theirs. */
const verdicts = (doc: Doc) => Object.fromEntries(doc.rows.map((r) => [r.id, r.verdict]));
const HEALTHY = { numbers: 'pass', 'unknown-caller': 'pass', 'whitelisted-caller': 'pass', 'owner-menu': 'pass', 'buzzer-agent': 'pass', audio: 'pass' };

/** The check window, if one is left open (none should be once a check has finished). */
const windowLeft = async () => readCheckWindow(client, (await findHistoryService(client))!);
const live = async () => (await client.calls.list()).filter((c) => ['queued', 'ringing', 'in-progress'].includes(c.status));

/**
 * `homephone check --json` in-process, with Ctrl-C (SIGINT) sent the moment its progress prints
 * `trigger`. The test runner's worker listens for SIGINT too (and exits on it): only the check hears
 * this one.
 */
async function checkInterruptedAt(trigger: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stderr = '';
  let stdout = '';
  const io = {
    stdout: new Writable({ write: (c, _e, done) => ((stdout += String(c)), done()) }),
    stderr: new Writable({
      write: (c, _e, done) => {
        stderr += String(c);
        if (String(c).includes(trigger)) process.emit('SIGINT');
        done();
      },
    }),
    stdinIsTTY: false,
    env: { ...process.env, CI: '1', NO_COLOR: '1', HOMEPHONE_TWIN_URL: undefined, TWILIO_API_KEY: undefined, TWILIO_API_SECRET: undefined, ...env },
  };
  const runners = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  try {
    const code = await main(['check', '--twin', twin.url, '--tester', TESTER, '--yes', '--json'], io);
    return { code, stdout, stderr };
  } finally {
    for (const l of runners) process.on('SIGINT', l);
  }
}
const callsTo = async (to: string) => client.calls.list({ to });

describe('homephone check --twin: a healthy deployment', () => {
  it('passes every path from Twilio\'s records; nobody real is rung and no call is left up', async () => {
    const before = (await callsTo(ALEX)).length;
    const { res, doc, row } = await check();
    expect(res.exitCode, res.stderr).toBe(0);
    expect(doc.rows.map((r) => [r.id, r.verdict])).toEqual([
      ['numbers', 'pass'],
      ['unknown-caller', 'pass'],
      ['whitelisted-caller', 'pass'],
      ['owner-menu', 'pass'],
      ['buzzer-agent', 'pass'],
      ['audio', 'pass'],
    ]);
    expect(row('whitelisted-caller').seen).toMatch(/the SIP phone rang .*; the caller waited in its own room hp-CA[0-9a-f]{32}$/);
    expect(row('buzzer-agent').seen).toContain('nobody was rung');
    expect(row('audio').seen).toMatch(/ringback\.wav/);
    expect(res.stderr).toContain('Estimated cost on Twilio');
    expect(res.stderr).toContain(`calling ${HOME} from ${TESTER}`);
    // The calls were placed through the REST API, as on Twilio (no twin-only call placing).
    expect(twin.log.all().some((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'))).toBe(true);
    expect(twin.log.all().some((r) => r.path.startsWith('/_twin/calls'))).toBe(false);
    expect(await callsTo(ALEX)).toHaveLength(before);
    expect(await live()).toEqual([]);
    expect(await windowLeft()).toBeNull();
  });

  it('the phone not registered (32009) but moved on to the owner\'s cell passes as "phone not registered", and the cell is hung up on', async () => {
    twin.engine.phones.set(SIP, { registered: false });
    try {
      const { res, row } = await check();
      expect(res.exitCode, res.stderr).toBe(0);
      expect(row('whitelisted-caller')).toMatchObject({ verdict: 'pass', seen: expect.stringContaining('phone not registered (32009)') });
      const cell = (await callsTo(OWNER)).filter((c) => c.direction !== 'inbound');
      expect(cell.length).toBeGreaterThan(0);
      expect(cell.every((c) => c.status === 'canceled' || Number(c.duration) <= 2)).toBe(true);
      expect(await live()).toEqual([]);
    } finally {
      twin.engine.phones.set(SIP, {});
    }
  });
});

describe('homephone check --twin: records that trail the calls, as on Twilio', () => {
  it('alerts and decision logs readable only 10 s after the fact: every row waits for its records and keeps its verdict', async () => {
    twin.state.recordsLagSeconds = 10;
    twin.engine.phones.set(SIP, { registered: false });
    try {
      const { res, doc, row } = await check();
      expect(res.exitCode, res.stderr).toBe(0);
      expect(verdicts(doc)).toEqual(HEALTHY);
      // Judged on the records that came late: the unknown caller's logged decision, the SIP leg's 32009.
      expect(row('unknown-caller').seen).toMatch(/^refused \(not-whitelisted\)/);
      expect(row('whitelisted-caller').seen).toContain('phone not registered (32009)');
      expect(row('owner-menu').seen).toMatch(/^answered: /);
    } finally {
      twin.state.recordsLagSeconds = 0;
      twin.engine.phones.set(SIP, {});
    }
  });

  it('Ctrl-C while a row waits for its records: that row is skipped unjudged, nothing more is placed, exit 3', async () => {
    twin.state.recordsLagSeconds = 10;
    try {
      const placed = (await client.calls.list()).length;
      const { code, stdout, stderr } = await checkInterruptedAt("waiting for Twilio's records of the call");
      expect(code, stderr).toBe(3);
      const doc = JSON.parse(stdout) as Doc;
      expect(doc.interrupted).toBe(true);
      expect(doc.rows.map((r) => [r.id, r.verdict])).toEqual([
        ['numbers', 'pass'],
        ['unknown-caller', 'skip'],
      ]);
      expect(doc.rows[1]!.seen).toBe("interrupted while Twilio's records of the call were awaited: not judged");
      // Only the unknown caller's call (and the inbound call it became) were placed.
      expect((await client.calls.list()).length - placed).toBe(2);
      expect(await live()).toEqual([]);
    } finally {
      twin.state.recordsLagSeconds = 0;
    }
  });
});

describe('homephone check --twin: a tester not on the whitelist', () => {
  beforeAll(async () => {
    writeFileSync(join(dir, 'whitelist.json'), JSON.stringify([GRANDMA]));
    await syncWhitelist(await session());
  });
  afterAll(async () => {
    writeFileSync(join(dir, 'whitelist.json'), JSON.stringify([TESTER_CONTACT, GRANDMA]));
    await syncWhitelist(await session());
  });

  it('is whitelisted for its call only, and the deployed whitelist is restored', async () => {
    const before = readFileSync(join(dir, 'whitelist.json'), 'utf8');
    const { res, row } = await check();
    expect(res.exitCode, res.stderr).toBe(0);
    expect(row('whitelisted-caller').seen).toContain('the SIP phone rang');
    expect(res.stderr).toContain(`whitelisting ${TESTER} for this check`);
    expect(res.stderr).toContain(`removing ${TESTER} from the deployed whitelist again`);
    expect(readFileSync(join(dir, 'whitelist.json'), 'utf8')).toBe(before);
    // The deployed whitelist refuses the tester again.
    const after = await twin.engine.placeCall({ from: TESTER, to: HOME, script: { hangupAfter: 10 } });
    expect(after.calls.some((c) => c.to === SIP)).toBe(false);
  });

  it('the whitelist cannot be pushed back: exit 1 saying the tester may still be whitelisted, and how to undo it', async () => {
    // The first deployment (whitelisting the tester) goes through; the one that would remove it again fails.
    const fault = twin.admin.addFault({ method: 'POST', path: '/serverless/v1/Services/*/Environments/*/Deployments', nth: 2, times: 20, fault: '500' });
    try {
      const res = await homephone(['check', '--twin', twin.url, '--tester', TESTER, '--yes', '--json'], { dir, env });
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toContain(`${TESTER} may still be on the deployed whitelist`);
      expect(res.stderr).toContain('homephone whitelist sync');
      expect(JSON.parse(res.stdout)).toMatchObject({ error: { message: expect.stringContaining(`${TESTER} may still be on the deployed whitelist`), exitCode: 1 } });
      expect(twin.admin.faults().find((f) => f.id === fault.id)?.fired).toBeGreaterThan(0);
      expect(await live()).toEqual([]);
    } finally {
      twin.admin.clearFaults();
      await syncWhitelist(await session());
    }
    const after = await twin.engine.placeCall({ from: TESTER, to: HOME, script: { hangupAfter: 10 } });
    expect(after.calls.some((c) => c.to === SIP)).toBe(false);
  });

  it('Ctrl-C during the whitelisted call: that call hung up at once, no further call, the whitelist restored, exit 3', async () => {
    {
      // In-process main(), so the SIGINT arrives at a known point: as the whitelisted tester's call is placed.
      const ownerCalls = (await client.calls.list({ from: OWNER })).length;
      const { code, stdout, stderr } = await checkInterruptedAt(`calling ${HOME} from ${TESTER}`);
      expect(code, stderr).toBe(3);
      const doc = JSON.parse(stdout) as Doc;
      expect(doc.interrupted).toBe(true);
      expect(doc.rows.map((r) => [r.id, r.verdict])).toEqual([
        ['numbers', 'pass'],
        ['unknown-caller', 'pass'],
        ['whitelisted-caller', 'skip'],
      ]);
      expect(doc.rows[2]!.seen).toBe('interrupted: the check hung up this call at once');
      expect(stderr).toContain('interrupted: hanging up');
      // Hung up at its first read of the records, long before its 20 s: the SIP phone was never let ring.
      const tester = (await client.calls.list({ from: TESTER, to: HOME })).find((c) => c.direction === 'outbound-api')!;
      expect(Number(tester.duration ?? 0)).toBeLessThanOrEqual(2);
      expect(stderr).toContain(`removing ${TESTER} from the deployed whitelist again`);
      expect((await client.calls.list({ from: OWNER })).length).toBe(ownerCalls);
      expect(await live()).toEqual([]);
      const after = await twin.engine.placeCall({ from: TESTER, to: HOME, script: { hangupAfter: 10 } });
      expect(after.calls.some((c) => c.to === SIP)).toBe(false);
    }
  });

});

describe('homephone check --twin: each broken deploy fails its own row', () => {
  it('the SIP registration mapping removed: the whitelisted path fails with the mapping hint', async () => {
    const [domain] = await client.sip.domains.list();
    const registrations = client.sip.domains(domain!.sid).auth.registrations.credentialListMappings;
    const mappings = await registrations.list();
    for (const m of mappings) await registrations(m.sid).remove();
    try {
      const { res, doc, row } = await check();
      expect(res.exitCode).toBe(1);
      expect(verdicts(doc)).toEqual({ ...HEALTHY, 'whitelisted-caller': 'fail' });
      expect(row('whitelisted-caller')).toMatchObject({ verdict: 'fail', hint: expect.stringContaining('registration mapping is missing; homephone deploy restores it') });
      expect(row('unknown-caller').verdict).toBe('pass');
    } finally {
      for (const m of mappings) await registrations.create({ credentialListSid: m.sid });
    }
  });

  it('the ringback asset answering 404: the audio path fails naming the URL, and so does the caller who waits to its sound', async () => {
    const [service] = await client.serverless.v1.services.list();
    const [environment] = await client.serverless.v1.services(service!.sid).environments.list();
    const builds = client.serverless.v1.services(service!.sid).builds;
    const liveBuild = await builds(environment!.buildSid).fetch();
    const assets = (liveBuild.assetVersions as Array<{ sid: string; path: string }>).filter((a) => a.path !== '/ringback.wav');
    expect(assets.length).toBe((liveBuild.assetVersions as unknown[]).length - 1);
    const build = await builds.create({
      functionVersions: (liveBuild.functionVersions as Array<{ sid: string }>).map((f) => f.sid),
      assetVersions: assets.map((a) => a.sid),
      dependencies: JSON.stringify(liveBuild.dependencies ?? []),
    });
    await builds(build.sid).fetch();
    const deployments = client.serverless.v1.services(service!.sid).environments(environment!.sid).deployments;
    await deployments.create({ buildSid: build.sid });
    try {
      const { res, doc, row } = await check();
      expect(res.exitCode).toBe(1);
      // The owner's call waits to the same sound before its menu: it fails on it too, naming it.
      expect(verdicts(doc)).toEqual({ ...HEALTHY, 'whitelisted-caller': 'fail', 'owner-menu': 'fail', audio: 'fail' });
      expect(row('owner-menu')).toMatchObject({ seen: expect.stringContaining('ringback.wav'), hint: expect.stringContaining('homephone deploy uploads the assets again') });
      expect(row('audio')).toMatchObject({ verdict: 'fail', seen: expect.stringMatching(/ringback\.wav \(.*\) answered 404/), hint: expect.stringContaining('homephone deploy uploads the assets again') });
      expect(row('whitelisted-caller')).toMatchObject({ verdict: 'fail', seen: expect.stringContaining('ringback.wav') });
      expect(row('unknown-caller').verdict).toBe('pass');
    } finally {
      await deployments.create({ buildSid: liveBuild.sid });
    }
  });

  it('the agent down: the buzzer path fails and the buzzer is not even called (its fallback would ring the tenants)', async () => {
    twin.hosts.map('buzz.example.org', 'http://127.0.0.1:9'); // nothing listens there
    try {
      const before = { alex: (await callsTo(ALEX)).length, buzzer: (await callsTo(BUZZER)).length };
      const { res, doc, row } = await check();
      expect(res.exitCode).toBe(1);
      expect(verdicts(doc)).toEqual({ ...HEALTHY, 'buzzer-agent': 'fail', audio: 'fail' });
      expect(row('buzzer-agent')).toMatchObject({
        verdict: 'fail',
        seen: expect.stringContaining(`${BUZZER} was not called, since its fallback would ring the tenants`),
        hint: expect.stringContaining('the agent is down or unreachable at buzzer.publicUrl'),
      });
      expect(row('owner-menu').verdict).toBe('pass');
      expect(await callsTo(BUZZER)).toHaveLength(before.buzzer);
      expect(await callsTo(ALEX)).toHaveLength(before.alex);
    } finally {
      twin.hosts.map('buzz.example.org', agent.localUrl);
    }
  });

  it('the agent down with --ring-people: the buzz goes to the fallback, which rings the tenants; the row fails saying so', async () => {
    twin.hosts.map('buzz.example.org', 'http://127.0.0.1:9');
    try {
      const { res, doc, row } = await check(['--ring-people']);
      expect(res.exitCode).toBe(1);
      expect(verdicts(doc)).toEqual({ ...HEALTHY, 'buzzer-agent': 'fail', audio: 'fail' });
      expect(res.stderr).toContain('WARNING --ring-people');
      expect(row('buzzer-agent')).toMatchObject({
        verdict: 'fail',
        seen: expect.stringContaining(`the fallback answered and rang ${ALEX}`),
        hint: expect.stringContaining('the agent is down or unreachable at buzzer.publicUrl'),
      });
      expect(await live()).toEqual([]);
    } finally {
      twin.hosts.map('buzz.example.org', agent.localUrl);
    }
  });

  it("a Function throwing: the owner's menu fails naming the Function", async () => {
    const templates = tempDir();
    cpSync(TEMPLATES_DIR, templates, { recursive: true });
    writeFileSync(join(templates, 'functions/calls-in-progress.js'), "exports.handler = () => { throw new Error('broken on purpose'); };\n");
    await deploy({ ...(await session()), sleep: async () => {}, templatesDir: templates });
    try {
      const { res, doc, row } = await check();
      expect(res.exitCode).toBe(1);
      expect(verdicts(doc)).toEqual({ ...HEALTHY, 'owner-menu': 'fail' });
      expect(row('owner-menu')).toMatchObject({
        verdict: 'fail',
        seen: expect.stringContaining('/calls-in-progress'),
        hint: expect.stringContaining('the Function /calls-in-progress is failing'),
      });
      expect(row('unknown-caller').verdict).toBe('pass');
    } finally {
      await deploy({ ...(await session()), sleep: async () => {} });
    }
  });

  it('a wrong voice URL on the home number: the numbers path fails with the deploy hint, and the calls to it too', async () => {
    const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: HOME });
    const right = number!.voiceUrl;
    await client.incomingPhoneNumbers(number!.sid).update({ voiceUrl: 'https://wrong.example.org/voice' });
    try {
      const { res, doc, row } = await check();
      expect(res.exitCode).toBe(1);
      expect(verdicts(doc)).toEqual({ ...HEALTHY, numbers: 'fail', 'unknown-caller': 'fail', 'whitelisted-caller': 'fail', 'owner-menu': 'fail' });
      expect(row('numbers')).toMatchObject({
        verdict: 'fail',
        seen: expect.stringContaining(`${HOME} (home) → https://wrong.example.org/voice`),
        hint: expect.stringContaining('homephone deploy sets it back'),
      });
      expect(row('unknown-caller')).toMatchObject({ verdict: 'fail', seen: expect.stringContaining('wrong.example.org') });
    } finally {
      await client.incomingPhoneNumbers(number!.sid).update({ voiceUrl: right });
    }
  });
});

describe('homephone check --twin: people and consent', () => {
  it("the owner's cell not a verified caller ID: the owner's row is skipped with a hint (the table by default)", async () => {
    const [id] = await client.outgoingCallerIds.list({ phoneNumber: OWNER });
    await client.outgoingCallerIds(id!.sid).remove();
    const ownerCalls = (await client.calls.list({ from: OWNER })).length;
    try {
      const res = await homephone(['check', '--twin', twin.url, '--tester', TESTER, '--yes'], { dir, env });
      expect(res.exitCode, res.stderr).toBe(0);
      expect(res.stderr).toContain('not a verified caller ID');
      const lines = res.stdout.split('\n');
      expect(lines[0]).toMatch(/^path\s+expected\s+seen\s+verdict\s+fix hint$/);
      expect(lines.find((l) => l.startsWith("owner's menu answers"))).toMatch(/not a verified caller ID.*skip\s+verify the owner's cell in the Twilio console \(Phone Numbers > Verified Caller IDs\)/);
      for (const path of ['numbers point at the deploy', 'unknown caller is refused', 'whitelisted caller reaches', 'buzzer agent answers', 'every audio URL plays']) {
        expect(lines.find((l) => l.startsWith(path))).toMatch(/\bpass\b/);
      }
      expect(res.stdout).toContain('Every path tried passed (see the skipped ones).');
      expect(await client.calls.list({ from: OWNER })).toHaveLength(ownerCalls);
    } finally {
      await verifyCallerId(OWNER);
    }
  });

  it('--ring-people: the buzz is a real one and the tenants ring (then the check hangs up)', async () => {
    const before = (await callsTo(ALEX)).length;
    const { res, row } = await check(['--ring-people']);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(row('buzzer-agent')).toMatchObject({ verdict: 'pass', seen: expect.stringContaining(`rang ${ALEX}`) });
    expect((await callsTo(ALEX)).length).toBeGreaterThan(before);
    expect(await live()).toEqual([]);
    expect(await windowLeft()).toBeNull();
  });

  it('non-interactive without --yes: refuses with exit 2 naming --yes, and places nothing', async () => {
    twin.log.clear();
    const res = await homephone(['check', '--twin', twin.url, '--tester', TESTER], { dir, env });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('pass --yes');
    expect(res.stderr).toContain('Estimated cost on Twilio');
    expect(twin.log.all().filter((r) => r.method === 'POST' && r.path.includes('/Calls'))).toEqual([]);
  });

  it('without --twin it runs on the account of the configuration: with no credentials there, exit 4 naming them', async () => {
    const bare = tempDir();
    await ConfigStore.open({ HOMEPHONE_CONFIG_DIR: bare }).replace(config);
    const res = await homephone(['check', '--yes'], { dir: bare });
    expect(res.exitCode).toBe(4);
    expect(res.stderr).toMatch(/TWILIO_ACCOUNT_SID|twilio\.accountSid/);
  });

  it('a --tester the account neither owns nor has verified: exit 2 before anything is placed', async () => {
    twin.log.clear();
    const res = await homephone(['check', '--twin', twin.url, '--tester', '+15557650000', '--yes'], { dir, env });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('--tester +15557650000 is neither a number of');
    expect(twin.log.all().filter((r) => r.method === 'POST' && r.path.includes('/Calls'))).toEqual([]);
  });

  it('a --tester that is not E.164: exit 2', async () => {
    const res = await homephone(['check', '--twin', twin.url, '--tester', '555-1234', '--yes'], { dir, env });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('--tester');
  });
});
