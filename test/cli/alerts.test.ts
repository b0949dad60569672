// `homephone alerts on|off|status|digest` through main(): the setting lives in the configuration,
// bad input exits 2 and changes nothing, --deploy pushes the ALERTS Variable alone (no build)
// to a deployed twin whose Functions then text (or stop texting) the owner, and `alerts digest`
// sends the waiting digest when it is due, as cron would run it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/config/store.js';
import { whitelistPath } from '../../src/config/paths.js';
import { changeWhitelist } from '../../src/config/whitelist-file.js';
import type { HomephoneConfig } from '../../src/config/schema.js';
import { homephone, tempDir } from '../helpers/cli.js';
import { household, householdConfig, HOME, local, OWNER, STRANGER, WHITELIST, type Household } from '../calls/helpers.js';

let h: Household | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function configured(config: HomephoneConfig = householdConfig()): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = tempDir();
  const env: Record<string, string> = { HOMEPHONE_CONFIG_DIR: dir };
  if (h) Object.assign(env, { HOMEPHONE_TWIN_URL: h.twin.url, TWILIO_ACCOUNT_SID: h.twin.credentials.accountSid, TWILIO_AUTH_TOKEN: h.twin.credentials.authToken });
  await ConfigStore.open(env).replace(config);
  await changeWhitelist(whitelistPath(env), () => ({ list: WHITELIST, result: undefined }));
  return { dir, env };
}

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('alerts on | off | status', () => {
  it('is off by default; on stores the defaults; off keeps the settings for the next on', async () => {
    const { dir } = await configured();
    const status = await homephone(['alerts', 'status', '--json'], { dir });
    expect(status.exitCode).toBe(0);
    expect(json(status.stdout)).toEqual({ enabled: false, unknown: 'immediate', missed: true, maxPerDay: 10, digestAt: '20:00' });
    expect((await homephone(['alerts', 'status'], { dir })).stdout).toBe('Alerts are off: no texts to the owner about calls.');

    const on = await homephone(['alerts', 'on', '--unknown', 'digest', '--missed', 'off', '--max-per-day', '5', '--digest-at', '7:30'], { dir });
    expect(on.exitCode, on.stderr).toBe(0);
    expect(on.stdout).toContain('unknown numbers:          gathered into a daily digest, due at 07:30 (America/New_York)');
    expect(on.stdout).toContain('missed whitelisted calls: not texted');
    expect(on.stdout).toContain('at most:                  5 texts a day');
    expect(on.stderr).toContain('homephone alerts on|off --deploy, or homephone deploy');
    expect(ConfigStore.open({ HOMEPHONE_CONFIG_DIR: dir }).read().alerts).toEqual({ enabled: true, unknown: 'digest', missed: false, maxPerDay: 5, digestAt: '07:30' });

    const off = await homephone(['alerts', 'off', '--json'], { dir });
    expect(json(off.stdout)).toEqual({ enabled: false, unknown: 'digest', missed: false, maxPerDay: 5, digestAt: '07:30' });
    // A second on without options brings the same settings back.
    const again = await homephone(['alerts', 'on', '--json'], { dir });
    expect(json(again.stdout)).toEqual({ enabled: true, unknown: 'digest', missed: false, maxPerDay: 5, digestAt: '07:30' });
  });

  it.each([
    [['--max-per-day', '0'], /--max-per-day "0" must be a whole number from 1 to 100/],
    [['--max-per-day', '101'], /from 1 to 100/],
    [['--max-per-day', '2.5'], /from 1 to 100/],
    [['--max-per-day', 'ten'], /from 1 to 100/],
    [['--digest-at', '25:00'], /--digest-at "25:00" is not a time of day/],
    [['--digest-at', 'evening'], /is not a time of day/],
    [['--unknown', 'sometimes'], /argument 'sometimes' is invalid/],
    [['--missed', 'maybe'], /argument 'maybe' is invalid/],
  ])('alerts on %j exits 2 and changes nothing', async (args, message) => {
    const { dir } = await configured({ ...householdConfig(), alerts: { enabled: false, maxPerDay: 7 } });
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const r = await homephone(['alerts', 'on', ...args], { dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
    const asJson = await homephone(['alerts', 'on', ...args, '--json'], { dir });
    expect(asJson.exitCode).toBe(2);
    expect((json(asJson.stdout).error as { exitCode: number }).exitCode).toBe(2);
  });
});

describe('alerts --deploy on a deployed household', () => {
  it('pushes the ALERTS Variable alone (no build); the Functions text from the next call, and stop when it is off', async () => {
    h = await household({ start: '2026-11-20 14:00' });
    const { dir, env } = await configured();
    const texts = () => [...h!.twin.state.messages.values()].filter((m) => m.json.to === OWNER);
    const builds = () => [...h!.twin.state.services.values()].flatMap((s) => [...s.builds.values()]).length;
    const buildsBefore = builds();

    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(texts()).toHaveLength(0);

    const on = await homephone(['alerts', 'on', '--deploy', '--json'], { dir, env });
    expect(on.exitCode, on.stderr).toBe(0);
    expect(json(on.stdout).deploy).toEqual({ changed: true, writes: 1, breakdown: { 'create Variable': 1 } });
    expect(builds()).toBe(buildsBefore);
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(texts()).toHaveLength(1);

    const same = await homephone(['alerts', 'on', '--deploy', '--json'], { dir, env });
    expect(json(same.stdout).deploy).toEqual({ changed: false, writes: 0, breakdown: {} });

    const off = await homephone(['alerts', 'off', '--deploy', '--json'], { dir, env });
    expect(json(off.stdout).deploy).toEqual({ changed: true, writes: 1, breakdown: { 'delete Variable': 1 } });
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(texts()).toHaveLength(1);
    expect(builds()).toBe(buildsBefore);

    // homephone status sees no drift from these pushes.
    const status = await homephone(['status', '--json'], { dir, env });
    expect((json(status.stdout).drift as unknown[]).filter((d) => JSON.stringify(d).includes('ALERTS'))).toEqual([]);
  });

  it('--deploy before any deploy exits 2 and says to deploy first; the setting is kept', async () => {
    const { startTwin } = await import('@homephone/twin');
    const twin = await startTwin({ numbers: [HOME] });
    try {
      const { dir } = await configured();
      const env = { HOMEPHONE_TWIN_URL: twin.url, TWILIO_ACCOUNT_SID: twin.credentials.accountSid, TWILIO_AUTH_TOKEN: twin.credentials.authToken };
      const r = await homephone(['alerts', 'on', '--deploy'], { dir, env });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('homephone has not been deployed to this Twilio account yet');
      expect(ConfigStore.open({ HOMEPHONE_CONFIG_DIR: dir }).read().alerts?.enabled).toBe(true);
    } finally {
      await twin.close();
    }
  });
});

describe('alerts status --live', () => {
  it("reads today's texts against the limit and the waiting digest from Twilio Sync", async () => {
    const config: HomephoneConfig = { ...householdConfig(), alerts: { enabled: true, maxPerDay: 2 } };
    h = await household({ start: '2026-11-20 09:00', config });
    const { dir, env } = await configured(config);
    for (const from of ['+15550001000', '+15550001001', '+15550001002']) await h.call({ to: 'home', from, hangupAfter: 10 });
    const r = await homephone(['alerts', 'status', '--live', '--json'], { dir, env, now: () => local('2026-11-20 12:00') });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(json(r.stdout).live).toEqual({
      date: '2026-11-20',
      sent: 2,
      suppressed: 1,
      maxPerDay: 2,
      digest: { calls: 0, numbers: 0, dueOn: null, at: '20:00' },
      variable: { deployed: '{"unknown":"immediate","missed":true,"maxPerDay":2,"digestAt":"20:00"}', matchesConfig: true },
    });
    const human = await homephone(['alerts', 'status', '--live'], { dir, env, now: () => local('2026-11-21 08:00') });
    expect(human.stdout).toContain('Today (2026-11-21): 0 of 2 texts sent.');
    expect(human.stdout).toContain('Nobody is waiting for the digest.');
    expect(human.stdout).toContain('On Twilio: as configured (the ALERTS Variable).');
    // Changed locally, not pushed: status says so.
    expect((await homephone(['alerts', 'off'], { dir, env })).exitCode).toBe(0);
    const stale = await homephone(['alerts', 'status', '--live'], { dir, env });
    expect(stale.stdout).toContain('On Twilio: a different ALERTS Variable, not what the configuration says: push it with homephone alerts on|off --deploy.');
  });
});

describe('alerts digest (from cron)', () => {
  it('sends nothing before the digest time, the waiting callers after it, and never twice', async () => {
    const config: HomephoneConfig = { ...householdConfig(), alerts: { enabled: true, unknown: 'digest', digestAt: '20:00' } };
    h = await household({ start: '2026-11-20 09:00', config });
    const { dir, env } = await configured(config);
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    const texts = () => [...h!.twin.state.messages.values()].map((m) => m.json).filter((m) => m.to === OWNER);

    const early = await homephone(['alerts', 'digest', '--json'], { dir, env, now: () => local('2026-11-20 19:59') });
    expect(early.exitCode, early.stderr).toBe(0);
    expect(json(early.stdout)).toEqual({ status: 'not-due', calls: 2, numbers: 1, dueOn: '2026-11-20', text: null });
    expect(texts()).toEqual([]);

    const due = await homephone(['alerts', 'digest'], { dir, env, now: () => local('2026-11-20 20:01') });
    expect(due.exitCode, due.stderr).toBe(0);
    expect(due.stdout).toContain("Sent the digest (2 call(s) from 1 number(s)) to the owner's cell:");
    // Cron mail and logs get the numbers masked; the owner's text has them in full.
    expect(due.stdout).toContain('+1••••••9999 x2 (last 09:00)');
    expect(due.stdout).not.toContain(STRANGER);
    expect(texts()).toHaveLength(1);
    expect(texts()[0]!.from).toBe(HOME);
    expect(texts()[0]!.body).toBe(`homephone digest: 2 calls from 1 number not on the whitelist, turned away:\n${STRANGER} x2 (last 09:00)`);

    const twice = await homephone(['alerts', 'digest', '--json'], { dir, env, now: () => local('2026-11-20 20:02') });
    expect(json(twice.stdout)).toMatchObject({ status: 'empty', calls: 0 });
    expect(texts()).toHaveLength(1);
  });

  it('--force sends what waits before the digest time', async () => {
    const config: HomephoneConfig = { ...householdConfig(), alerts: { enabled: true, unknown: 'digest' } };
    h = await household({ start: '2026-11-20 09:00', config });
    const { dir, env } = await configured(config);
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    const r = await homephone(['alerts', 'digest', '--force', '--show-numbers', '--json'], { dir, env, now: () => local('2026-11-20 10:00') });
    expect(json(r.stdout)).toMatchObject({ status: 'sent', calls: 1, numbers: 1, text: expect.stringContaining(`${STRANGER} (last 09:00)`) });
    expect([...h.twin.state.messages.values()].filter((m) => m.json.to === OWNER)).toHaveLength(1);
  });
});
