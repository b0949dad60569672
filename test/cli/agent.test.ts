// `homephone agent`, `agent install`, `buzzer …` and `simulate buzz` in-process through main(); the agent itself as a real process.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { AUTH_TOKEN, bin, homephone, initFlags, readJson, tempDir } from '../helpers/cli.js';
import { initialisedFolder } from '../helpers/cli-household.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startTwin } from '@homephone/twin';

const buzzerFlags = [
  '--buzzer-number', '+15551239999',
  '--enterphone-number', '+15551238888',
  '--tenant', 'Alex=+15551110000',
  '--tenant', 'Sam=+15551110001',
  '--public-url', 'https://buzz.example.org/',
];

/** A fresh folder holding what init writes for the household (a copy: helpers/cli-household.ts). */
async function household(buzzer = true): Promise<string> {
  return initialisedFolder([...initFlags, ...(buzzer ? buzzerFlags : ['--no-buzzer'])]);
}

describe('homephone agent', () => {
  it('refuses to start without a buzzer configuration, naming what to set (exit 2)', async () => {
    const dir = await household(false);
    const r = await homephone(['agent', '--port', '0'], { dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('buzzer.publicUrl');
    expect(r.stderr).toContain('buzzer.number');
  });

  it('refuses to start with only an API key: it needs the auth token to check signatures', async () => {
    const dir = await household();
    await homephone(['config', 'unset', 'twilio.authToken'], { dir });
    const r = await homephone(['agent'], { dir, env: { TWILIO_API_KEY: 'SK' + '0'.repeat(32), TWILIO_API_SECRET: 'secretsecret' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/twilio\.authToken \(or TWILIO_AUTH_TOKEN\)/);
  });

  it('runs against a twin: texts tenant 1 that it is up, answers /healthz, logs JSON lines without secrets, stops on SIGTERM', async () => {
    const dir = await household();
    const twin = await startAgentTwin();
    try {
      const child = execa('node', [bin, 'agent', '--port', '0', '--host', '127.0.0.1', '--log-format', 'json'], {
        env: { HOMEPHONE_CONFIG_DIR: dir, HOMEPHONE_TWIN_URL: twin.url, CI: '1', NO_COLOR: '1' },
        reject: false,
      });
      const lines: Array<Record<string, unknown>> = [];
      const started = new Promise<Record<string, unknown>>((resolve, reject) => {
        child.stderr!.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\n').filter(Boolean)) {
            if (!line.startsWith('{')) return reject(new Error(`not a JSON log line: ${line}`));
            const record = JSON.parse(line) as Record<string, unknown>;
            lines.push(record);
            if (record.event === 'agent.started') resolve(record);
          }
        });
        void child.then((r) => reject(new Error(`the agent exited ${r.exitCode}: ${r.stderr}`)));
      });
      const record = await started;
      const port = String(record.listen).split(':').at(-1);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const unsigned = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'From=%2B15551238888' });
      expect(unsigned.status).toBe(403);
      // The start-up text reached the twin.
      await expect.poll(() => twin.state.messages.size).toBe(1);
      const [sms] = [...twin.state.messages.values()];
      expect(sms!.json).toMatchObject({ to: '+15551110000', from: '+15551239999' });
      child.kill('SIGTERM');
      const done = await child;
      expect(done.exitCode).toBe(0);
      expect(lines.map((l) => l.event)).toEqual(expect.arrayContaining(['agent.started', 'request.forbidden', 'sms.sent', 'agent.stopped']));
      expect(done.stderr).not.toContain(AUTH_TOKEN);
    } finally {
      await twin.close();
    }
  });
});

