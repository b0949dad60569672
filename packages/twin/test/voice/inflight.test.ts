// The quiet window before virtual time moves on: a few event-loop turns with nothing in flight,
// plus, for collaborators in other processes (quietMs), a wall-clock window that is waited only
// when some work began or ended since the last quiet moment. The wall clock is faked: nothing waits
// for real.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Inflight } from '../../src/voice/inflight.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); // the event loop's turns stay real
});
afterEach(() => {
  vi.useRealTimers();
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Moves the fake clock by `ms`, then lets the event loop turn enough for what is due to run. */
async function elapse(ms: number): Promise<void> {
  for (let i = 0; i < 10; i++) await turn();
  await vi.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 10; i++) await turn();
}

/** Whether quiet() resolves within `ms` of (fake) wall-clock time. */
async function quietWithin(inflight: Inflight, ms: number): Promise<boolean> {
  let done = false;
  void inflight.quiet().then(() => (done = true));
  await elapse(ms);
  return done;
}

describe('Inflight.quiet', () => {
  it('waits the wall-clock window after work, and not again while nothing happens', async () => {
    const inflight = new Inflight(2, 300);
    inflight.begin()();
    let done = false;
    void inflight.quiet().then(() => (done = true));
    await elapse(299);
    expect(done).toBe(false);
    await elapse(1);
    expect(done).toBe(true);
    // Nothing began or ended since: the next instants cost no wall-clock time.
    expect(await quietWithin(inflight, 0)).toBe(true);
    expect(await quietWithin(inflight, 0)).toBe(true);
    // A webhook answered (work begun and ended): the window again.
    await inflight.track(Promise.resolve());
    expect(await quietWithin(inflight, 300)).toBe(true);
    inflight.begin()();
    expect(await quietWithin(inflight, 0)).toBe(false);
  });

  it('starts the window again when a request arrives during it, and waits for open work', async () => {
    const inflight = new Inflight(2, 300);
    let done = false;
    void inflight.quiet().then(() => (done = true));
    await elapse(200);
    const end = inflight.begin(); // the other process's REST call arrives 200 ms in
    await elapse(500);
    expect(done).toBe(false); // still open
    end();
    await elapse(299);
    expect(done).toBe(false);
    await elapse(1);
    expect(done).toBe(true);
  });

  it('in-process (no window) only lets the event loop turn', async () => {
    const inflight = new Inflight(3, 0);
    inflight.begin()();
    expect(await quietWithin(inflight, 0)).toBe(true);
  });
});
