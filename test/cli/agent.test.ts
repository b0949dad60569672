// `homephone agent`, `agent install`, `buzzer …` and `simulate buzz` through the built binary.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { AUTH_TOKEN, bin, homephone, initFlags, readJson, tempDir } from '../helpers/cli.js';
import { join } from 'node:path';
import { startTwin } from '@homephone/twin';

const buzzerFlags = [
  '--buzzer-number', '+15551239999',
  '--enterphone-number', '+15551238888',
  '--tenant', 'Alex=+15551110000',
  '--tenant', 'Sam=+15551110001',
  '--public-url', 'https://buzz.example.org/',
];

async function household(buzzer = true): Promise<string> {
  const dir = tempDir();
  const init = await homephone(['init', ...initFlags, ...(buzzer ? buzzerFlags : ['--no-buzzer'])], { dir });
  expect(init.exitCode).toBe(0);
  return dir;
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
    const twin = await startTwin({ numbers: ['+15551239999'], credentials: { authToken: AUTH_TOKEN, accountSid: 'AC0123456789abcdef0123456789abcdef' } });
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
      expect(await health.json()).toEqual({ status: 'ok', ringing: 0 });
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
    const r = await homephone(['agent', 'install', '--print'], { dir, env: { TWILIO_AUTH_TOKEN: AUTH_TOKEN } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('[Service]');
    expect(r.stdout).toMatch(/^ExecStart=\S+ \S+bin\/homephone agent --log-format json$/m);
    expect(r.stdout).toContain('Restart=always');
    expect(r.stdout).toContain('StandardOutput=journal');
    expect(r.stdout).toContain(`Environment=HOMEPHONE_CONFIG_DIR=${dir}`);
    expect(r.stdout).toContain('WantedBy=multi-user.target');
    expect(r.stdout).not.toContain(AUTH_TOKEN);
    expect(r.stderr).toContain('TWILIO_AUTH_TOKEN is set here but is not copied into the unit');
  });

  it('--user writes a user unit and says how to enable it', async () => {
    const dir = await household();
    const home = tempDir();
    const r = await homephone(['--json', 'agent', 'install', '--user'], { dir, env: { XDG_CONFIG_HOME: home } });
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
