// alerts on | off | status | digest.
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import type { AlertsSection, HomephoneConfig } from '../../config/schema.js';
import { alertSettings, MAX_PER_DAY_LIMIT, type AlertSettings } from '../../alerts/settings.js';
import { progressFor } from '../deploy/progress.js';

const CLOCK = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** The options of `alerts on`, checked before anything is written. */
function changesFrom(opts: Record<string, unknown>): AlertsSection {
  const changes: AlertsSection = {};
  if (opts.unknown !== undefined) changes.unknown = opts.unknown as AlertSettings['unknown'];
  if (opts.missed !== undefined) changes.missed = opts.missed === 'on';
  if (opts.maxPerDay !== undefined) {
    const raw = String(opts.maxPerDay).trim();
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PER_DAY_LIMIT) {
      throw new InputError(`--max-per-day "${String(opts.maxPerDay)}" must be a whole number from 1 to ${MAX_PER_DAY_LIMIT}`, {
        hint: 'e.g. homephone alerts on --max-per-day 10',
      });
    }
    changes.maxPerDay = n;
  }
  if (opts.digestAt !== undefined) {
    const m = CLOCK.exec(String(opts.digestAt).trim());
    if (!m) {
      throw new InputError(`--digest-at "${String(opts.digestAt)}" is not a time of day`, { hint: 'write it in 24-hour time, e.g. --digest-at 19:30' });
    }
    changes.digestAt = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  }
  return changes;
}

function describe(enabled: boolean, s: AlertSettings, timeZone: string | undefined): string[] {
  if (!enabled) return ['Alerts are off: no texts to the owner about calls.'];
  const unknown = {
    immediate: 'texted at once',
    digest: `gathered into a daily digest, due at ${s.digestAt}${timeZone ? ` (${timeZone})` : ''}`,
    off: 'not texted',
  }[s.unknown];
  return [
    'Alerts are on, texted from the home number to the owner\'s cell:',
    `  unknown numbers:          ${unknown}`,
    `  missed whitelisted calls: ${s.missed ? 'texted' : 'not texted'}`,
    `  at most:                  ${s.maxPerDay} texts a day (the last one says so)`,
  ];
}

function data(section: AlertsSection | undefined) {
  return { enabled: section?.enabled === true, ...alertSettings(section) };
}

/** Pushes the ALERTS Variable alone when --deploy is given; otherwise says how. */
async function push(ctx: CommandContext, opts: Record<string, unknown>, changed: boolean): Promise<{ text: string; deploy?: object }> {
  if (!opts.deploy) {
    return { text: changed ? 'Twilio still has the previous setting: push it with homephone alerts on|off --deploy, or homephone deploy (a Variable change: no build).' : '' };
  }
  const { openSession, syncVariables } = await import('../../deploy/index.js');
  const session = await openSession(ctx.env, {
    ...(typeof opts.twin === 'string' && opts.twin ? { twinUrl: opts.twin } : {}),
    progress: await progressFor(ctx),
  });
  const result = await syncVariables(session, ['ALERTS']);
  const text = result.changed
    ? `Pushed to ${session.target}: ${result.applied.writes} write request(s); the Functions use it from their next call.`
    : `${session.target} already has this setting.`;
  return { text, deploy: { changed: result.changed, writes: result.applied.writes, breakdown: result.applied.breakdown } };
}

async function change(ctx: CommandContext, opts: Record<string, unknown>, next: (current: AlertsSection) => AlertsSection): Promise<void> {
  const store = ConfigStore.open(ctx.env);
  const before = JSON.stringify(data(store.read().alerts));
  await store.update((config) => ({ ...config, alerts: next(config.alerts ?? {}) }));
  const config = store.read();
  const after = data(config.alerts);
  const pushed = await push(ctx, opts, JSON.stringify(after) !== before);
  const lines = describe(after.enabled, after, config.household?.timeZone);
  ctx.result([...lines, ...(pushed.deploy ? [pushed.text] : [])].join('\n'), { ...after, ...(pushed.deploy ? { deploy: pushed.deploy } : {}) });
  if (!pushed.deploy && pushed.text) ctx.info(pushed.text);
  if (after.enabled && (!config.household?.ownerCell || !config.household?.homeNumber)) {
    ctx.warn('alerts need the home number and the owner\'s cell: run homephone init');
  }
}

