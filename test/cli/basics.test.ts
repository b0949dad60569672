import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homephone, homephoneBinary, root, tempDir } from '../helpers/cli.js';

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

// Smoke tests through the real binary: what only a real process shows (its exit status, its
// start-up). Everything else runs in-process through main().
describe('the homephone binary', () => {
  it('prints its version and help, exit 0', async () => {
    const v = await homephoneBinary(['--version']);
    expect(v.exitCode).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const help = await homephoneBinary(['--help']);
    expect(help.exitCode).toBe(0);
    for (const command of ['init', 'config', 'whitelist', 'bedtime']) expect(help.stdout).toContain(command);
  });

  it('exits 2 on an unknown command or option, with a suggestion', async () => {
    const unknown = await homephoneBinary(['whitelst']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'whitelst'/);
    expect(unknown.stderr).toMatch(/Did you mean whitelist\?/);
    const option = await homephone(['whitelist', 'list', '--bogus']);
    expect(option.exitCode).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('with --json, an error is one JSON document on stdout and a one-line message on stderr', async () => {
    const dir = tempDir();
    const result = await homephone(['--json', 'config', 'get', 'nope.key'], { dir });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { message: 'unknown config key "nope.key"', hint: expect.stringContaining('twilio'), exitCode: 2 },
    });
    expect(result.stderr.split('\n')[0]).toBe('error: unknown config key "nope.key"');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it('shows a stack trace only with --debug', async () => {
    const dir = tempDir();
    const result = await homephone(['--debug', 'config', 'get', 'nope.key'], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('colours errors only when colour is allowed: FORCE_COLOR on, NO_COLOR and --no-color off', async () => {
    const dir = tempDir();
    const ansi = /\u001b\[/;
    const forced = await homephone(['config', 'get', 'x'], { dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(ansi);
    const noColor = await homephone(['config', 'get', 'x'], { dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(noColor.stderr).not.toMatch(ansi);
    const flag = await homephone(['--no-color', 'config', 'get', 'x'], { dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(flag.stderr).not.toMatch(ansi);
  });
});

describe('start-up stays light', () => {
  async function loadedModules(args: string[], dir: string): Promise<string[]> {
    const probe = join(dir, 'modules.txt');
    const result = await homephoneBinary(args, {
      dir,
      env: { NODE_OPTIONS: `--require ${join(root, 'test/fixtures/module-probe.cjs')}`, HOMEPHONE_MODULE_PROBE: probe },
    });
    expect(result.exitCode).toBe(0);
    return readFileSync(probe, 'utf8').split('\n');
  }
  const twilioSdk = (m: string) => m.includes('/node_modules/twilio/');

  it('--version, --help and whitelist list never load the twilio SDK', async () => {
    const dir = tempDir();
    for (const args of [['--version'], ['--help'], ['whitelist', 'list']]) {
      expect((await loadedModules(args, dir)).filter(twilioSdk)).toEqual([]);
    }
  });

  it('the probe does see CommonJS packages a command loads (whitelist add loads proper-lockfile)', async () => {
    const dir = tempDir();
    const modules = await loadedModules(['whitelist', 'add', '+15555555555', '--name', 'A'], dir);
    expect(modules.some((m) => m.includes('/node_modules/proper-lockfile/'))).toBe(true);
    const list = await loadedModules(['whitelist', 'list'], dir);
    expect(list.some((m) => m.includes('/node_modules/proper-lockfile/'))).toBe(false);
  });
});
