// The init flow: each answer comes from a flag, --from-file, the current config or a prompt, and is
// checked before anything is written; the new configuration is written once, at the end.
import { readFileSync } from 'node:fs';
import type { Action } from '../define.js';
import type { CommandContext } from '../context.js';
import { CancelledError, InputError } from '../../errors.js';
import { ConfigStore } from '../../config/store.js';
import type { BuzzerSection, HomephoneConfig, Tenant } from '../../config/schema.js';
import { maskSecrets } from '../../config/secrets.js';
import { phoneNumber } from '../../config/validate.js';
import { hashMonitorCode } from '../../household/monitor-code.js';
import { emergencyNumbersFor, extrasAfterCountryChange } from '../../household/emergency.js';
import { formatBedtimeWindow, parseBedtimeSpec, type BedtimeWindow } from '../../household/bedtime.js';
import {
  answerKeys,
  buzzerQuestions,
  credentialQuestions,
  householdQuestions,
  monitorCodeQuestion,
  type Answers,
  type Question,
} from './questions.js';

const flagKeys = [...answerKeys];
const KEEP = '(keep)';

function readAnswersFile(file: string): Answers {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read answers from ${file}: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${file} must hold a JSON object of answers`);
  }
  const unknown = Object.keys(data).filter((k) => !answerKeys.has(k));
  if (unknown.length) {
    throw new InputError(`${file} has unknown answer(s): ${unknown.join(', ')}`, { hint: `known: ${flagKeys.join(', ')}` });
  }
  return data as Answers;
}

/** The answers given up front: --from-file, then flags on top. */
function givenAnswers(opts: Record<string, unknown>, resolvePath: (path: string) => string): Answers {
  const given: Answers = opts.fromFile ? readAnswersFile(resolvePath(String(opts.fromFile))) : {};
  for (const key of flagKeys) {
    const flag = key === 'tenants' ? 'tenant' : key;
    if (opts[flag] !== undefined) given[key] = opts[flag];
  }
  return given;
}

const asText = (value: unknown): string => (Array.isArray(value) ? value.join(',') : String(value));

class Asker {
  constructor(
    private readonly ctx: CommandContext,
    private readonly given: Answers,
    private readonly config: HomephoneConfig,
  ) {}

  readonly answers: Answers = {};

  private get output() {
    return { output: this.ctx.io.stderr as NodeJS.WritableStream };
  }

  async ask(q: Question): Promise<unknown> {
    const context = { defaultCountry: String(this.answers.country ?? this.config.household?.defaultCountry ?? '') || undefined };
    const given = this.given[q.key];
    let value: unknown;
    if (given !== undefined && given !== '') {
      const checked = q.check(asText(given), context);
      if (!checked.ok) throw new InputError(`invalid ${q.flag}: ${checked.reason}`);
      value = checked.value;
    } else if (!q.skip?.(this.answers)) {
      value = await this.resolve(q, context);
    }
    this.answers[q.key] = value;
    return value;
  }

  private async resolve(q: Question, context: { defaultCountry?: string | undefined }): Promise<unknown> {
    const fallback = q.current?.(this.config) ?? q.fallback?.(this.answers);
    const optional = q.optional?.(this.answers, this.ctx.env) ?? false;
    if (!this.ctx.interactive) {
      if (fallback === undefined) {
        if (optional) return undefined;
        throw new InputError(`missing ${q.flag}: ${q.message.replace(/ \(.*$/, '')} is required`, {
          hint: `${q.hint ?? `pass ${q.flag}`} (prompts need an interactive terminal and no --yes)`,
        });
      }
      const checked = q.check(fallback, context);
      if (!checked.ok) throw new InputError(`invalid stored value for ${q.flag}: ${checked.reason}`, { hint: `pass ${q.flag}` });
      return checked.value;
    }
    const { input, password } = await import('@inquirer/prompts');
    const validate = (text: string) => {
      if (text.trim() === '') return optional || (q.secret && fallback !== undefined) ? true : 'an answer is required';
      const checked = q.check(text, context);
      return checked.ok ? true : checked.reason;
    };
    const text = q.secret
      ? await password(
          { message: fallback ? `${q.message} (leave empty to keep the current one)` : q.message, mask: '*', validate },
          this.output,
        )
      : await input({ message: q.message, default: fallback, validate }, this.output);
    // Empty only where allowed: an optional answer, or a secret kept as it is.
    if (text.trim() === '') return fallback;
    return (q.check(text, context) as { value: unknown }).value;
  }

  async confirm(message: string, fallback: boolean): Promise<boolean> {
    if (!this.ctx.interactive) return fallback;
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message, default: fallback }, this.output);
  }

  async text(message: string, fallback: string | undefined, validate: (t: string) => string | true): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return input({ message, default: fallback, validate }, this.output);
  }
}

function parseTenant(spec: string, defaultCountry: string | undefined, flag: string): Tenant {
  const at = spec.lastIndexOf('=');
  const name = spec.slice(0, at).trim();
  if (at < 1 || !name) throw new InputError(`invalid ${flag} "${spec}": write it as Name=+15551234567`);
  const checked = phoneNumber(spec.slice(at + 1), { defaultCountry });
  if (!checked.ok) throw new InputError(`invalid ${flag} for ${name}: ${checked.reason}`);
  return { name, number: checked.value };
}

function tenantsFromGiven(value: unknown, country: string | undefined): Tenant[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) =>
    typeof item === 'object' && item !== null
      ? parseTenant(`${(item as Tenant).name}=${(item as Tenant).number}`, country, '--tenant')
      : parseTenant(String(item), country, '--tenant'),
  );
}

async function askTenants(asker: Asker, ctx: CommandContext, given: unknown, current: Tenant[], country: string | undefined) {
  if (given !== undefined) return tenantsFromGiven(given, country);
  if (current.length && (await asker.confirm(`Keep the tenants (${current.map((t) => t.name).join(', ')})?`, true))) {
    return current;
  }
  if (!ctx.interactive) {
    throw new InputError('missing --tenant: the buzzer needs at least one tenant to ring', {
      hint: 'pass --tenant "Name=+15551234567" (repeatable)',
    });
  }
  const tenants: Tenant[] = [];
  do {
    const spec = await asker.text(`Tenant ${tenants.length + 1} (Name=number)`, undefined, (t) => {
      try {
        parseTenant(t, country, 'tenant');
        return true;
      } catch (err) {
        return (err as Error).message;
      }
    });
    tenants.push(parseTenant(spec, country, 'tenant'));
  } while (tenants.length < 10 && (await asker.confirm('Add another tenant?', false)));
  return tenants;
}

function parseBedtimeList(specs: unknown, flag: string): BedtimeWindow[] {
  const list = (Array.isArray(specs) ? specs : String(specs).split(';')).map(String).filter((s) => s.trim());
  return list.map((spec) => {
    try {
      return parseBedtimeSpec(spec);
    } catch (err) {
      throw new InputError(`invalid ${flag} "${spec}": ${(err as Error).message}`, { hint: 'e.g. "Sun-Thu 20:00-07:00"' });
    }
  });
}

async function askBedtime(asker: Asker, ctx: CommandContext, given: unknown, current: BedtimeWindow[]) {
  if (given === false) return [];
  if (given !== undefined) return parseBedtimeList(given, '--bedtime');
  if (!ctx.interactive) return current;
  if (!(await asker.confirm('Set a bedtime schedule (only contacts with a bedtime override ring through)?', current.length > 0))) {
    return [];
  }
  const spec = await asker.text(
    'Bedtime windows, separated by ";" (e.g. Sun-Thu 20:00-07:00; Fri-Sat 22:00-08:00)',
    current.map(formatBedtimeWindow).join('; ') || undefined,
    (t) => {
      try {
        return parseBedtimeList(t, 'bedtime').length ? true : 'give at least one window';
      } catch (err) {
        return (err as Error).message;
      }
    },
  );
  return parseBedtimeList(spec, '--bedtime');
}

async function askMonitorCode(asker: Asker, ctx: CommandContext, given: Answers, current: string | undefined) {
  if (given.monitorCode === undefined && current && !ctx.interactive) return current;
  // Interactively, an empty answer keeps the stored hash (the prompt says so).
  const code = await asker.ask({ ...monitorCodeQuestion, current: () => (current ? KEEP : undefined) });
  return code === KEEP || code === undefined ? current : hashMonitorCode(String(code));
}

function wantsBuzzer(given: Answers): boolean | undefined {
  if (typeof given.buzzer === 'boolean') return given.buzzer;
  const buzzerKeys = [...buzzerQuestions.map((q) => q.key), 'tenants'];
  return buzzerKeys.some((k) => given[k] !== undefined) ? true : undefined;
}

export const init: Action = async (ctx, _args, opts) => {
  const store = ConfigStore.open(ctx.env);
  const current = store.read();
  const given = givenAnswers(opts, ctx.resolvePath);
  const asker = new Asker(ctx, given, current);
  if (ctx.interactive) ctx.info(ctx.style.bold('Setting up homephone.') + ' Press Ctrl-C to stop; nothing is written until the end.');

  for (const q of [...credentialQuestions, ...householdQuestions]) await asker.ask(q);
  const a = asker.answers;
  const monitorCodeHash = await askMonitorCode(asker, ctx, given, current.household?.monitorCodeHash);

  let buzzer: BuzzerSection | undefined = current.buzzer;
  const buzzerWanted = wantsBuzzer(given) ?? (await asker.confirm('Set up the apartment buzzer?', Boolean(current.buzzer)));
  if (buzzerWanted) {
    for (const q of buzzerQuestions) await asker.ask(q);
    const tenants = await askTenants(asker, ctx, given.tenants, current.buzzer?.tenants ?? [], String(a.country));
    buzzer = {
      ...current.buzzer,
      number: a.buzzerNumber as string,
      enterphoneNumber: a.enterphoneNumber as string,
      doorDigits: a.doorDigits as string,
      publicUrl: a.publicUrl as string,
      tenants,
      ringTimeout: current.buzzer?.ringTimeout ?? 30,
    };
  } else if (buzzerWanted === false) {
    buzzer = undefined;
  }

  const bedtime = await askBedtime(asker, ctx, given.bedtime, current.household?.bedtime ?? []);
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  const next: HomephoneConfig = {
    ...current,
    twilio: defined({
      ...current.twilio,
      ...defined({
        accountSid: a.accountSid as string | undefined,
        authToken: a.authToken as string | undefined,
        apiKey: a.apiKey as string | undefined,
        apiSecret: a.apiSecret as string | undefined,
      }),
    }),
    household: defined({
      ...current.household,
      defaultCountry: a.country as string,
      homeNumber: a.homeNumber as string,
      ownerCell: a.ownerCell as string,
      timeZone: a.timeZone as string,
      sipDomain: a.sipDomain as string,
      sipUsername: a.sipUsername as string,
      monitorCodeHash,
      bedtime,
    }),
  };
  // The country's emergency numbers come from the country; extra ones stay, except the previous
  // country's own (an older configuration stored those here), unless given again.
  const extras =
    given.emergencyNumbers !== undefined && given.emergencyNumbers !== ''
      ? ((a.emergencyNumbers as string[] | undefined) ?? [])
      : extrasAfterCountryChange((a.emergencyNumbers as string[] | undefined) ?? [], current.household?.defaultCountry, a.country as string);
  if (extras.length) next.household!.emergencyNumbers = extras;
  else delete next.household!.emergencyNumbers;
  if (buzzer) next.buzzer = buzzer;
  else delete next.buzzer;
  if (ctx.interactive && !(await asker.confirm(`Write the configuration to ${store.path}?`, true))) {
    throw new CancelledError('nothing was written');
  }
  await store.replace(next);
  ctx.result(
    [
      `Wrote ${store.path}`,
      `Home number ${next.household?.homeNumber}, SIP phone ${next.household?.sipUsername}@${next.household?.sipDomain}` +
        (next.buzzer ? `, buzzer ${next.buzzer.number} ringing ${next.buzzer.tenants?.length} tenant(s)` : ''),
      `Emergency numbers, always connected directly: ${emergencyNumbersFor(next.household?.defaultCountry, next.household?.emergencyNumbers).join(', ')}`,
      'Next: homephone whitelist add <number> --name <person>, then homephone deploy',
    ].join('\n'),
    { configPath: store.path, config: maskSecrets(next) },
  );
};
