// bedtime set | show | clear.
import type { Action } from '../define.js';
import { InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import { parseAt } from '../time.js';
import { bedtimeWindowAt, formatBedtimeWindow, localWallClock, parseBedtimeSpec } from '../../household/bedtime.js';

export const set: Action = async (ctx, [specs]) => {
  const windows = (specs as string[]).map((spec) => {
    try {
      return parseBedtimeSpec(spec);
    } catch (err) {
      throw new InputError(`invalid bedtime window "${spec}": ${(err as Error).message}`, {
        hint: 'write windows like "Sun-Thu 20:00-07:00" (days, then start-end in 24-hour time)',
      });
    }
  });
  const store = ConfigStore.open(ctx.env);
  await store.update((config) => ({ ...config, household: { ...config.household, bedtime: windows } }));
  const zone = store.read().household?.timeZone;
  ctx.result(
    [`Bedtime set${zone ? ` (${zone})` : ''}:`, ...windows.map((w) => `  ${formatBedtimeWindow(w)}`)].join('\n'),
    { bedtime: windows.map((w) => ({ ...w, spec: formatBedtimeWindow(w) })), timeZone: zone ?? null },
  );
  if (!zone) ctx.warn('no time zone is set; bedtime needs one: homephone config set household.timeZone America/Toronto');
};

export const show: Action = async (ctx, _args, opts) => {
  const household = ConfigStore.open(ctx.env).read().household ?? {};
  const windows = household.bedtime ?? [];
  const zone = household.timeZone;
  const at = opts.at === undefined ? ctx.now() : parseAt(opts.at, zone);
  const now = zone && windows.length ? { clock: localWallClock(zone, at), window: bedtimeWindowAt(windows, zone, at) } : null;
  ctx.result(
    () => {
      if (!windows.length) return 'No bedtime schedule: whitelisted contacts ring at any hour.';
      const lines = [`Bedtime (${zone ?? 'no time zone set'}):`, ...windows.map((w) => `  ${formatBedtimeWindow(w)}`)];
      if (now) {
        const when = `${now.clock.day} ${now.clock.time}`;
        lines.push(now.window ? `At ${when} it is bedtime (${formatBedtimeWindow(now.window)}).` : `At ${when} it is not bedtime.`);
      }
      return lines.join('\n');
    },
    {
      bedtime: windows.map((w) => ({ ...w, spec: formatBedtimeWindow(w) })),
      timeZone: zone ?? null,
      at: at.toISOString(),
      local: now?.clock ?? null,
      isBedtime: now ? now.window !== null : false,
      window: now?.window ? formatBedtimeWindow(now.window) : null,
    },
  );
};

export const clear: Action = async (ctx) => {
  await ConfigStore.open(ctx.env).update((config) => ({ ...config, household: { ...config.household, bedtime: [] } }));
  ctx.result('Bedtime cleared: whitelisted contacts ring at any hour.', { bedtime: [] });
};
