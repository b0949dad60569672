// `homephone check --twin URL`, end to end: a household deployed into an in-process twin with the
// real deploy code, the real buzzer agent reached through the twin's host mapping, and the CLI
// placing its calls through the twin and reading the records back. A healthy deployment passes
// every row; each broken deploy fails its own row with the hint that fixes it.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import { startTwin, type Twin } from '@homephone/twin';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/config/store.js';
import type { HomephoneConfig } from '../../src/config/schema.js';
import { deploy, openSession } from '../../src/deploy/index.js';
import { TEMPLATES_DIR } from '../../src/deploy/templates.js';
import { hashMonitorCode } from '../../src/household/monitor-code.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { startAgent, restOverTwilio, createLogger, type Agent } from '../../src/agent/index.js';
import { homephone, tempDir } from '../helpers/cli.js';

const HOME = '+15551230001';
const BUZZER = '+15551230002';
const TESTER = '+15551230003';
const OWNER = '+15551239000';
const ENTERPHONE = '+15551238888';
const ALEX = '+15551110000';
const SIP = 'sip:homephone@myhome.sip.twilio.com';
const PUBLIC_URL = 'https://buzz.example.org/';

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

interface Household {
  twin: Twin;
  dir: string;
  env: Record<string, string>;
  agent: Agent | null;
  client: ReturnType<typeof createTwilioClient>;
}

let open: Household | undefined;
afterEach(async () => {
  await open?.agent?.close();
  await open?.twin.close();
  open = undefined;
});

/** Deploys the household into a fresh twin (optionally from changed templates) and starts the agent. */
async function household(options: { templatesDir?: string; agent?: boolean; whitelist?: unknown[] } = {}): Promise<Household> {
  const twin = await startTwin({ numbers: [HOME, BUZZER, TESTER], startTime: new Date('2026-11-20T20:00:00Z') });
  const dir = tempDir();
  const env = { HOMEPHONE_CONFIG_DIR: dir, TWILIO_ACCOUNT_SID: twin.credentials.accountSid, TWILIO_AUTH_TOKEN: twin.credentials.authToken };
  await ConfigStore.open(env).replace(config);
  writeFileSync(join(dir, 'whitelist.json'), JSON.stringify(options.whitelist ?? [{ Number: TESTER, Person: 'Tester', OverrideBedtime: true, PrimaryContact: null }]));
  const session = await openSession(env, { twinUrl: twin.url });
  await deploy({ ...session, sleep: async () => {}, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) });
  const client = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {}, { retry: { sleep: async () => {} } });
  let agent: Agent | null = null;
  if (options.agent !== false) {
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
  }
  open = { twin, dir, env, agent, client };
  return open;
}

async function check(h: Household, args: string[] = []) {
  const res = await homephone(['check', '--twin', h.twin.url, '--tester', TESTER, '--yes', '--json', ...args], { dir: h.dir, env: h.env });
  const doc = JSON.parse(res.stdout) as { ok: boolean; rows: Array<{ id: string; verdict: string; seen: string; hint: string | null }> };
  return { res, doc, row: (id: string) => doc.rows.find((r) => r.id === id)! };
}

