// The monitor-code lockout's rules (templates/functions/lib/lockout.js) and its conditional
// updates against the twin's Sync API: concurrent wrong codes are all counted, and exactly one of
// them trips the lock (and so texts the owner).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { createTwilioClient, type TwilioClient } from '../../src/twilio/client.js';

const require = createRequire(import.meta.url);
interface LockoutState {
  failures: number;
  lockedUntil: number;
  lockouts: number;
}
/** The CommonJS library as the Functions use it (its JSDoc types are not visible from here). */
interface LockoutLib {
  MAX_FAILURES: number;
  initialState(): LockoutState;
  stateOf(data: unknown): LockoutState;
  isLocked(state: LockoutState, now: number): boolean;
  coolDownMs(n: number): number;
  afterFailure(state: LockoutState, now: number): { state: LockoutState; tripped: boolean };
  read(client: TwilioClient, serviceSid: string): Promise<{ state: LockoutState; revision: string }>;
  update<T>(client: TwilioClient, serviceSid: string, change: (state: LockoutState) => { state: LockoutState; result: T } | null): Promise<{ state: LockoutState; result: T | null }>;
}
const lockout = require('../../templates/functions/lib/lockout.js') as LockoutLib;

const MIN = 60_000;

describe('the lockout rules', () => {
  it('five wrong codes in a row lock for 15 minutes; the lock doubles when it trips again soon, up to a day', () => {
    let s = lockout.initialState();
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 1; i < lockout.MAX_FAILURES; i++) {
      const r = lockout.afterFailure(s, t0);
      expect(r.tripped).toBe(false);
      s = r.state;
    }
    const tripped = lockout.afterFailure(s, t0);
    expect(tripped.tripped).toBe(true);
    expect(tripped.state.lockedUntil - t0).toBe(15 * MIN);
    expect(lockout.isLocked(tripped.state, t0 + 15 * MIN - 1)).toBe(true);
    expect(lockout.isLocked(tripped.state, t0 + 15 * MIN)).toBe(false);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => lockout.coolDownMs(n) / MIN)).toEqual([15, 30, 60, 120, 240, 480, 960, 1440]);
    expect(lockout.coolDownMs(50)).toBe(24 * 60 * MIN);
  });

  it('reads anything stored in the document as numbers or 0, never as a lock that cannot end', () => {
    expect(lockout.stateOf({ failures: '9', lockedUntil: -1, lockouts: null })).toEqual({ failures: 0, lockedUntil: 0, lockouts: 0 });
    expect(lockout.stateOf(undefined)).toEqual(lockout.initialState());
  });
});

describe('conditional updates on Sync', () => {
  let twin: Twin;
  let client: TwilioClient;
  let serviceSid: string;
  beforeAll(async () => {
    twin = await startTwin();
    client = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {});
    serviceSid = (await client.sync.v1.services.create({ friendlyName: 'homephone' })).sid;
  });
  afterAll(async () => {
    await twin.close();
  });

  it('five wrong codes at once are all counted, and exactly one trips the lock', async () => {
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: lockout.MAX_FAILURES }, () =>
        lockout.update(client, serviceSid, (state) => {
          if (lockout.isLocked(state, now)) return null;
          const next = lockout.afterFailure(state, now);
          return { state: next.state, result: next.tripped };
        }),
      ),
    );
    expect(results.filter((r) => r.result === true)).toHaveLength(1);
    expect(results.filter((r) => r.result === false)).toHaveLength(lockout.MAX_FAILURES - 1);
    const { state } = await lockout.read(client, serviceSid);
    expect(lockout.isLocked(state, now)).toBe(true);
    // Writes raced: some had to read again after a 412.
    const conflicts = twin.admin.requests().filter((r) => r.status === 412);
    expect(conflicts.length).toBeGreaterThan(0);
  });
});
