import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyMonitorCode } from '../../src/household/monitor-code.js';
import { ACCOUNT_SID, AUTH_TOKEN, fileMode, homephone, initFlags, readJson, tempDir, writeFile } from '../helpers/cli.js';

interface Config {
  twilio: Record<string, string>;
  household: Record<string, unknown> & { monitorCodeHash: string };
  buzzer?: Record<string, unknown>;
}
const configOf = (dir: string) => readJson(join(dir, 'config.json')) as Config;

const buzzerFlags = [
  '--buzzer-number', '+15551239999',
  '--enterphone-number', '555-123-8888',
  '--tenant', 'Alex=+15551110000',
  '--tenant', 'Sam=(555) 111-0001',
  '--public-url', 'https://buzz.example.org/hook',
];

describe('homephone init (non-interactive)', () => {
  it('writes a valid, normalised config with mode 0600 and only a hash of the monitor code', async () => {
    const dir = tempDir();
    const result = await homephone(['init', ...initFlags, '--bedtime', 'Sun-Thu 20:00-07:00', ...buzzerFlags], { dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(fileMode(join(dir, 'config.json'))).toBe(0o600);
    const config = configOf(dir);
    expect(config.twilio).toEqual({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    expect(config.household).toMatchObject({
      defaultCountry: 'US',
      homeNumber: '+15551230000',
      ownerCell: '+15551230001',
      timeZone: 'America/New_York',
      sipDomain: 'myhome.sip.twilio.com',
      sipUsername: 'homephone',
      bedtime: [{ days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' }],
    });
    // The country's emergency numbers come from the country: nothing extra is stored.
    expect(config.household.emergencyNumbers).toBeUndefined();
    expect(result.stdout).toContain('Emergency numbers, always connected directly: 112, 911');
    expect(config.buzzer).toEqual({
      number: '+15551239999',
      enterphoneNumber: '+15551238888',
      tenants: [
        { name: 'Alex', number: '+15551110000' },
        { name: 'Sam', number: '+15551110001' },
      ],
      doorDigits: '9',
      publicUrl: 'https://buzz.example.org/hook',
      ringTimeout: 30,
    });
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(text).not.toContain('2468');
    expect(verifyMonitorCode('2468', config.household.monitorCodeHash)).toBe(true);
    expect(verifyMonitorCode('2469', config.household.monitorCodeHash)).toBe(false);
  });

  it('prints no secret in --json', async () => {
    const dir = tempDir();
    const result = await homephone(['--json', 'init', ...initFlags, '--api-key', `SK${'1'.repeat(32)}`, '--api-secret', 'apisecretvalue123'], { dir });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout) as { configPath: string };
    expect(doc.configPath).toBe(join(dir, 'config.json'));
    for (const secret of [AUTH_TOKEN, 'apisecretvalue123', configOf(dir).household.monitorCodeHash]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  });

  it('names the missing flag and exits 2, writing nothing', async () => {
    const cases: [string, RegExp][] = [
      ['--home-number', /missing --home-number/],
      ['--time-zone', /missing --time-zone/],
      ['--monitor-code', /missing --monitor-code/],
      ['--auth-token', /missing --auth-token[\s\S]*--api-key with --api-secret/],
    ];
    for (const [flag, message] of cases) {
      const dir = tempDir();
      const i = initFlags.indexOf(flag);
      const flags = [...initFlags.slice(0, i), ...initFlags.slice(i + 2)];
      const result = await homephone(['init', ...flags], { dir });
      expect(result.exitCode, flag).toBe(2);
      expect(result.stderr, flag).toMatch(message);
      expect(() => readFileSync(join(dir, 'config.json'))).toThrow();
    }
  });

  it('names the flag of an invalid answer', async () => {
    const bad: [string, string, RegExp][] = [
      ['--home-number', 'call me', /invalid --home-number/],
      ['--time-zone', 'Europe/Atlantis', /invalid --time-zone/],
      ['--sip-domain', 'home.example.com', /invalid --sip-domain/],
      ['--monitor-code', '12', /invalid --monitor-code: the monitor code is 4 to 8 digits/],
      ['--country', 'XX', /invalid --country/],
      ['--emergency-numbers', '9-1-1', /invalid --emergency-numbers/],
    ];
    for (const [flag, value, message] of bad) {
      const dir = tempDir();
      const result = await homephone(['init', ...initFlags, flag, value], { dir });
      expect(result.exitCode, flag).toBe(2);
      expect(result.stderr, flag).toMatch(message);
    }
    const dir = tempDir();
    const tenant = await homephone(['init', ...initFlags, ...buzzerFlags, '--tenant', 'nobody'], { dir });
    expect(tenant.exitCode).toBe(2);
    expect(tenant.stderr).toMatch(/invalid --tenant "nobody"/);
    const bedtime = await homephone(['init', ...initFlags, '--bedtime', 'Someday 25:00-07:00'], { dir });
    expect(bedtime.exitCode).toBe(2);
    expect(bedtime.stderr).toMatch(/invalid --bedtime/);
  });

  it('a buzzer needs its tenants', async () => {
    const dir = tempDir();
    const flags = buzzerFlags.filter((f, i) => f !== '--tenant' && buzzerFlags[i - 1] !== '--tenant');
    const result = await homephone(['init', ...initFlags, ...flags], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/missing --tenant/);
  });

  it('re-running keeps what is not changed, including the monitor code and other sections', async () => {
    const dir = tempDir();
    await homephone(['init', ...initFlags, ...buzzerFlags, '--bedtime', 'Fri-Sat 22:00-08:00'], { dir });
    await homephone(['config', 'set', 'hue.lights', '["1","3"]'], { dir });
    const before = configOf(dir);
    const again = await homephone(['init', '--yes', '--owner-cell', '+15551230042'], { dir });
    expect(again.exitCode, again.stderr).toBe(0);
    const after = configOf(dir);
    expect(after).toEqual({ ...before, household: { ...before.household, ownerCell: '+15551230042' } });
    const noBuzzer = await homephone(['init', '--yes', '--no-buzzer', '--no-bedtime'], { dir });
    expect(noBuzzer.exitCode).toBe(0);
    expect(configOf(dir).buzzer).toBeUndefined();
    expect(configOf(dir).household.bedtime).toEqual([]);
  });

  it('reads answers from --from-file; flags win over the file; unknown keys are refused', async () => {
    const dir = tempDir();
    const answers = writeFile(
      dir,
      'answers.json',
      JSON.stringify({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        country: 'GB',
        homeNumber: '020 7946 0000',
        ownerCell: '07700 900123',
        timeZone: 'Europe/London',
        sipDomain: 'flat.sip.twilio.com',
        monitorCode: '13579',
        bedtime: ['daily 21:00-07:00'],
        tenants: [{ name: 'Kim', number: '07700 900456' }],
        buzzerNumber: '+442079460001',
        enterphoneNumber: '+442079460002',
        publicUrl: 'https://door.example.org',
      }),
    );
    const result = await homephone(['init', '--yes', '--from-file', answers, '--time-zone', 'Europe/Dublin'], { dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const config = configOf(dir);
    expect(config.household).toMatchObject({
      homeNumber: '+442079460000',
      ownerCell: '+447700900123',
      timeZone: 'Europe/Dublin',
    });
    expect(result.stdout).toContain('Emergency numbers, always connected directly: 112, 911, 999');
    expect(config.buzzer?.tenants).toEqual([{ name: 'Kim', number: '+447700900456' }]);
    const wrong = writeFile(dir, 'wrong.json', JSON.stringify({ homeNumbr: '+15551230000' }));
    const refused = await homephone(['init', '--yes', '--from-file', wrong], { dir: tempDir() });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/unknown answer\(s\): homeNumbr/);
  });

  it('credentials from TWILIO_* env vars are not required as flags and not written', async () => {
    const dir = tempDir();
    const flags = initFlags.filter((f, i) => ![f, initFlags[i - 1]].some((x) => x === '--account-sid' || x === '--auth-token'));
    const result = await homephone(['init', ...flags], {
      dir,
      env: { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(configOf(dir).twilio).toEqual({});
  });
});
