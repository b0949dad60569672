// The delivery window and entry codes, through the twin.
import { afterEach, describe, expect, it } from 'vitest';
import { hashMonitorCode } from '../../src/household/monitor-code.js';
import { ALEX, SAM, START, callTo, eventsOf, rooms, secondsAt, sms, startBuzzer, type BuzzerHarness } from './harness.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the delivery window (buzzer open-for)', () => {
  it('a buzz inside it opens the door at once, calls nobody and texts the tenants', async () => {
    h = await startBuzzer();
    h.modes.openUntil = new Date(START.getTime() + 30 * 60_000);
    const r = await h.buzz();
    expect(r.calls).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'play')[0]?.data.digits).toBe('ww9');
    expect(secondsAt(r, eventsOf(r, r.callSid, 'play')[0])).toBe(0);
    expect(sms(r).map((m) => m.to).sort()).toEqual([ALEX, SAM]);
    expect(sms(r)[0]?.body).toBe('Front door opened at 14:02 by the delivery window (homephone buzzer open-for).');
  });

  it('once it has passed, a buzz rings the tenants as usual', async () => {
    h = await startBuzzer();
    h.modes.openUntil = new Date(START.getTime() - 1000);
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const r = await h.buzz();
    expect(callTo(r, ALEX)).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'play').some((e) => e.data.digits)).toBe(false);
  });
});

describe('entry codes', () => {
  it('the right code opens the door before anyone is rung', async () => {
    h = await startBuzzer();
    h.modes.entryCodes = [
      { name: 'cleaner', hash: hashMonitorCode('5555') },
      { name: 'courier', hash: hashMonitorCode('4321') },
    ];
    const r = await h.buzz({ press: [{ digits: '4321#', at: 1 }] });
    expect(r.calls).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'play').find((e) => e.data.digits)?.data.digits).toBe('ww9');
    expect(sms(r)[0]?.body).toBe('Front door opened at 14:02 by entry code "courier".');
    // The code itself is never logged.
    expect(JSON.stringify(h.logs)).not.toContain('4321');
  });

  it('three wrong codes, then the tenants are rung', async () => {
    h = await startBuzzer();
    h.modes.entryCodes = [{ name: 'courier', hash: hashMonitorCode('4321') }];
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const r = await h.buzz({ press: [{ digits: '1111#', at: 1 }, { digits: '2222#', at: 3 }, { digits: '3333#', at: 5 }, { digits: '4321#', at: 7 }] });
    expect(eventsOf(r, r.callSid, 'play').some((e) => e.data.digits)).toBe(false);
    expect(eventsOf(r, r.callSid, 'say').filter((e) => String(e.data.text).startsWith('That code is not right.'))).toHaveLength(2);
    expect(new Set(rooms(r).get(`bz-${r.callSid}`))).toEqual(new Set([r.callSid, callTo(r, ALEX)[0]]));
    expect(h.logs.filter((l) => l.event === 'buzz.entry-code-wrong')).toHaveLength(3);
  });

  it('a visitor who types nothing is put through to the tenants after the prompt', async () => {
    h = await startBuzzer();
    h.modes.entryCodes = [{ name: 'courier', hash: hashMonitorCode('4321') }];
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 5 });
    const r = await h.buzz();
    const ringing = eventsOf(r, callTo(r, ALEX)[0], 'ringing')[0];
    expect(secondsAt(r, ringing)).toBeGreaterThan(5);
    expect(secondsAt(r, ringing)).toBeLessThan(15);
    expect(rooms(r).get(`bz-${r.callSid}`)).toContain(r.callSid);
  });
});

describe('modes from the configuration file', () => {
  it('a running agent sees `buzzer open-for` and `buzzer close` without a restart', async () => {
    const { writeFileSync, utimesSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('../helpers/cli.js');
    const { watchModes, parseWindow } = await import('../../src/agent/modes.js');
    const { silentLogger } = await import('../../src/agent/index.js');
    const path = join(tempDir('homephone-modes-'), 'config.json');
    writeFileSync(path, JSON.stringify({ buzzer: { number: '+15551239999' } }));
    const modes = watchModes(path, {}, silentLogger);
    expect(modes().openUntil).toBeUndefined();
    writeFileSync(path, JSON.stringify({ buzzer: { number: '+15551239999', openUntil: '2026-11-21T19:32:00.000Z' } }));
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(modes().openUntil?.toISOString()).toBe('2026-11-21T19:32:00.000Z');
    expect([parseWindow('30m'), parseWindow('2h'), parseWindow('1h30m'), parseWindow('45')]).toEqual([30, 120, 90, 45]);
    expect(() => parseWindow('25h')).toThrow(/1 minute to 24 hours/);
  });
});