export const on: Action = async (ctx, _args, opts) => {
  const changes = changesFrom(opts);
  await change(ctx, opts, (current) => ({ ...current, ...changes, enabled: true }));
};

export const off: Action = async (ctx, _args, opts) => {
  await change(ctx, opts, (current) => ({ ...current, enabled: false }));
};

/** A Twilio client for the configuration (or the twin --twin names). */
async function clientFor(ctx: CommandContext, config: HomephoneConfig, opts: Record<string, unknown>) {
  const env = typeof opts.twin === 'string' && opts.twin ? { ...ctx.env, HOMEPHONE_TWIN_URL: opts.twin } : ctx.env;
  const { twilioCredentials } = await import('../../config/secrets.js');
  const { createTwilioClient } = await import('../../twilio/client.js');
  return createTwilioClient(twilioCredentials(config, env), env);
}

export const status: Action = async (ctx, _args, opts) => {
  const config = ConfigStore.open(ctx.env).read();
  const shown = data(config.alerts);
  const lines = describe(shown.enabled, shown, config.household?.timeZone);
  if (!opts.live) {
    ctx.result(lines.join('\n'), shown);
    return;
  }
  const { readLiveAlerts } = await import('../../alerts/live.js');
  const live = await readLiveAlerts(await clientFor(ctx, config, opts), config, ctx.now());
  lines.push(
    `Today (${live.date}): ${live.sent} of ${live.maxPerDay} texts sent${live.suppressed ? `, ${live.suppressed} more suppressed` : ''}.`,
    live.digest.calls
      ? `Waiting for the digest of ${live.digest.dueOn ?? '?'} (${live.digest.at}): ${live.digest.calls} call(s) from ${live.digest.numbers} number(s).`
      : 'Nobody is waiting for the digest.',
    live.variable.matchesConfig
      ? `On Twilio: as configured (${live.variable.deployed === null ? 'no ALERTS Variable: off' : 'the ALERTS Variable'}).`
      : `On Twilio: ${live.variable.deployed === null ? 'off (no ALERTS Variable)' : 'a different ALERTS Variable'}, not what the configuration says: push it with homephone alerts on|off --deploy.`,
  );
  ctx.result(lines.join('\n'), { ...shown, live });
};

export const digest: Action = async (ctx, _args, opts) => {
  const config = ConfigStore.open(ctx.env).read();
  const client = await clientFor(ctx, config, opts);
  const { runDigest } = await import('../../alerts/digest.js');
  const { maskNumber } = await import('../../history/calls.js');
  const run = await runDigest(client, config, ctx.now(), { force: Boolean(opts.force) });
  // The owner's phone gets the numbers in full; this output (cron mail, logs) masks them, as
  // homephone calls does, unless --show-numbers.
  const text = run.text === null || opts.showNumbers ? run.text : run.text.replace(/\+\d{6,15}/g, (n) => maskNumber(n));
  const human = {
    sent: () => `Sent the digest (${run.digest.calls} call(s) from ${run.digest.callers.length + run.digest.more} number(s)) to the owner's cell:\n${text}`,
    empty: () => 'No unknown callers are waiting for the digest: nothing sent.',
    'not-due': () => `${run.digest.calls} call(s) wait for the digest of ${run.dueOn ?? '?'}, due at ${alertSettings(config.alerts).digestAt}: nothing sent yet (--force sends it now).`,
  }[run.status];
  ctx.result(human, { status: run.status, calls: run.digest.calls, numbers: run.digest.callers.length + run.digest.more, dueOn: run.dueOn ?? null, text });
};
