// `homephone simulate call`: one home-phone call, offline, on exactly what deploy would deploy
// from the current configuration, in an in-memory twin. Prints the decision the deployed Functions
// logged (who, whitelisted or not, bedtime or not, why), the hops it took, and the transcript.
import type { CommandContext } from '../context.js';
import { ConfigStore } from '../../config/store.js';
import { whitelistPath } from '../../config/paths.js';
import { readWhitelist } from '../../config/whitelist-file.js';
import { InputError } from '../../errors.js';
import { formatLocal } from '../../household/local-time.js';
import { parseAt } from '../time.js';
import { normalisePhoneNumber } from '../../household/phone.js';
import { requireCallSettings } from '../../simulate/deployed-twin.js';
import { PHONE_BEHAVIOURS, simulateHomeCall, type Decision, type HomeCallResult, type PhoneBehaviour, type Press } from '../../simulate/home-call.js';

const PRESS = /^([0-9*#]+)(?:@(\d+(?:\.\d+)?)s?)?$/;

function list(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flat().map(String);
}

function parsePresses(raw: unknown): Press[] {
  return list(raw).map((spec) => {
    const m = PRESS.exec(spec.trim());
    if (!m) throw new InputError(`--press ${spec}: not keys, or keys@seconds`, { hint: 'e.g. --press 8 (when asked) or --press 2468#@12s' });
    return m[2] === undefined ? { digits: m[1]! } : { digits: m[1]!, at: Number(m[2]) };
  });
}

function number(flag: string, raw: string, country: string | undefined): string {
  const n = normalisePhoneNumber(raw, country);
  if (!n.ok) throw new InputError(`${flag} ${raw}: ${n.reason}`, { hint: 'give a phone number, e.g. +15555555555' });
  return n.e164;
}

function yesNo(value: unknown): string {
  return value === true ? 'yes' : 'no';
}

/** The decision in a few plain lines. */
function describeDecision(d: Decision | null): string[] {
  if (!d) return ['Decision: none was logged (the call never reached a homephone Function)'];
  const lines = [`Decision: ${d.path}`, `  why: ${d.reason}`];
  if (d.call === 'inbound') {
    const bedtime = (d.bedtime ?? {}) as { active?: boolean; window?: string | null; localTime?: string | null; error?: string };
    const who = d.person ? `${String(d.person)} (${String(d.from)})` : String(d.from || 'unknown');
    lines.push(`  who: ${who}; whitelisted: ${yesNo(d.whitelisted)}; may ring at bedtime: ${yesNo(d.overrideBedtime)}`);
    lines.push(
      `  bedtime: ${bedtime.active ? `yes (${bedtime.window ?? ''})` : 'no'}${bedtime.localTime ? `, local time ${bedtime.localTime}` : ''}${bedtime.error ? ` (${bedtime.error})` : ''}; voicemail: ${d.voicemail ? 'on' : 'off'}`,
    );
  } else if (d.call === 'outbound') {
    lines.push(`  dialled: ${String(d.dialled)}${d.number ? ` → ${String(d.number)}` : ''}${d.person ? ` (${String(d.person)})` : ''}; whitelisted: ${yesNo(d.whitelisted)}`);
  } else if (d.call === 'owner') {
    lines.push(`  calls in progress: ${String(d.count)}${d.room ? `; the most recent: ${String(d.room)}` : ''}`);
  }
  return lines;
}

function render(r: HomeCallResult, heading: string): string {
  const later = r.decisions.slice(1).map((d) => `  then: ${d.path}: ${d.reason}`);
  const hops = `Hops: ${r.hops.functions} Function invocation${r.hops.functions === 1 ? '' : 's'} (${r.hops.functionPaths.join(', ') || 'none'}), ${r.hops.studioSteps} Studio step${r.hops.studioSteps === 1 ? '' : 's'}`;
  return [heading, ...describeDecision(r.decision), ...later, hops, `Call ${r.callSid} ended ${r.status}`, '', r.text].join('\n');
}

export async function simulateCall(ctx: CommandContext, _args: unknown[], opts: Record<string, unknown>): Promise<void> {
  const config = ConfigStore.open(ctx.env).read();
  const settings = requireCallSettings(config);
  const country = config.household?.defaultCountry;
  const to = String(opts.to ?? 'home');
  if (to !== 'home' && to !== 'phone') throw new InputError(`--to ${to}: not "home" or "phone"`, { hint: '--to home (a call to the home number) or --to phone (dialled on the SIP phone)' });
  const phone = String(opts.phone ?? 'answers') as PhoneBehaviour;
  if (!PHONE_BEHAVIOURS.includes(phone)) throw new InputError(`--phone ${phone}: not one of ${PHONE_BEHAVIOURS.join(', ')}`, { hint: 'e.g. --phone unregistered' });
  let dial: string | undefined;
  if (to === 'phone') {
    dial = opts.dial === undefined ? undefined : String(opts.dial).trim();
    if (!dial) throw new InputError('--to phone needs --dial: the number dialled on the SIP phone', { hint: 'e.g. --dial 5551234567, --dial +15551234567 or --dial 911' });
  }
  if (to === 'home' && (opts.from === undefined || String(opts.from).trim() === '')) {
    throw new InputError('missing --from: who calls the home number', { hint: 'e.g. --from +15555555555 (or --to phone --dial NUMBER for a call from the SIP phone)' });
  }
  const from = to === 'home' ? number('--from', String(opts.from), country) : '';
  let at: Date | undefined;
  if (opts.at !== undefined) {
    at = parseAt(opts.at, settings.timeZone);
  }
  let hangupAfter: number | undefined;
  if (opts.hangupAfter !== undefined) {
    hangupAfter = Number(String(opts.hangupAfter).replace(/s$/, ''));
    if (!Number.isFinite(hangupAfter) || hangupAfter <= 0) throw new InputError(`--hangup-after ${String(opts.hangupAfter)} is not a number of seconds`, { hint: 'e.g. --hangup-after 30' });
  }
  const inProgress = list(opts.inProgress).map((n) => number('--in-progress', n, country));
  const press = parsePresses(opts.press);

  const result = await simulateHomeCall({
    config,
    whitelist: readWhitelist(whitelistPath(ctx.env)),
    to,
    from,
    ...(dial === undefined ? {} : { dial }),
    ...(at ? { at } : {}),
    press,
    phone,
    inProgress,
    ...(hangupAfter === undefined ? {} : { hangupAfter }),
  });
  const when = formatLocal(at ?? new Date(result.events[0]?.atMs ?? Date.now()), settings.timeZone);
  const heading =
    to === 'phone'
      ? `The SIP phone dials ${dial} at ${when} (${settings.timeZone}); the phone's line: ${phone}`
      : `${from} calls the home number ${settings.homeNumber} at ${when} (${settings.timeZone}); the SIP phone ${phone}`;
  ctx.result(() => render(result, heading), {
    call: { to, from: to === 'home' ? from : result.sipUri, ...(dial === undefined ? {} : { dial }), at: result.events[0]?.at ?? null, localTime: when, phone, inProgress },
    decision: result.decision,
    decisions: result.decisions,
    hops: result.hops,
    callSid: result.callSid,
    status: result.status,
    calls: result.calls,
    events: result.events,
  });
}
