// The wait-for-the-link-button loop, driven by a fake clock: no wall-clock sleeps.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createNodeHueBridge,
  HueLinkButtonError,
  HuePairingTimeoutError,
  HueUnreachableError,
  pairWithBridge,
  waitForLinkButton,
  type Clock,
} from '../../src/hue/index.js';
import { startFakeHueBridge, type FakeBridge } from '../helpers/fake-hue-bridge.js';

/** A clock whose sleep advances time at once and records each pause. */
function fakeClock(start = 1_000_000): Clock & { slept: number[]; elapsed(): number } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    elapsed: () => now - start,
  };
}

describe('waitForLinkButton', () => {
  it('retries error 101 and succeeds once the button is pressed (after 2 refusals), counting down', async () => {
    const clock = fakeClock();
    const ticks: number[] = [];
    let attempts = 0;
    const result = await waitForLinkButton(
      async () => {
        attempts += 1;
        if (attempts <= 2) throw new HueLinkButtonError();
        return 'paired';
      },
      { timeoutMs: 60_000, clock, onTick: (s) => ticks.push(s) },
    );
    expect(result).toBe('paired');
    expect(attempts).toBe(3);
    expect(ticks).toEqual([60, 59]);
    expect(clock.slept).toEqual([1000, 1000]);
  });

  it('gives up at the deadline with a pairing-timeout error (one last try at the deadline)', async () => {
    const clock = fakeClock();
    const ticks: number[] = [];
    let attempts = 0;
    const error = await waitForLinkButton(
      async () => {
        attempts += 1;
        throw new HueLinkButtonError();
      },
      { timeoutMs: 5000, intervalMs: 2000, clock, onTick: (s) => ticks.push(s) },
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HuePairingTimeoutError);
    expect((error as HuePairingTimeoutError).kind).toBe('pairing-timeout');
    expect((error as Error).message).toBe('the link button on the Hue bridge was not pressed within 5 s');
    expect((error as HuePairingTimeoutError).hint).toMatch(/press the round link button/);
    expect(clock.elapsed()).toBe(5000);
    expect(clock.slept).toEqual([2000, 2000, 1000]);
    expect(ticks).toEqual([5, 3, 1]);
    expect(attempts).toBe(4);
  });

  it('does not retry other errors: an unreachable bridge ends the wait at once', async () => {
    const clock = fakeClock();
    let attempts = 0;
    const error = await waitForLinkButton(
      async () => {
        attempts += 1;
        throw new HueUnreachableError('192.0.2.9', 'connection refused');
      },
      { clock },
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HueUnreachableError);
    expect(attempts).toBe(1);
    expect(clock.slept).toEqual([]);
  });
});

describe('pairWithBridge against the fake bridge', () => {
  let fake: FakeBridge | undefined;
  afterEach(async () => fake?.close());

  it('pairs after the button is pressed on the third request', async () => {
    fake = await startFakeHueBridge({ pressAfter: 2 });
    const clock = fakeClock();
    const ticks: number[] = [];
    const bridge = createNodeHueBridge({ address: fake.url });
    const paired = await pairWithBridge(bridge, 'homephone', 'test', { clock, onTick: (s) => ticks.push(s) });
    expect(fake.users.has(paired.username)).toBe(true);
    expect(ticks).toEqual([60, 59]);
    const posts = fake.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(posts[0]?.body).toEqual({ devicetype: 'homephone#test', generateclientkey: true });
  });

  it('times out when nobody presses the button', async () => {
    fake = await startFakeHueBridge({ linkPressed: false });
    const clock = fakeClock();
    const bridge = createNodeHueBridge({ address: fake.url });
    await expect(pairWithBridge(bridge, 'homephone', 'test', { clock, timeoutMs: 3000 })).rejects.toBeInstanceOf(
      HuePairingTimeoutError,
    );
    expect(fake.calls.filter((c) => c.method === 'POST')).toHaveLength(4);
    expect(fake.users.size).toBe(0);
  });
});
