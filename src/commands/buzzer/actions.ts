// buzzer open-for | close | status | code add|remove|list. The running agent reads these from the
// configuration on each buzz: no restart needed.
import type { CommandContext } from '../context.js';
import { askOrFail } from '../context.js';
import { InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import type { BuzzerSection, HomephoneConfig } from '../../config/schema.js';
import { buzzerSection, parseWindow, writeDeliveryWindow } from '../../agent/modes.js';
import { clockTime } from '../../agent/notify.js';

const buzzerOf: (config: HomephoneConfig) => BuzzerSection = buzzerSection;

function localTime(config: HomephoneConfig, at: Date): string {
  const zone = config.household?.timeZone;
  return zone ? `${clockTime(at, zone)} (${zone})` : at.toISOString();
}

export async function openFor(ctx: CommandContext, args: unknown[]): Promise<void> {
  const minutes = parseWindow(String(args[0] ?? ''));
  const store = ConfigStore.open(ctx.env);
  const until = new Date(Date.now() + minutes * 60_000);
  const openUntil = until.toISOString();
  const { config: next } = await writeDeliveryWindow(store, until);
  ctx.result(`The door opens on a buzz until ${localTime(next, until)}; the tenants get a text each time.\nEnd it early: homephone buzzer close`, {
    openUntil,
    minutes,
  });
}

export async function close(ctx: CommandContext): Promise<void> {
  const store = ConfigStore.open(ctx.env);
  const { was } = await writeDeliveryWindow(store, undefined);
  const open = was !== undefined && Date.parse(was) > Date.now();
  ctx.result(open ? 'The delivery window is closed: buzzes ring the tenants again.' : 'No delivery window was open.', { closed: true, wasOpen: open });
}

export async function status(ctx: CommandContext): Promise<void> {
  const config = ConfigStore.open(ctx.env).read();
  const b = buzzerOf(config);
  const until = b.openUntil ? new Date(b.openUntil) : undefined;
  const open = until !== undefined && until.getTime() > Date.now();
  const codes = (b.entryCodes ?? []).map((c) => c.name);
  const data = {
    number: b.number,
    enterphoneNumber: b.enterphoneNumber ?? null,
    tenants: b.tenants ?? [],
    ringTimeout: b.ringTimeout ?? 30,
    publicUrl: b.publicUrl ?? null,
    deliveryWindow: open ? { openUntil: b.openUntil } : null,
    entryCodes: codes,
  };
  ctx.result(
    () =>
      [
        `buzzer number      ${b.number}`,
        `enterphone         ${b.enterphoneNumber ?? '(not set)'}`,
        `tenants            ${(b.tenants ?? []).map((t) => `${t.name} ${t.number}`).join(', ') || '(none)'}`,
        `ring timeout       ${data.ringTimeout} s`,
        `public URL         ${b.publicUrl ?? '(not set)'}`,
        `delivery window    ${open ? `open until ${localTime(config, until!)}` : 'closed'}`,
        `entry codes        ${codes.length ? codes.join(', ') : '(none)'}`,
      ].join('\n'),
    data,
  );
}

const CODE_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

function checkName(raw: unknown): string {
  const name = String(raw ?? '').trim();
  if (!CODE_NAME.test(name)) throw new InputError(`"${name}" is not a code name`, { hint: 'use 1 to 64 letters, digits, spaces, . _ -' });
  return name;
}

export async function codeAdd(ctx: CommandContext, args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const name = checkName(args[0]);
  const { hashMonitorCode, isValidMonitorCode } = await import('../../household/monitor-code.js');
  const code =
    typeof opts.code === 'string'
      ? opts.code
      : await askOrFail(ctx, '--code', 'the entry code', async () => {
          const { password } = await import('@inquirer/prompts');
          return password(
            { message: `Entry code for ${name} (4 to 8 digits)`, mask: '*', validate: (t) => isValidMonitorCode(t) || '4 to 8 digits' },
            { output: ctx.io.stderr },
          );
        });
  if (!isValidMonitorCode(code)) throw new InputError('an entry code is 4 to 8 digits', { hint: 'e.g. --code 4821' });
  const hash = hashMonitorCode(code);
  let replaced = false;
  const store = ConfigStore.open(ctx.env);
  await store.update((c) => {
    const buzzer = buzzerOf(c);
    const codes = (buzzer.entryCodes ?? []).filter((e) => {
      const same = e.name.toLowerCase() === name.toLowerCase();
      replaced ||= same;
      return !same;
    });
    return { ...c, buzzer: { ...buzzer, entryCodes: [...codes, { name, hash }] } };
  });
  ctx.result(
    `${replaced ? 'Replaced' : 'Added'} the entry code "${name}". A visitor is now asked for a code before the tenants are rung.`,
    { name, replaced },
  );
}

export async function codeRemove(ctx: CommandContext, args: unknown[]): Promise<void> {
  const name = checkName(args[0]);
  const store = ConfigStore.open(ctx.env);
  let found = false;
  await store.update((c) => {
    const buzzer = { ...buzzerOf(c) };
    const codes = (buzzer.entryCodes ?? []).filter((e) => e.name.toLowerCase() !== name.toLowerCase());
    found = codes.length !== (buzzer.entryCodes ?? []).length;
    if (codes.length) buzzer.entryCodes = codes;
    else delete buzzer.entryCodes;
    return { ...c, buzzer };
  });
  if (!found) throw new InputError(`there is no entry code named "${name}"`, { hint: 'see them: homephone buzzer code list' });
  ctx.result(`Removed the entry code "${name}".`, { name, removed: true });
}

export async function codeList(ctx: CommandContext): Promise<void> {
  const names = (buzzerOf(ConfigStore.open(ctx.env).read()).entryCodes ?? []).map((c) => c.name);
  ctx.result(names.length ? names.join('\n') : 'No entry codes: a buzz rings the tenants straight away.', { entryCodes: names });
}
