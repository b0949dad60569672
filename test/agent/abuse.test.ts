// Entry codes and the open window can't be abused: wrong codes count across buzzes, a hang-up at
// the code prompt counts, past the limit the tenants are rung instead (and texted once); abandoned
// buzzes are forgotten; a hand-edited delivery window is capped at 24 hours.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashMonitorCode } from '../../src/household/monitor-code.js';
import { createLogger, type LogRecord } from '../../src/agent/index.js';
import { watchModes } from '../../src/agent/modes.js';
import { tempDir } from '../helpers/cli.js';
import { ALEX, SAM, START, callTo, eventsOf, sms, startBuzzer, type BuzzerHarness } from './harness.js';
import type { PhoneScript, ScenarioResult } from '@homephone/twin';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const COURIER = { name: 'courier', hash: hashMonitorCode('4321') };
const LOCK_TEXT = /^Entry codes are off until \d\d:\d\d: 5 wrong codes were tried at the front door\. Buzzes ring you meanwhile\.$/;

const typed = (...codes: string[]): PhoneScript => ({ press: codes.map((digits, i) => ({ digits: `${digits}#`, at: 1 + 2 * i })) });
const prompted = (r: ScenarioResult) => eventsOf(r, r.callSid, 'gather').length > 0;
const doorOpened = (r: ScenarioResult) => eventsOf(r, r.callSid, 'play').some((e) => e.data.digits !== undefined);
const lockTexts = (results: ScenarioResult[]) => results.flatMap(sms).filter((m) => LOCK_TEXT.test(m.body));

async function household(): Promise<BuzzerHarness> {
  const harness = await startBuzzer();
  harness.modes.entryCodes = [COURIER];
  // Busy phones: a buzz that rings the tenants ends at once (missed).
  harness.twin.engine.phones.set(ALEX, { behaviour: 'busy' });
  harness.twin.engine.phones.set(SAM, { behaviour: 'busy' });
  return harness;
}

describe('wrong entry codes across buzzes', () => {
  it('five wrong codes over two buzzes lock codes for a cool-down: the next visitor is not asked, the tenants are rung and texted once', async () => {
    h = await household();
    const first = await h.buzz(typed('1111', '2222', '3333'));
    expect(callTo(first, ALEX)).toHaveLength(1); // three wrong in one buzz: rung, as before
    const second = await h.buzz(typed('4444', '5555'));
    expect(callTo(second, ALEX)).toHaveLength(1);
    const third = await h.buzz(typed('4321'));
    expect(prompted(third)).toBe(false);
    expect(doorOpened(third)).toBe(false);
    expect(callTo(third, ALEX)).toHaveLength(1);
    const fourth = await h.buzz(typed('4321'));
    expect(prompted(fourth)).toBe(false);
    const texts = lockTexts([first, second, third, fourth]);
    expect(texts.map((m) => m.to).sort()).toEqual([ALEX, SAM]);
    expect(h.logs.filter((l) => l.event === 'entry-codes.locked')).toHaveLength(1);
    // After the cool-down, the right code opens the door again.
    await h.twin.engine.advance(16 * 60);
    const later = await h.buzz(typed('4321'));
    expect(doorOpened(later)).toBe(true);
    expect(callTo(later, ALEX)).toHaveLength(0);
  });

  it('wrong codes older than the window no longer count', async () => {
    h = await household();
    await h.buzz(typed('1111', '2222', '3333'));
    await h.twin.engine.advance(11 * 60);
    await h.buzz(typed('4444', '5555'));
    const r = await h.buzz(typed('4321'));
    expect(doorOpened(r)).toBe(true);
  });

  it('a visitor who hangs up at the code prompt has spent a try: five such hang-ups lock codes', async () => {
    h = await household();
    const results: ScenarioResult[] = [];
    for (let i = 0; i < 5; i++) results.push(await h.buzz({ hangupAfter: 2 }));
    expect(results.every(prompted)).toBe(true);
    const sixth = await h.buzz(typed('4321'));
    expect(prompted(sixth)).toBe(false);
    expect(doorOpened(sixth)).toBe(false);
    expect(callTo(sixth, ALEX)).toHaveLength(1);
    expect(lockTexts([...results, sixth])).toHaveLength(2);
  });

  it('a visitor who types nothing and waits for the tenants has spent no try', async () => {
    h = await household();
    for (let i = 0; i < 6; i++) await h.buzz();
    const r = await h.buzz(typed('4321'));
    expect(doorOpened(r)).toBe(true);
    expect(h.logs.some((l) => l.event === 'entry-codes.locked')).toBe(false);
  });
});