describe('homephone check --twin', () => {
  it('a healthy deployment passes every path, and every call it placed has ended', async () => {
    const h = await household();
    const { res, doc } = await check(h);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(doc.rows.map((r) => [r.id, r.verdict])).toEqual([
      ['numbers', 'pass'],
      ['unknown-caller', 'pass'],
      ['whitelisted-caller', 'pass'],
      ['owner-menu', 'pass'],
      ['buzzer-agent', 'pass'],
      ['audio', 'pass'],
    ]);
    expect(doc.rows.find((r) => r.id === 'whitelisted-caller')!.seen).toContain('the SIP phone rang');
    expect(res.stderr).toContain('Estimated cost on Twilio');
    expect(res.stderr).toContain(`calling ${HOME} from ${TESTER}`);
    // Nobody real was rung: no call to a tenant, and no call is left up.
    const calls = await h.client.calls.list();
    expect(calls.filter((c) => c.to === ALEX)).toEqual([]);
    expect(calls.filter((c) => ['queued', 'ringing', 'in-progress'].includes(c.status))).toEqual([]);
  });

  it('a tester not on the whitelist is whitelisted for its call only, and the deployed whitelist is restored', async () => {
    const grandma = { Number: '+15555555555', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null };
    const h = await household({ whitelist: [grandma] });
    const before = readFileSync(join(h.dir, 'whitelist.json'), 'utf8');
    const { res, doc, row } = await check(h);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(doc.rows.every((r) => r.verdict === 'pass')).toBe(true);
    expect(row('whitelisted-caller').seen).toContain('the SIP phone rang');
    expect(res.stderr).toContain(`whitelisting ${TESTER} for this check`);
    expect(res.stderr).toContain(`removing ${TESTER} from the deployed whitelist again`);
    // As found: the local whitelist untouched, and the deployed one refuses the tester again.
    expect(readFileSync(join(h.dir, 'whitelist.json'), 'utf8')).toBe(before);
    const after = await h.twin.engine.placeCall({ from: TESTER, to: HOME, script: { hangupAfter: 10 } });
    const decision = after.events.find((e) => e.type === 'log' && e.text.includes('"decision"'));
    expect(JSON.parse(decision!.text)).toMatchObject({ path: 'not-whitelisted' });
    const grandmaCall = await h.twin.engine.placeCall({ from: grandma.Number, to: HOME, script: { hangupAfter: 10 } });
    expect(grandmaCall.calls.some((c) => c.to === SIP)).toBe(true);
  });

  it('prints a table by default: path, expected, seen, verdict, fix hint', async () => {
    const h = await household();
    await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME }).then(([n]) => h.client.incomingPhoneNumbers(n!.sid).update({ voiceUrl: 'https://wrong.example.org/voice' }));
    const res = await homephone(['check', '--twin', h.twin.url, '--tester', TESTER, '--yes'], { dir: h.dir, env: h.env });
    expect(res.exitCode).toBe(1);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toMatch(/^path\s+expected\s+seen\s+verdict\s+fix hint$/);
    expect(lines.find((l) => l.startsWith('numbers point at the deploy'))).toMatch(/fail\s+a voice URL was changed outside homephone/);
    expect(lines.find((l) => l.startsWith("owner's menu answers"))).toBeDefined();
    expect(res.stdout).toMatch(/\d path\(s\) failed\./);
  });

  it('the phone not registered (32009) but moved on to the owner\'s cell passes as "phone not registered"', async () => {
    const h = await household();
    h.twin.engine.phones.set(SIP, { registered: false });
    const { res, row } = await check(h);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(row('whitelisted-caller')).toMatchObject({ verdict: 'pass', seen: expect.stringContaining('phone not registered') });
  });

  it('the SIP registration mapping removed: the whitelisted path fails with the mapping hint', async () => {
    const h = await household();
    const [domain] = await h.client.sip.domains.list();
    const mappings = await h.client.sip.domains(domain!.sid).auth.registrations.credentialListMappings.list();
    for (const m of mappings) await h.client.sip.domains(domain!.sid).auth.registrations.credentialListMappings(m.sid).remove();
    const { res, row } = await check(h);
    expect(res.exitCode).toBe(1);
    expect(row('whitelisted-caller')).toMatchObject({ verdict: 'fail', hint: expect.stringContaining("registration mapping is missing; homephone deploy restores it") });
    expect(row('unknown-caller').verdict).toBe('pass');
  });

  it('the ringback asset answering 404: the audio path fails naming the URL', async () => {
    const h = await household();
    const [service] = await h.client.serverless.v1.services.list();
    const [environment] = await h.client.serverless.v1.services(service!.sid).environments.list();
    const live = await h.client.serverless.v1.services(service!.sid).builds(environment!.buildSid).fetch();
    const assets = (live.assetVersions as Array<{ sid: string; path: string }>).filter((a) => a.path !== '/ringback.wav');
    expect(assets.length).toBe((live.assetVersions as unknown[]).length - 1);
    const build = await h.client.serverless.v1.services(service!.sid).builds.create({
      functionVersions: (live.functionVersions as Array<{ sid: string }>).map((f) => f.sid),
      assetVersions: assets.map((a) => a.sid),
      dependencies: JSON.stringify(live.dependencies ?? []),
    });
    await h.client.serverless.v1.services(service!.sid).builds(build.sid).fetch();
    await h.client.serverless.v1.services(service!.sid).environments(environment!.sid).deployments.create({ buildSid: build.sid });
    const { res, row } = await check(h);
    expect(res.exitCode).toBe(1);
    expect(row('audio')).toMatchObject({ verdict: 'fail', seen: expect.stringMatching(/ringback\.wav answered 404/), hint: expect.stringContaining('homephone deploy uploads the assets again') });
    // The caller waiting for the phone lost the room with its hold sound: that path fails too, for the same reason.
    expect(row('whitelisted-caller')).toMatchObject({ verdict: 'fail', seen: expect.stringContaining('11200') });
    expect(row('unknown-caller').verdict).toBe('pass');
  });

  it('the agent down: the buzzer path fails, reporting that the fallback answered and rang the tenants', async () => {
    const h = await household({ agent: false });
    h.twin.hosts.map('buzz.example.org', 'http://127.0.0.1:9'); // nothing listens there
    const { res, row } = await check(h);
    expect(res.exitCode).toBe(1);
    expect(row('buzzer-agent')).toMatchObject({
      verdict: 'fail',
      seen: expect.stringContaining(`the fallback answered and rang ${ALEX}`),
      hint: expect.stringContaining('the agent is down or unreachable at buzzer.publicUrl'),
    });
    expect(row('owner-menu').verdict).toBe('pass');
  });

  it("a Function throwing: the owner's menu fails naming the Function", async () => {
    const templates = tempDir();
    cpSync(TEMPLATES_DIR, templates, { recursive: true });
    writeFileSync(join(templates, 'functions/calls-in-progress.js'), "exports.handler = () => { throw new Error('broken on purpose'); };\n");
    const h = await household({ templatesDir: templates });
    const { res, row } = await check(h);
    expect(res.exitCode).toBe(1);
    expect(row('owner-menu')).toMatchObject({
      verdict: 'fail',
      seen: expect.stringContaining('/calls-in-progress'),
      hint: expect.stringContaining('the Function /calls-in-progress is failing'),
    });
    expect(row('unknown-caller').verdict).toBe('pass');
  });

  it('a wrong voice URL on the home number: the numbers path fails with the deploy hint', async () => {
    const h = await household();
    const [number] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME });
    await h.client.incomingPhoneNumbers(number!.sid).update({ voiceUrl: 'https://wrong.example.org/voice' });
    const { res, row } = await check(h);
    expect(res.exitCode).toBe(1);
    expect(row('numbers')).toMatchObject({
      verdict: 'fail',
      seen: expect.stringContaining(`${HOME} (home) → https://wrong.example.org/voice`),
      hint: expect.stringContaining('homephone deploy sets it back'),
    });
    expect(row('unknown-caller').verdict).toBe('fail');
  });
});

