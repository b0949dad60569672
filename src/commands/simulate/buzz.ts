// `homephone simulate buzz`: a buzz from the enterphone against an in-memory twin and the real
// agent in-process, each tenant scripted; prints the outcome and the transcript.
import type { CommandContext } from '../context.js';
import { ConfigStore } from '../../config/store.js';
import { InputError } from '../../errors.js';
import { parseAt } from '../time.js';
import { parseTenantBehaviour, simulateBuzz as run, type TenantBehaviour } from '../../simulate/buzz.js';

function list(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flat().map(String);
}

function parseTenants(raw: unknown): Map<string, TenantBehaviour> {
  const out = new Map<string, TenantBehaviour>();
  for (const spec of list(raw)) {
    const i = spec.indexOf('=');
    const name = i < 0 ? '' : spec.slice(0, i).trim();
    if (!name) throw new InputError(`--tenant ${spec}: expected NAME=BEHAVIOUR`, { hint: 'e.g. --tenant Alex=answers:1 --tenant Sam=voicemail' });
    out.set(name, parseTenantBehaviour(spec.slice(i + 1)));
  }
  return out;
}

export async function simulateBuzz(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const config = ConfigStore.open(ctx.env).read();
  const tenants = parseTenants(opts.tenant);
  let at: Date | undefined;
  if (typeof opts.at === 'string') {
    at = parseAt(opts.at, config.household?.timeZone);
  }
  const code = typeof opts.code === 'string' ? opts.code : undefined;
  if (code !== undefined && !/^[0-9*#]{1,12}$/.test(code)) throw new InputError(`--code ${code}: only keys 0-9 * #`, { hint: 'e.g. --code 4821#' });
  let hangupAfter: number | undefined;
  if (opts.hangupAfter !== undefined) {
    hangupAfter = Number(opts.hangupAfter);
    if (!Number.isFinite(hangupAfter) || hangupAfter < 0) throw new InputError('--hangup-after takes seconds', { hint: 'e.g. --hangup-after 10' });
  }
  if (code !== undefined && !(config.buzzer?.entryCodes ?? []).length) {
    ctx.warn('no entry codes are set, so the door asks the visitor for none and --code is never heard; add one: homephone buzzer code add <name>');
  }
  const r = await run({ config, tenants, at, visitorPress: code, visitorHangupAfter: hangupAfter });
  const sms = r.result.events.filter((e) => e.type === 'sms').map((e) => ({ to: e.data.to, body: e.data.body }));
  ctx.result(
    () =>
      [
        ...r.notes.map((n) => `note: ${n}`),
        `Buzz ${r.result.callSid}: ${r.outcome.summary}`,
        `Tenants: ${r.tenants.map((t) => `${t.name} ${t.number} (${describeBehaviour(tenants, t.name)})`).join(', ')}`,
        ...sms.map((m) => `Text to ${String(m.to)}: ${String(m.body)}`),
        '',
        r.result.text,
      ].join('\n'),
    {
      callSid: r.result.callSid,
      outcome: r.outcome,
      tenants: r.tenants,
      sms,
      calls: r.result.calls,
      events: r.result.events,
      log: r.log,
      notes: r.notes,
    },
  );
}

function describeBehaviour(tenants: Map<string, TenantBehaviour>, name: string): string {
  const b = [...tenants].find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  if (!b) return 'does not answer';
  if (b.kind !== 'answers') return b.kind;
  const later = b.later.map((p) => `${p.digits} at ${p.at}s`).join(', ');
  return `answers after ${b.after}s, presses ${b.press}${later ? `, then ${later}` : ''}`;
}
