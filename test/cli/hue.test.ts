// `homephone hue …` in-process through main(), against the loopback fake bridge (plain HTTP).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { homephone, homephoneBinary, readJson, root, tempDir } from '../helpers/cli.js';
import { closedPort, startFakeHueBridge, type FakeBridge } from '../helpers/fake-hue-bridge.js';

let fake: FakeBridge | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A config folder paired with a fresh fake bridge. */
async function paired(): Promise<{ dir: string; bridge: FakeBridge }> {
  const bridge = await startFakeHueBridge({ linkPressed: true });
  fake = bridge;
  const dir = tempDir();
  const result = await homephone(['hue', 'pair', '--bridge', bridge.url], { dir });
  expect(result.exitCode).toBe(0);
  return { dir, bridge };
}

describe('homephone hue pair', () => {
  it('with the button already pressed, stores the bridge and the user name, which config show masks', async () => {
    fake = await startFakeHueBridge({ linkPressed: true });
    const dir = tempDir();
    const result = await homephone(['hue', 'pair', '--bridge', fake.url], { dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Paired with the Hue bridge "Fake Hue" (001788fffe0a1b2c) at ${fake.url}.`);
    expect(result.stderr).toContain('Press the round link button on the Hue bridge');
    const username = [...fake.users][0]!;
    const stored = readJson(join(dir, 'config.json')) as { hue: Record<string, unknown> };
    expect(stored.hue).toEqual({ bridgeAddress: fake.url, bridgeId: '001788fffe0a1b2c', username });
    expect(result.stdout + result.stderr).not.toContain(username);

    const show = await homephone(['config', 'show'], { dir });
    expect(show.stdout).toContain('hue.username = ********');
    expect(show.stdout).not.toContain(username);
    const json = await homephone(['--json', 'config', 'show'], { dir });
    expect((JSON.parse(json.stdout) as { hue: { username: string } }).hue.username).toBe('********');
  });

  it('--json prints one document without the user name (and no library warning on stdout)', async () => {
    fake = await startFakeHueBridge({ linkPressed: true });
    const result = await homephone(['--json', 'hue', 'pair', '--bridge', fake.url], { dir: tempDir() });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      paired: true,
      bridgeAddress: fake.url,
      bridgeId: '001788fffe0a1b2c',
      name: 'Fake Hue',
    });
  });

  it('waits while the button is not pressed, counting down on stderr, and pairs once it is', async () => {
    fake = await startFakeHueBridge({ pressAfter: 1 });
    const dir = tempDir();
    const result = await homephone(['hue', 'pair', '--bridge', fake.url, '--timeout', '5'], { dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('Waiting for the link button… 5 s left');
    expect(fake.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('gives up after --timeout when nobody presses the button: exit 1 and a hint about the link button', async () => {
    fake = await startFakeHueBridge({ linkPressed: false });
    const dir = tempDir();
    const result = await homephone(['hue', 'pair', '--bridge', fake.url, '--timeout', '1'], { dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('error: the link button on the Hue bridge was not pressed within 1 s');
    expect(result.stderr).toMatch(/hint: press the round link button on top of the bridge/);
    expect(fake.users.size).toBe(0);
    expect(() => readFileSync(join(dir, 'config.json'), 'utf8')).toThrow();
  });

  it('an unreachable bridge exits 1 at once with a clear message', async () => {
    const address = `http://127.0.0.1:${await closedPort()}`;
    const result = await homephone(['hue', 'pair', '--bridge', address], { dir: tempDir() });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`error: cannot reach the Hue bridge at ${address}: connection refused`);
    expect(result.stderr).toMatch(/hint: check that the bridge is powered and on this network/);
    expect(result.stderr).not.toContain('Waiting for the link button');
  });

  it('a bad address or timeout is bad input (exit 2)', async () => {
    const address = await homephone(['hue', 'pair', '--bridge', 'ftp://10.0.0.1'], { dir: tempDir() });
    expect(address.exitCode).toBe(2);
    expect(address.stderr).toContain('"ftp://10.0.0.1" is not a bridge address');
    const timeout = await homephone(['hue', 'pair', '--bridge', '10.0.0.1', '--timeout', 'soon'], { dir: tempDir() });
    expect(timeout.exitCode).toBe(2);
    expect(timeout.stderr).toContain('--timeout must be a positive number of seconds');
  });
});

describe('homephone hue lights | use | flash', () => {
  it('lights --json lists the lights, all of them flashing by default', async () => {
    const { dir } = await paired();
    const result = await homephone(['--json', 'hue', 'lights'], { dir });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout) as { buzzerLights: unknown; lights: Record<string, unknown>[] };
    expect(doc.buzzerLights).toBe('all');
    expect(doc.lights).toEqual([
      { id: '1', name: 'Hall', type: 'Extended color light', reachable: true, on: false, buzzer: true },
      { id: '2', name: 'Kitchen', type: 'Dimmable light', reachable: true, on: true, buzzer: true },
      { id: '3', name: 'Living room', type: 'Extended color light', reachable: true, on: false, buzzer: true },
      { id: '4', name: 'Porch plug', type: 'On/Off plug-in unit', reachable: false, on: false, buzzer: true },
    ]);
  });

  it('use 1,3 stores the buzzer lights; lights marks them; flash without --lights flashes them', async () => {
    const { dir, bridge } = await paired();
    const use = await homephone(['hue', 'use', '1,3'], { dir });
    expect(use.exitCode).toBe(0);
    expect(use.stdout).toBe('The buzzer will flash lights 1 (Hall), 3 (Living room).');
    expect((readJson(join(dir, 'config.json')) as { hue: { lights: string[] } }).hue.lights).toEqual(['1', '3']);

    const table = await homephone(['hue', 'lights'], { dir });
    expect(table.stdout.split('\n').filter((line) => line.trimEnd().endsWith('*')).map((l) => l.split(/\s+/)[0])).toEqual([
      '1',
      '3',
    ]);

    const flash = await homephone(['hue', 'flash'], { dir });
    expect(flash.exitCode).toBe(0);
    expect(bridge.lightStates()).toEqual([
      ['1', { on: true, alert: 'lselect' }],
      ['3', { on: true, alert: 'lselect' }],
    ]);

    const all = await homephone(['hue', 'use', 'all'], { dir });
    expect(all.stdout).toBe('Every light will flash when the buzzer rings.');
    expect((readJson(join(dir, 'config.json')) as { hue: Record<string, unknown> }).hue.lights).toBeUndefined();
  });

  it('use refuses a light the bridge does not have (exit 2, nothing stored)', async () => {
    const { dir } = await paired();
    const result = await homephone(['hue', 'use', '1,7'], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error: no light 7 on this bridge');
    expect(result.stderr).toContain('hint: the bridge has lights 1, 2, 3, 4');
    expect((readJson(join(dir, 'config.json')) as { hue: Record<string, unknown> }).hue.lights).toBeUndefined();
  });

  it('flash --lights 1,3 hits exactly those lights on the bridge', async () => {
    const { dir, bridge } = await paired();
    const result = await homephone(['hue', 'flash', '--lights', '1,3'], { dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('Flashed lights 1, 3 (they breathe for about 15 s).');
    expect(bridge.lightStates()).toEqual([
      ['1', { on: true, alert: 'lselect' }],
      ['3', { on: true, alert: 'lselect' }],
    ]);
    expect(bridge.calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
  });

  it('flash with no choice stored flashes every light through group 0', async () => {
    const { dir, bridge } = await paired();
    const result = await homephone(['--json', 'hue', 'flash', '--short'], { dir });
    expect(JSON.parse(result.stdout)).toEqual({ flashed: 'all', length: 'short' });
    expect(bridge.calls.filter((c) => c.method === 'PUT').map((c) => [c.path.split('/').slice(3).join('/'), c.body])).toEqual([
      ['groups/0/action', { on: true, alert: 'select' }],
    ]);
  });

  it('an unreachable bridge: lights and flash exit 1 with a clear message', async () => {
    const { dir } = await paired();
    // The paired bridge moves to an address where nothing listens. (Closing the fake bridge instead
    // would race with this process's keep-alive sockets to it, which a fresh process never has.)
    const url = `http://127.0.0.1:${await closedPort()}`;
    const stored = readJson(join(dir, 'config.json')) as { hue: Record<string, unknown> };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...stored, hue: { ...stored.hue, bridgeAddress: url } }));
    for (const args of [['hue', 'lights'], ['hue', 'flash', '--lights', '1']]) {
      const result = await homephone(args, { dir });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`error: cannot reach the Hue bridge at ${url}: connection refused`);
    }
  });

  it('a user name the bridge forgot exits 4 and says to pair again', async () => {
    const { dir, bridge } = await paired();
    bridge.users.clear();
    const result = await homephone(['hue', 'flash', '--lights', '1'], { dir });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('error: the Hue bridge does not know this user (unauthorized user)');
    expect(result.stderr).toContain('hint: pair again: homephone hue pair');
  });

  it('before pairing, lights/use/flash exit 4 naming hue pair', async () => {
    const dir = tempDir();
    for (const args of [['hue', 'lights'], ['hue', 'use', '1'], ['hue', 'flash']]) {
      const result = await homephone(args, { dir });
      expect(result.exitCode).toBe(4);
      expect(result.stderr).toContain('error: no Hue bridge is paired yet');
      expect(result.stderr).toContain('hint: pair one: homephone hue pair');
    }
  });

  it('bad light ids are bad input (exit 2)', async () => {
    const result = await homephone(['hue', 'flash', '--lights', '1,kitchen'], { dir: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--lights takes light ids like 1,3 (or all), not "kitchen"');
  });
});

describe('start-up stays light', () => {
  it('--version, --help and whitelist list never load node-hue-api or the mDNS library', async () => {
    const dir = tempDir();
    for (const args of [['--version'], ['--help'], ['whitelist', 'list'], ['hue', '--help']]) {
      const probe = join(dir, 'modules.txt');
      const result = await homephoneBinary(args, {
        dir,
        env: { NODE_OPTIONS: `--require ${join(root, 'test/fixtures/module-probe.cjs')}`, HOMEPHONE_MODULE_PROBE: probe },
      });
      expect(result.exitCode).toBe(0);
      const modules = readFileSync(probe, 'utf8').split('\n');
      expect(modules.filter((m) => /\/node_modules\/(node-hue-api|bonjour-service|multicast-dns)\//.test(m))).toEqual([]);
    }
  });

  it('the probe does see node-hue-api when a hue command runs', async () => {
    const { dir } = await paired();
    const probe = join(dir, 'modules.txt');
    await homephoneBinary(['hue', 'lights'], {
      dir,
      env: { NODE_OPTIONS: `--require ${join(root, 'test/fixtures/module-probe.cjs')}`, HOMEPHONE_MODULE_PROBE: probe },
    });
    expect(readFileSync(probe, 'utf8')).toContain('/node_modules/node-hue-api/');
  });
});
