// The node-hue-api adapter against the loopback fake bridge (plain HTTP, createInsecureLocal).
import { afterEach, describe, expect, it } from 'vitest';
import {
  createNodeHueBridge,
  HueLinkButtonError,
  HueTimeoutError,
  HueUnauthorizedError,
  HueUnreachableError,
} from '../../src/hue/index.js';
import { closedPort, startFakeHueBridge, type FakeBridge } from '../helpers/fake-hue-bridge.js';

let fake: FakeBridge | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('the node-hue-api adapter', () => {
  it('reads the bridge id without a user', async () => {
    fake = await startFakeHueBridge();
    const info = await createNodeHueBridge({ address: fake.url }).info();
    expect(info).toEqual({ bridgeId: '001788fffe0a1b2c', name: 'Fake Hue', modelId: 'BSB002', apiVersion: '1.58.0' });
  });

  it('refuses to pair until the link button is pressed, then pairs', async () => {
    fake = await startFakeHueBridge({ linkPressed: false });
    const bridge = createNodeHueBridge({ address: fake.url });
    const refused = await bridge.pair('homephone', 'test').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HueLinkButtonError);
    expect((refused as HueLinkButtonError).hueType).toBe(101);
    fake.linkPressed = true;
    const paired = await bridge.pair('homephone', 'test');
    expect(paired.username).toMatch(/^fakeuser/);
    expect(paired.clientKey).toBe('0123456789ABCDEF0123456789ABCDEF');
  });

  it('pair → list → flash sends {"on":true,"alert":"lselect"} to exactly the chosen lights', async () => {
    fake = await startFakeHueBridge({ linkPressed: true });
    const bridge = createNodeHueBridge({ address: fake.url });
    await bridge.pair('homephone', 'test');
    const lights = await bridge.listLights();
    expect(lights.map((l) => [l.id, l.name, l.type, l.reachable])).toEqual([
      ['1', 'Hall', 'Extended color light', true],
      ['2', 'Kitchen', 'Dimmable light', true],
      ['3', 'Living room', 'Extended color light', true],
      ['4', 'Porch plug', 'On/Off plug-in unit', false],
    ]);
    expect(await bridge.flash(['1', '3'])).toEqual({ ok: true, lights: ['1', '3'] });
    expect(fake.lightStates()).toEqual([
      ['1', { on: true, alert: 'lselect' }],
      ['3', { on: true, alert: 'lselect' }],
    ]);
  });

  it('reuses its connection: a second flash makes only the light calls', async () => {
    fake = await startFakeHueBridge({ users: ['known-user'] });
    const bridge = createNodeHueBridge({ address: fake.url, username: 'known-user' });
    expect((await bridge.flash(['2'], { length: 'short' })).ok).toBe(true);
    const before = fake.calls.length;
    expect((await bridge.flash(['2'], { length: 'short' })).ok).toBe(true);
    expect(fake.calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual([
      'PUT /api/known-user/lights/2/state',
    ]);
    expect(fake.lightStates().at(-1)).toEqual(['2', { on: true, alert: 'select' }]);
  });

  it('flashes every light through group 0, and stops a flash', async () => {
    fake = await startFakeHueBridge({ users: ['known-user'] });
    const bridge = createNodeHueBridge({ address: fake.url, username: 'known-user' });
    expect(await bridge.flash('all')).toEqual({ ok: true, lights: 'all' });
    await bridge.stopFlash(['1']);
    const puts = fake.calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.body]);
    expect(puts).toEqual([
      ['/api/known-user/groups/0/action', { on: true, alert: 'lselect' }],
      ['/api/known-user/lights/1/state', { alert: 'none' }],
    ]);
  });

  it('reports a light that is not on the bridge, and still flashes the others', async () => {
    fake = await startFakeHueBridge({ users: ['known-user'] });
    const bridge = createNodeHueBridge({ address: fake.url, username: 'known-user' });
    const outcome = await bridge.flash(['1', '9']);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.flashed).toEqual(['1']);
    expect(outcome.error.kind).toBe('not-found');
    expect(outcome.error.message).toBe('light 9 is not on this bridge');
  });

  it('an unknown user is a typed unauthorized error (exit 4), from listLights and from flash', async () => {
    fake = await startFakeHueBridge({ users: ['someone-else'] });
    const bridge = createNodeHueBridge({ address: fake.url, username: 'deleted-user' });
    const error = await bridge.listLights().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HueUnauthorizedError);
    expect((error as HueUnauthorizedError).exitCode).toBe(4);
    const outcome = await bridge.flash(['1']);
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'unauthorized', hueType: 1 } });
    expect(fake.lightStates()).toEqual([]);
  });

  it('without a user name, flash fails as unauthorized without a request', async () => {
    fake = await startFakeHueBridge();
    const outcome = await createNodeHueBridge({ address: fake.url }).flash(['1']);
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
    expect(fake.calls).toEqual([]);
  });
});

describe('an unreachable bridge fails fast with a typed error', () => {
  it('connection refused: flash resolves (never rejects) with HueUnreachableError', async () => {
    const address = `http://127.0.0.1:${await closedPort()}`;
    const bridge = createNodeHueBridge({ address, username: 'someone' });
    const outcome = await bridge.flash(['1', '3']);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(HueUnreachableError);
    expect(outcome.error.kind).toBe('unreachable');
    expect(outcome.error.message).toBe(`cannot reach the Hue bridge at ${address}: connection refused`);
    await expect(bridge.listLights()).rejects.toBeInstanceOf(HueUnreachableError);
    await expect(bridge.info()).rejects.toBeInstanceOf(HueUnreachableError);
    await expect(bridge.pair('homephone', 'test')).rejects.toBeInstanceOf(HueUnreachableError);
  });

  it('a bridge that never answers: flash gives up at its deadline with HueTimeoutError', async () => {
    fake = await startFakeHueBridge({ silent: true, users: ['known-user'] });
    const bridge = createNodeHueBridge({ address: fake.url, username: 'known-user', timeoutMs: 200 });
    const outcome = await bridge.flash(['1'], { timeoutMs: 150 });
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(HueTimeoutError);
    expect(outcome.error).toBeInstanceOf(HueUnreachableError);
    await expect(bridge.listLights()).rejects.toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no answer within 200 ms/) });
  });

  it('something that is not a Hue bridge is reported as such', async () => {
    fake = await startFakeHueBridge({ bridgeId: '' });
    await expect(createNodeHueBridge({ address: fake.url }).info()).rejects.toMatchObject({
      kind: 'bridge',
      message: expect.stringMatching(/not like a Hue bridge/),
    });
  });
});