describe('homephone agent install', () => {
  it('--print prints a systemd unit with a restart policy, journald and no secrets', async () => {
    const dir = await household();
    const r = await homephone(['agent', 'install', '--print', '--run-as', 'daemon'], { dir, env: { TWILIO_AUTH_TOKEN: AUTH_TOKEN } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('[Service]');
    expect(r.stdout).toMatch(/^ExecStart=\S+ \S+bin\/homephone agent --log-format json$/m);
    expect(r.stdout).toContain('Restart=always');
    expect(r.stdout).toMatch(/^User=daemon$/m);
    expect(r.stdout).toMatch(/^LimitNOFILE=\d+$/m);
    expect(r.stdout).toContain('StandardOutput=journal');
    expect(r.stdout).toContain(`Environment=HOMEPHONE_CONFIG_DIR=${dir}`);
    expect(r.stdout).toContain('WantedBy=multi-user.target');
    expect(r.stdout).not.toContain(AUTH_TOKEN);
    expect(r.stderr).toContain('TWILIO_AUTH_TOKEN is set here but is not copied into the unit');
  });

  it('--user writes a user unit and says how to enable it', async () => {
    const dir = await household();
    const home = tempDir();
    const r = await homephone(['--json', 'agent', 'install', '--user'], { dir, env: { XDG_CONFIG_HOME: home, SUDO_USER: undefined } });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { path: string; enable: string[] };
    expect(out.path).toBe(join(home, 'systemd/user/homephone-agent.service'));
    expect(out.enable).toContain('systemctl --user enable --now homephone-agent.service');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(out.path, 'utf8')).toContain('WantedBy=default.target');
  });
});

describe('homephone buzzer', () => {
  it('open-for 30m persists a delivery window; status shows it; close ends it', async () => {
    const dir = await household();
    const before = Date.now();
    const r = await homephone(['buzzer', 'open-for', '30m'], { dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/The door opens on a buzz until \d\d:\d\d \(America\/New_York\)/);
    const stored = readJson(join(dir, 'config.json')) as { buzzer: { openUntil: string } };
    const until = Date.parse(stored.buzzer.openUntil);
    expect(until - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(until - before).toBeLessThan(31 * 60_000);
    const status = await homephone(['--json', 'buzzer', 'status'], { dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ deliveryWindow: { openUntil: stored.buzzer.openUntil } });
    expect((await homephone(['buzzer', 'close'], { dir })).stdout).toContain('The delivery window is closed');
    expect((readJson(join(dir, 'config.json')) as { buzzer: Record<string, unknown> }).buzzer.openUntil).toBeUndefined();
  });

  it('open-for rejects a bad duration (exit 2)', async () => {
    const dir = await household();
    const r = await homephone(['buzzer', 'open-for', 'soon'], { dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('write it like 30m, 2h or 1h30m');
  });

  it('entry codes are stored only as hashes and masked in config show', async () => {
    const dir = await household();
    expect((await homephone(['buzzer', 'code', 'add', 'courier', '--code', '4821'], { dir })).exitCode).toBe(0);
    const raw = JSON.stringify(readJson(join(dir, 'config.json')));
    expect(raw).not.toContain('4821');
    expect(raw).toContain('scrypt$');
    expect((await homephone(['buzzer', 'code', 'list'], { dir })).stdout.trim()).toBe('courier');
    expect((await homephone(['config', 'show'], { dir })).stdout).toContain('buzzer.entryCodes = ********');
    expect((await homephone(['buzzer', 'code', 'add', 'x'], { dir })).exitCode).toBe(2); // no --code, no terminal
    expect((await homephone(['buzzer', 'code', 'remove', 'courier'], { dir })).exitCode).toBe(0);
    expect((await homephone(['buzzer', 'code', 'remove', 'courier'], { dir })).exitCode).toBe(2);
  });
});

describe('homephone simulate buzz', () => {
  it('--json: Alex presses 9, the door opens, Sam gets a text', async () => {
    const dir = await household();
    const r = await homephone(['--json', 'simulate', 'buzz', '--tenant', 'Alex=answers:9', '--tenant', 'Sam=voicemail', '--at', '2026-11-20 14:02'], { dir });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { outcome: { phase: string; by: string }; sms: Array<{ to: string; body: string }>; events: Array<{ type: string; data: Record<string, unknown> }> };
    expect(out.outcome).toMatchObject({ phase: 'opened', by: 'Alex' });
    expect(out.sms).toEqual([{ to: '+15551110001', body: 'Front door opened at 14:02 by Alex.' }]);
    expect(out.events.some((e) => e.type === 'play' && e.data.digits === 'ww9')).toBe(true);
  });

  it('prints the transcript; an unknown tenant or behaviour is exit 2', async () => {
    const dir = await household();
    const text = await homephone(['simulate', 'buzz', '--tenant', 'alex=no-answer'], { dir });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('nobody accepted in time');
    expect(text.stdout).toContain('dialling +15551110000, +15551110001');
    expect((await homephone(['simulate', 'buzz', '--tenant', 'Bob=answers:1'], { dir })).exitCode).toBe(2);
    expect((await homephone(['simulate', 'buzz', '--tenant', 'Alex=dances'], { dir })).exitCode).toBe(2);
  });

  it('five tenants at the twin\'s default calls per second: every phone starts ringing within 0.5 s of the first', async () => {
    const r = await homephone(['--json', 'simulate', 'buzz', ...['A', 'B', 'C', 'D', 'E'].flatMap((n) => ['--tenant', `${n}=no-answer`])], { dir: tempDir() });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { tenants: Array<{ number: string }>; calls: Array<{ sid: string; to: string; direction: string }>; events: Array<{ type: string; callSid: string | null; atMs: number }> };
    expect(out.tenants).toHaveLength(5);
    const legs = out.calls.filter((c) => out.tenants.some((t) => t.number === c.to));
    expect(legs.map((c) => c.direction)).toEqual(Array(5).fill('outbound-dial'));
    const starts = legs.map((c) => out.events.find((e) => e.type === 'ringing' && e.callSid === c.sid)!.atMs);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThanOrEqual(500);
  });

  it('talk, then open: Alex=answers:1,*9@20 opens the door once, and the text names Alex', async () => {
    const dir = await household();
    const r = await homephone(['--json', 'simulate', 'buzz', '--tenant', 'Alex=answers:1,*9@20', '--tenant', 'Sam=no-answer', '--at', '2026-11-20 14:02'], { dir });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { outcome: { phase: string; by: string }; sms: Array<{ to: string; body: string }>; events: Array<{ type: string; atMs: number; data: Record<string, unknown> }> };
    expect(out.outcome).toMatchObject({ phase: 'opened', by: 'Alex' });
    const door = out.events.filter((e) => e.type === 'play' && e.data.digits !== undefined);
    expect(door.map((e) => e.data.digits)).toEqual(['ww9']);
    const star = out.events.find((e) => e.type === 'digits-sent' && e.data.hangupOnStar === true);
    expect(door[0]!.atMs).toBeGreaterThan(star!.atMs);
    expect(out.events.some((e) => e.type === 'conference-join')).toBe(true);
    expect(out.sms).toEqual([{ to: '+15551110001', body: 'Front door opened at 14:02 by Alex.' }]);
    // The enterphone heard its door digits once: the door opened once.
    expect(out.events.filter((e) => e.type === 'reaction').map((e) => e.data.reaction)).toEqual(['door-opens']);
    const help = await homephone(['simulate', 'buzz', '--help'], { dir });
    expect(help.stdout).toContain('answers:1,*9@20');
    const bad = await homephone(['simulate', 'buzz', '--tenant', 'Alex=answers:1,*9'], { dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('KEYS@SECONDS');
  });
});

/** Resolves once the twin has a call to each of these numbers (the agent rang them, however it does). */
async function tenantsRung(twin: Awaited<ReturnType<typeof startTwin>>, numbers: string[]): Promise<void> {
  await expect
    .poll(() => numbers.every((n) => [...twin.state.calls.values()].some((c) => c.json.to === n)), { timeout: 20_000, interval: 20 })
    .toBe(true);
}

/**
 * An in-process twin for an agent in another process, the buzzer number's webhooks pointed at the
 * agent's public URL when `urls` are given (through the SDK, as a deploy would). The agent answers
 * some webhooks at once and makes its REST call a moment later (a tenant's 9 moves the tenant's
 * leg): the twin waits a wall-clock window after each request before virtual time moves on, as
 * `twin start --quiet-ms` does, or it could run the call on past the moment that REST call was
 * for. Only instants that follow a request pay the window.
 */
async function startAgentTwin(urls?: { voiceUrl: string; smsUrl?: string }) {
  const twin = await startTwin({
    numbers: ['+15551239999'],
    credentials: { authToken: AUTH_TOKEN, accountSid: 'AC0123456789abcdef0123456789abcdef' },
    voice: { quietMs: 500 },
  });
  if (!urls) return twin;
  try {
    const { createTwilioClient } = await import('../../src/twilio/client.js');
    const client = createTwilioClient({ ...twin.credentials, twinUrl: twin.url }, {});
    const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: '+15551239999' });
    await client.incomingPhoneNumbers(number!.sid).update(urls);
    return twin;
  } catch (e) {
    await twin.close();
    throw e;
  }
}

/** The built agent in its own process, its JSON log lines collected as they come. */
function spawnAgent(dir: string, twinUrl: string) {
  const child = execa('node', [bin, 'agent', '--port', '0', '--host', '127.0.0.1', '--log-format', 'json', '--no-startup-sms'], {
    env: { HOMEPHONE_CONFIG_DIR: dir, HOMEPHONE_TWIN_URL: twinUrl, CI: '1', NO_COLOR: '1' },
    reject: false,
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ event: string; resolve: (r: Record<string, unknown>) => void }> = [];
  let buffered = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts.filter(Boolean)) {
      const record = (line.startsWith('{') ? JSON.parse(line) : { event: 'not-json', line }) as Record<string, unknown>;
      lines.push(record);
      for (const w of waiters.filter((x) => x.event === record.event)) w.resolve(record);
    }
  });
  /** Resolves at the first log line with this event (already logged or to come). */
  const next = (event: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = lines.find((l) => l.event === event);
      if (seen) return resolve(seen);
      waiters.push({ event, resolve });
      void child.then((r) => reject(new Error(`the agent exited ${r.exitCode} before logging ${event}: ${r.stderr}`)));
    });
  return { child, lines, next };
}

describe('homephone agent as a service', () => {
  it('SIGTERM mid-buzz: the visitor is told, the tenants\' calls stop and they are texted, then it exits with nothing after agent.stopped', async () => {
    const dir = await household();
    const twin = await startAgentTwin({ voiceUrl: 'https://buzz.example.org/' });
    try {
      const agent = spawnAgent(dir, twin.url);
      const started = await agent.next('agent.started');
      twin.engine.webhooks.alias('buzz.example.org', `http://${String(started.listen)}`);
      twin.engine.phones.set('+15551110000', { answerAfter: 60 });
      twin.engine.phones.set('+15551110001', { answerAfter: 60 });
      const mark = twin.engine.transcript.events.length;
      const visitor = twin.engine.startCall({ from: '+15551238888', to: '+15551239999' }).json.sid;
      await twin.engine.advance(0);
      await tenantsRung(twin, ['+15551110000', '+15551110001']);
      await twin.engine.advance(2); // both tenants' phones are ringing
      agent.child.kill('SIGTERM');
      const done = await agent.child;
      expect(done.exitCode).toBe(0);
      await twin.engine.settle();
      const r = twin.engine.result(visitor, twin.engine.transcript.since(mark));
      const events = agent.lines.map((l) => l.event);
      expect(events.at(-1)).toBe('agent.stopped');
      expect(events).toEqual(expect.arrayContaining(['agent.stopping', 'buzz.stopped', 'sms.sent']));
      expect(r.events.filter((e) => e.callSid === visitor && e.type === 'say').map((e) => e.data.text)).toContain(
        'Sorry, the door system is restarting. Please buzz again in a minute. Goodbye.',
      );
      const tenantLegs = r.calls.filter((c) => c.to === '+15551110000' || c.to === '+15551110001').map((c) => c.sid);
      expect(tenantLegs).toHaveLength(2);
      // Their phones stop ringing (cancelled, or hung up with the visitor's <Dial>): none was answered.
      for (const leg of tenantLegs) {
        expect(r.events.some((e) => e.callSid === leg && e.type === 'answered')).toBe(false);
        expect(['canceled', 'completed', 'no-answer']).toContain(r.events.find((e) => e.callSid === leg && e.type === 'hangup')?.data.status);
      }
      const texts = r.events.filter((e) => e.type === 'sms').map((e) => String(e.data.body));
      expect(texts).toHaveLength(2);
      expect(texts[0]).toMatch(/^Missed buzz at \d\d:\d\d: the buzzer agent was stopping\.$/);
      // The stop left no buzz behind to carry over.
      const journal = readJson(join(dir, 'buzzes.json')) as { buzzes: unknown[] };
      expect(journal.buzzes).toEqual([]);
    } finally {
      await twin.close();
    }
  });

  it('SIGKILL mid-buzz and a new process on the same config folder: the tenant\'s key press still opens the door', async () => {
    const dir = await household();
    const twin = await startAgentTwin({ voiceUrl: 'https://buzz.example.org/' });
    const agents: Array<ReturnType<typeof spawnAgent>> = [];
    try {
      const first = spawnAgent(dir, twin.url);
      agents.push(first);
      twin.engine.webhooks.alias('buzz.example.org', `http://${String((await first.next('agent.started')).listen)}`);
      twin.engine.phones.set('+15551110000', { answerAfter: 3, press: [{ digits: '9', at: 6 }] });
      twin.engine.phones.set('+15551110001', { answerAfter: 25 });
      const mark = twin.engine.transcript.events.length;
      const visitor = twin.engine.startCall({ from: '+15551238888', to: '+15551239999' }).json.sid;
      await twin.engine.advance(0);
      await tenantsRung(twin, ['+15551110000', '+15551110001']);
      await twin.engine.advance(5); // Alex picked up at 3 s and is hearing the menu
      await first.next('tenant.answered'); // (its journal was written before that answer went out)
      first.child.kill('SIGKILL');
      await first.child;
      const second = spawnAgent(dir, twin.url);
      agents.push(second);
      twin.engine.webhooks.alias('buzz.example.org', `http://${String((await second.next('agent.started')).listen)}`);
      expect(await second.next('journal.restored')).toMatchObject({ buzzes: 1, ringing: 1 });
      await twin.engine.settle();
      await second.next('buzz.opened');
      const r = twin.engine.result(visitor, twin.engine.transcript.since(mark));
      const alex = r.calls.find((c) => c.to === '+15551110000')!.sid;
      expect(r.events.find((e) => e.callSid === visitor && e.type === 'play' && e.data.digits !== undefined)?.data.digits).toBe('ww9');
      expect(r.events.filter((e) => e.callSid === alex && e.type === 'say').map((e) => e.data.text)).toContain('The door is open. Goodbye.');
    } finally {
      for (const a of agents) a.child.kill('SIGKILL');
      await twin.close();
    }
  });

  it("the owner's texts reach `homephone agent`: open writes the same window `buzzer status` reads, the next buzz opens; a stranger is ignored", async () => {
    const dir = await household();
    const twin = await startAgentTwin({ voiceUrl: 'https://buzz.example.org/', smsUrl: 'https://buzz.example.org/sms' });
    const agents: Array<ReturnType<typeof spawnAgent>> = [];
    try {
      const agent = spawnAgent(dir, twin.url);
      agents.push(agent);
      twin.engine.webhooks.alias('buzz.example.org', `http://${String((await agent.next('agent.started')).listen)}`);
      const text = (from: string, body: string) => twin.engine.receiveSms({ from, to: '+15551239999', body });

      const ignored = await text('+15550007777', 'open 30m');
      expect(ignored.replies).toEqual([]);
      expect(await agent.next('sms.ignored')).toMatchObject({ from: '+*******7777', reason: 'not the owner' });
      const before = await homephone(['buzzer', 'status', '--json'], { dir });
      expect(JSON.parse(before.stdout).deliveryWindow).toBeNull();

      const opened = await text('+15551230001', 'open 30m');
      expect(opened.replies.map((m) => m.body)).toEqual([expect.stringMatching(/^Door: a buzz opens it until \d\d:\d\d \(30 min\)/)]);
      const status = await homephone(['buzzer', 'status', '--json'], { dir });
      const until = Date.parse(JSON.parse(status.stdout).deliveryWindow.openUntil as string);
      expect(until).toBeGreaterThan(Date.now() + 25 * 60_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 30 * 60_000);

      const r = await twin.engine.placeCall({ from: '+15551238888', to: '+15551239999' });
      expect(r.calls.map((c) => c.to)).toEqual(['+15551239999']);
      expect(r.events.find((e) => e.type === 'play' && e.data.digits !== undefined)?.data.digits).toBe('ww9');
      await agent.next('buzz.opened');
      expect(JSON.stringify(agent.lines)).not.toContain('+15551230001');
    } finally {
      for (const a of agents) a.child.kill('SIGKILL');
      await twin.close();
    }
  });

  it('refuses to run on a configuration file others can write, and writes nothing beside it', async () => {
    const dir = await household();
    const { chmodSync, existsSync } = await import('node:fs');
    chmodSync(join(dir, 'config.json'), 0o664);
    const r = await homephone(['agent', '--port', '0'], { dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'config.json')} can be written by its group`);
    expect(existsSync(join(dir, 'buzzes.json'))).toBe(false);
  });

  it.each([
    ['an invalid time zone', 'household.timeZone', 'Mars/Olympus_Mons', 'household.timeZone "Mars/Olympus_Mons" is not an IANA time zone'],
    // no signature could match a public URL with a query
    ['a public URL with a query', 'buzzer.publicUrl', 'https://buzz.example.org/?key=1', 'buzzer.publicUrl "https://buzz.example.org/?key=1" must not have a query'],
  ])('refuses to start on a hand-edited config with %s (exit 2), naming it', async (_, key, value, message) => {
    const dir = await household();
    const path = join(dir, 'config.json');
    const config = readJson(path) as Record<string, Record<string, unknown>>;
    const [section, field] = key.split('.') as [string, string];
    config[section]![field] = value;
    writeFileSync(path, JSON.stringify(config));
    const r = await homephone(['agent', '--port', '0'], { dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('a public URL with a query or a fragment is refused at init and config set (exit 2), and nothing is written', async () => {
    const dir = await household();
    const before = readJson(join(dir, 'config.json'));
    for (const url of ['https://buzz.example.org/?token=1', 'https://buzz.example.org/#door']) {
      const set = await homephone(['config', 'set', 'buzzer.publicUrl', url], { dir });
      expect(set.exitCode).toBe(2);
      expect(set.stderr).toContain('must not have a query (?…) or a fragment (#…)');
    }
    expect(readJson(join(dir, 'config.json'))).toEqual(before);
    const fresh = tempDir();
    const flags = buzzerFlags.map((f) => (f === 'https://buzz.example.org/' ? 'https://buzz.example.org/buzzer?x=1' : f));
    const init = await homephone(['init', ...initFlags, ...flags], { dir: fresh });
    expect(init.exitCode).toBe(2);
    expect(init.stderr).toContain('must not have a query');
  });
});

describe('homephone agent install: who runs it', () => {
  it('--port 0 is refused (exit 2): a service needs a port Twilio can reach', async () => {
    const dir = await household();
    const r = await homephone(['agent', 'install', '--print', '--run-as', 'daemon', '--port', '0'], { dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--port 0 is not a port number');
  });

  const asRoot = process.getuid?.() === 0;
  it.runIf(asRoot)('under sudo it runs as SUDO_USER, with that account\'s config folder, not root\'s', async () => {
    const { accountHome } = await import('../../src/agent/systemd.js');
    const r = await homephone(['--json', 'agent', 'install', '--print'], { env: { SUDO_USER: 'daemon', HOMEPHONE_CONFIG_DIR: undefined } });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { unit: string; runAs: string; configDir: string };
    expect(out.runAs).toBe('daemon');
    expect(out.configDir).toBe(join(accountHome('daemon')!, '.config', 'homephone'));
    expect(out.unit).toMatch(/^User=daemon$/m);
    expect(out.unit).not.toMatch(/^User=root$/m);
    expect(out.unit).toContain(`HOMEPHONE_CONFIG_DIR=${out.configDir}`);
  });

  it.runIf(asRoot)('as root without sudo it refuses (exit 2) unless --run-as names the account', async () => {
    const r = await homephone(['agent', 'install', '--print'], { env: { SUDO_USER: undefined } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('the agent would run as root');
    const named = await homephone(['agent', 'install', '--print', '--run-as', 'root'], { env: { SUDO_USER: undefined } });
    expect(named.exitCode).toBe(0);
    expect(named.stdout).toMatch(/^User=root$/m);
  });

  it.runIf(!asRoot)('as an ordinary user it runs as that user, whatever SUDO_USER says', async () => {
    const { userInfo } = await import('node:os');
    const dir = await household();
    const r = await homephone(['agent', 'install', '--print'], { dir, env: { SUDO_USER: 'daemon' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^User=${userInfo().username}$`, 'm'));
  });
});