describe('homephone check: Ctrl-C', () => {
  it('places no further call, removes the temporary whitelist entry, ends its calls and exits 3', async () => {
    const h = await household({ whitelist: [] });
    // In-process main(), so the SIGINT arrives at a known point: as the tester is being whitelisted.
    let stderr = '';
    let stdout = '';
    const io = {
      stdout: new Writable({ write: (c, _e, done) => ((stdout += String(c)), done()) }),
      stderr: new Writable({
        write: (c, _e, done) => {
          stderr += String(c);
          if (String(c).includes('whitelisting')) process.emit('SIGINT');
          done();
        },
      }),
      stdinIsTTY: false,
      env: { ...process.env, CI: '1', NO_COLOR: '1', HOMEPHONE_TWIN_URL: undefined, TWILIO_API_KEY: undefined, TWILIO_API_SECRET: undefined, ...h.env },
    };
    const code = await main(['check', '--twin', h.twin.url, '--tester', TESTER, '--yes', '--json'], io);
    expect(code, stderr).toBe(3);
    const doc = JSON.parse(stdout) as { interrupted: boolean; rows: Array<{ id: string }> };
    expect(doc.interrupted).toBe(true);
    // The call under way when Ctrl-C came finished; nothing after it was placed.
    expect(doc.rows.map((r) => r.id)).toEqual(['numbers', 'unknown-caller', 'whitelisted-caller']);
    expect(stderr).toContain('interrupted: ending the calls placed so far');
    expect(stderr).toContain(`removing ${TESTER} from the deployed whitelist again`);
    const calls = await h.client.calls.list();
    expect(calls.filter((c) => c.from === OWNER || c.to === BUZZER)).toEqual([]);
    expect(calls.filter((c) => ['queued', 'ringing', 'in-progress'].includes(c.status))).toEqual([]);
    const after = await h.twin.engine.placeCall({ from: TESTER, to: HOME, script: { hangupAfter: 10 } });
    expect(after.calls.some((c) => c.to === SIP)).toBe(false);
  });
});

describe('homephone check: consent and usage', () => {
  it('non-interactive without --yes: refuses with exit 2 naming --yes, and places nothing', async () => {
    const h = await household();
    h.twin.log.clear();
    const res = await homephone(['check', '--twin', h.twin.url, '--tester', TESTER], { dir: h.dir, env: h.env });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('pass --yes');
    expect(res.stderr).toContain('Estimated cost on Twilio');
    expect(h.twin.log.all().filter((r) => r.method === 'POST' && r.path.includes('/Calls'))).toEqual([]);
    expect(h.twin.engine.transcript.events).toEqual([]);
  });

  it('without a twin: exit 2, saying real accounts are not supported yet', async () => {
    const dir = tempDir();
    await ConfigStore.open({ HOMEPHONE_CONFIG_DIR: dir }).replace(config);
    const res = await homephone(['check', '--yes'], { dir });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('--twin URL');
  });

  it('a --tester that is not E.164: exit 2', async () => {
    const h = await household();
    const res = await homephone(['check', '--twin', h.twin.url, '--tester', '555-1234', '--yes'], { dir: h.dir, env: h.env });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('--tester');
  });
});