describe('abandoned buzzes', () => {
  it('visitors hanging up at the code prompt are forgotten: the agent remembers at most its cap', async () => {
    h = await startBuzzer({ maxBuzzes: 20 });
    h.modes.entryCodes = [COURIER];
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 5; i++) await h.buzz({ hangupAfter: 2 });
      await h.twin.engine.advance(11 * 60); // out of the wrong-code window: every buzz is prompted
    }
    expect(h.agent.buzzes.all().every((b) => b.phase === 'entry')).toBe(true);
    expect(h.agent.buzzes.size).toBeLessThanOrEqual(20);
  });
});

describe('the delivery window as the agent reads it', () => {
  async function withWindow(openUntil: string): Promise<{ logs: LogRecord[] }> {
    const path = join(tempDir('homephone-modes-'), 'config.json');
    writeFileSync(path, JSON.stringify({ buzzer: { openUntil } }));
    const logs: LogRecord[] = [];
    const log = createLogger({ format: 'json', write: () => {}, onRecord: (r) => logs.push(r) });
    h = await startBuzzer({ modes: (twin) => watchModes(path, {}, log, () => twin.clock.now()) });
    h.twin.engine.phones.set(ALEX, { behaviour: 'busy' });
    h.twin.engine.phones.set(SAM, { behaviour: 'busy' });
    return { logs };
  }

  it('a window written a month ahead is cut to 24 hours from when the agent read it', async () => {
    const { logs } = await withWindow(new Date(START.getTime() + 30 * 86_400_000).toISOString());
    expect(doorOpened(await h!.buzz())).toBe(true);
    expect(logs.find((l) => l.event === 'agent.open-window-capped')).toMatchObject({ until: new Date(START.getTime() + 86_400_000).toISOString() });
    await h!.twin.engine.advance(23 * 3600);
    expect(doorOpened(await h!.buzz())).toBe(true);
    await h!.twin.engine.advance(2 * 3600);
    const after = await h!.buzz();
    expect(doorOpened(after)).toBe(false);
    expect(callTo(after, ALEX)).toHaveLength(1);
  });

  it('a configuration file others can write is not read: the door stays shut, the last good modes stay, and it says so', async () => {
    const path = join(tempDir('homephone-modes-'), 'config.json');
    writeFileSync(path, JSON.stringify({ buzzer: {} }), { mode: 0o600 });
    const logs: LogRecord[] = [];
    const log = createLogger({ format: 'json', write: () => {}, onRecord: (r) => logs.push(r) });
    h = await startBuzzer({ modes: (twin) => watchModes(path, {}, log, () => twin.clock.now()) });
    h.twin.engine.phones.set(ALEX, { behaviour: 'busy' });
    h.twin.engine.phones.set(SAM, { behaviour: 'busy' });
    expect(doorOpened(await h.buzz())).toBe(false);
    // Someone else opens the door for an hour, through a file they should not be able to write.
    const { chmodSync, utimesSync } = await import('node:fs');
    writeFileSync(path, JSON.stringify({ buzzer: { openUntil: new Date(START.getTime() + 3600_000).toISOString() } }));
    chmodSync(path, 0o666);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const r = await h.buzz();
    expect(doorOpened(r)).toBe(false);
    expect(callTo(r, ALEX)).toHaveLength(1);
    expect(logs.find((l) => l.event === 'agent.config-unreadable')?.error).toMatch(/can be written by its group and every user/);
  });

  it('a window that is not a UTC timestamp is ignored, and said so', async () => {
    const { logs } = await withWindow('tomorrow');
    const r = await h!.buzz();
    expect(doorOpened(r)).toBe(false);
    expect(logs.some((l) => l.event === 'agent.open-window-invalid')).toBe(true);
  });
});
