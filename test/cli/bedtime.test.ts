import { describe, expect, it } from 'vitest';
import { homephone, readJson, tempDir } from '../helpers/cli.js';
import { join } from 'node:path';

async function torontoHousehold() {
  const dir = tempDir();
  await homephone(['config', 'set', 'household.timeZone', 'America/Toronto'], { dir });
  return dir;
}

describe('homephone bedtime', () => {
  it('set stores the windows; show tells whether an instant is bedtime (a window past midnight belongs to its start day)', async () => {
    const dir = await torontoHousehold();
    const set = await homephone(['bedtime', 'set', 'Sun-Thu 20:00-07:00', 'fri-sat 22:00-08:00'], { dir });
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toContain('Sun-Thu 20:00-07:00');
    expect((readJson(join(dir, 'config.json')) as { household: { bedtime: unknown } }).household.bedtime).toEqual([
      { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' },
      { days: ['Fri', 'Sat'], start: '22:00', end: '08:00' },
    ]);
    // Saturday 2026-11-21 07:59 in Toronto (UTC-5): inside Friday's 22:00-08:00 window.
    const saturday = await homephone(['--json', 'bedtime', 'show', '--at', '2026-11-21T12:59:00Z'], { dir });
    expect(JSON.parse(saturday.stdout)).toMatchObject({
      isBedtime: true,
      window: 'Fri,Sat 22:00-08:00',
      local: { day: 'Sat', time: '07:59' },
    });
    // Friday 07:30: Thursday's window ended at 07:00, Friday's starts at 22:00.
    const friday = await homephone(['bedtime', 'show', '--at', '2026-11-20T12:30:00Z'], { dir });
    expect(friday.stdout).toContain('At Fri 07:30 it is not bedtime.');
  });

  it('clear empties the schedule', async () => {
    const dir = await torontoHousehold();
    await homephone(['bedtime', 'set', 'daily 21:00-06:00'], { dir });
    const cleared = await homephone(['bedtime', 'clear'], { dir });
    expect(cleared.exitCode).toBe(0);
    const show = await homephone(['--json', 'bedtime', 'show'], { dir });
    expect(JSON.parse(show.stdout)).toMatchObject({ bedtime: [], isBedtime: false });
  });

  it('a bad window or time is refused with exit 2 and nothing is written', async () => {
    const dir = await torontoHousehold();
    await homephone(['bedtime', 'set', 'Sat 23:00-09:00'], { dir });
    for (const spec of ['Sun-Thu 20:00', 'Funday 20:00-07:00', 'Mon 24:00-07:00', 'Mon 07:00-07:00']) {
      const result = await homephone(['bedtime', 'set', spec], { dir });
      expect(result.exitCode, spec).toBe(2);
      expect(result.stderr, spec).toContain(`invalid bedtime window "${spec}"`);
    }
    expect((readJson(join(dir, 'config.json')) as { household: { bedtime: unknown } }).household.bedtime).toEqual([
      { days: ['Sat'], start: '23:00', end: '09:00' },
    ]);
    const badAt = await homephone(['bedtime', 'show', '--at', 'tomorrow'], { dir });
    expect(badAt.exitCode).toBe(2);
  });
});
