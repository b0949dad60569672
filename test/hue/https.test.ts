// The HTTPS path real bridges use (node-hue-api's createLocal), against the fake bridge on
// 127.0.0.1:443 with a self-signed certificate whose CN is the bridge id. createLocal always reads
// the certificate from port 443, so this needs that port; where it can't be bound the tests are
// skipped with the reason printed. This is the only test file that binds 443.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHueBridge } from '../../src/hue/index.js';
import { homephone, readJson, tempDir } from '../helpers/cli.js';
import { probePort443, startFakeHueBridgeHttps, type FakeBridge } from '../helpers/fake-hue-bridge.js';

/** Why these tests cannot run here, or undefined when they can. */
async function cannotRun(): Promise<string | undefined> {
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) return 'openssl is not installed (it makes the certificate)';
  const port443 = await probePort443();
  return port443.ok ? undefined : port443.reason;
}
const skipReason = await cannotRun();
if (skipReason) console.warn(`skipping the Hue HTTPS tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('Hue over HTTPS on 127.0.0.1:443', () => {
  let fake: FakeBridge | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('pair → list → flash through createLocal, checking the certificate CN against the bridge id', async () => {
    fake = await startFakeHueBridgeHttps({ linkPressed: true });
    const bridge = createNodeHueBridge({ address: '127.0.0.1' });
    expect((await bridge.info()).bridgeId).toBe('001788fffe0a1b2c');
    await bridge.pair('homephone', 'test');
    expect((await bridge.listLights()).map((l) => l.id)).toEqual(['1', '2', '3', '4']);
    expect(await bridge.flash(['3'])).toEqual({ ok: true, lights: ['3'] });
    expect(fake.lightStates()).toEqual([['3', { on: true, alert: 'lselect' }]]);
  });

  it('refuses a bridge whose certificate is not its own', async () => {
    fake = await startFakeHueBridgeHttps({ linkPressed: true, certificateCn: 'someone-else' });
    await expect(createNodeHueBridge({ address: '127.0.0.1' }).pair('homephone', 'test')).rejects.toMatchObject({
      kind: 'certificate',
    });
    expect(fake.users.size).toBe(0);
  });

  it('homephone hue pair --bridge 127.0.0.1 stores the bridge, and hue lights uses it', async () => {
    fake = await startFakeHueBridgeHttps({ linkPressed: true });
    const dir = tempDir();
    const paired = await homephone(['hue', 'pair', '--bridge', '127.0.0.1'], { dir });
    expect(paired.stderr).toBe(`Press the round link button on the Hue bridge "Fake Hue" (127.0.0.1) now.`);
    expect(paired.exitCode).toBe(0);
    const hue = (readJson(join(dir, 'config.json')) as { hue: Record<string, string> }).hue;
    expect(hue).toMatchObject({ bridgeAddress: '127.0.0.1', bridgeId: '001788fffe0a1b2c' });
    expect(fake.users.has(hue.username ?? '')).toBe(true);
    const lights = await homephone(['--json', 'hue', 'lights'], { dir });
    expect(lights.exitCode).toBe(0);
    expect((JSON.parse(lights.stdout) as { lights: unknown[] }).lights).toHaveLength(4);
  });
});
