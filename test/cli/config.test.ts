import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_TOKEN, fileMode, homephone, initFlags, readJson, tempDir } from '../helpers/cli.js';

describe('homephone config', () => {
  it('path names the folder from HOMEPHONE_CONFIG_DIR', async () => {
    const dir = tempDir();
    const result = await homephone(['--json', 'config', 'path'], { dir });
    expect(JSON.parse(result.stdout)).toEqual({ config: join(dir, 'config.json'), whitelist: join(dir, 'whitelist.json') });
  });

  it('set validates and normalises, get reads back, unset removes; the file is mode 0600', async () => {
    const dir = tempDir();
    expect((await homephone(['config', 'set', 'household.defaultCountry', 'ca'], { dir })).exitCode).toBe(0);
    expect((await homephone(['config', 'set', 'household.ownerCell', '(416) 555-0100'], { dir })).exitCode).toBe(0);
    expect((await homephone(['config', 'set', 'household.emergencyNumbers', '911, 112'], { dir })).exitCode).toBe(0);
    expect((await homephone(['config', 'set', 'buzzer.ringTimeout', '25'], { dir })).exitCode).toBe(0);
    expect(readJson(join(dir, 'config.json'))).toEqual({
      household: { defaultCountry: 'CA', ownerCell: '+14165550100', emergencyNumbers: ['911', '112'] },
      buzzer: { ringTimeout: 25 },
    });
    expect(fileMode(join(dir, 'config.json'))).toBe(0o600);
    const got = await homephone(['config', 'get', 'household.ownerCell'], { dir });
    expect(got.stdout.trim()).toBe('+14165550100');
    expect((await homephone(['config', 'unset', 'buzzer.ringTimeout'], { dir })).exitCode).toBe(0);
    expect((readJson(join(dir, 'config.json')) as { buzzer: object }).buzzer).toEqual({});
  });

  it('set rejects bad values with the reason, exit 2, and leaves the file as it was', async () => {
    const dir = tempDir();
    await homephone(['config', 'set', 'household.timeZone', 'America/Toronto'], { dir });
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const cases: [string, string, RegExp][] = [
      ['household.timeZone', 'Mars/Olympus', /not an IANA time zone/],
      ['household.homeNumber', '12', /not a valid phone number/],
      ['buzzer.publicUrl', 'http://example.org', /must be an https:\/\/ URL/],
      ['buzzer.ringTimeout', 'soon', /whole number from 5 to 120/],
      ['household.sipDomain', 'my.example.com', /must end in sip\.twilio\.com/],
      ['hue.lights', '["one"]', /must match pattern/],
      ['household.voicemail', 'maybe', /expected boolean/],
      ['household.nope', 'x', /unknown config key/],
    ];
    for (const [key, value, reason] of cases) {
      const result = await homephone(['config', 'set', key, value], { dir });
      expect(result.exitCode, `${key}=${value}`).toBe(2);
      expect(result.stderr, `${key}=${value}`).toMatch(reason);
    }
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('show and get mask secrets unless --show-secrets', async () => {
    const dir = tempDir();
    expect((await homephone(['init', ...initFlags], { dir })).exitCode).toBe(0);
    const shown = await homephone(['--json', 'config', 'show'], { dir });
    expect(shown.stdout).not.toContain(AUTH_TOKEN);
    const config = JSON.parse(shown.stdout) as { twilio: { authToken: string }; household: { monitorCodeHash: string } };
    expect(config.twilio.authToken).toBe('********');
    expect(config.household.monitorCodeHash).toBe('********');
    expect((await homephone(['config', 'show'], { dir })).stdout).not.toContain(AUTH_TOKEN);
    expect((await homephone(['--json', 'config', 'get', 'twilio'], { dir })).stdout).not.toContain(AUTH_TOKEN);
    expect((await homephone(['config', 'get', 'twilio.authToken'], { dir })).stdout.trim()).toBe('********');
    const clear = await homephone(['config', 'get', 'twilio.authToken', '--show-secrets'], { dir });
    expect(clear.stdout.trim()).toBe(AUTH_TOKEN);
    expect((await homephone(['--json', 'config', 'show', '--show-secrets'], { dir })).stdout).toContain(AUTH_TOKEN);
  });

  it('a corrupt config file is reported with its position and never overwritten', async () => {
    const dir = tempDir();
    const path = join(dir, 'config.json');
    const corrupt = '{\n  "household": {\n    "timeZone": "America/Toronto",\n  }\n}\n';
    writeFileSync(path, corrupt);
    for (const args of [['config', 'show'], ['config', 'set', 'household.defaultCountry', 'US'], ['init', ...initFlags]]) {
      const result = await homephone(args, { dir });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(path);
      expect(result.stderr).toMatch(/line 4, column 3/);
    }
    expect(readFileSync(path, 'utf8')).toBe(corrupt);
  });

  it('a config that breaks the schema names the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ household: { homeNumber: '555' } }));
    const result = await homephone(['config', 'show'], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/household\/homeNumber/);
  });

  it('deploy state cannot be set by hand', async () => {
    const result = await homephone(['config', 'set', 'deploy.buildSid', 'ZB1'], { dir: tempDir() });
    expect(result.exitCode).toBe(2);
  });
});
