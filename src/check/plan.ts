// What `homephone check` will do, decided before anything is placed: the calls (who calls whom,
// for how long) and what they would cost on Twilio, so the user can say yes knowingly.
import type { HomephoneConfig } from '../config/schema.js';
import type { Contact } from '../household/contacts.js';
import { InputError } from '../errors.js';
import type { PathId, PlannedCall } from './types.js';

/**
 * Twilio's US list prices in USD per started minute, from twilio.com/en-us/voice/pricing/us as
 * published in 2024 (the date this table was read; Twilio changes them rarely, and the account's
 * own prices are at pricing.twilio.com/v2/Voice/Countries/XX): a REST-created call to a local
 * number ("make calls"), the inbound leg it becomes on the number called ("receive calls", local),
 * a SIP Interface leg, a conference participant. Twilio bills voice per started minute, so every
 * call here costs at least one minute per leg. For numbers outside +1 the estimate says it is a
 * US-price guide.
 */
export const RATES_USD_PER_MINUTE = { outbound: 0.014, inbound: 0.0085, sip: 0.004, conference: 0.0018 } as const;

export const PRICES_SOURCE = 'Twilio US list prices (twilio.com/en-us/voice/pricing/us, read 2024)';

export interface PlanOptions {
  /** The owner's cell is a verified caller ID on the account (else the owner-menu call is skipped). */
  ownerVerified: boolean;
  /** --ring-people: the buzzer call is a real buzz (the tenants ring, the lights flash). */
  ringPeople: boolean;
}

export interface CheckPlan {
  home: string;
  ownerCell: string;
  buzzer: string | null;
  tester: string;
  ownerVerified: boolean;
  ringPeople: boolean;
  tenants: string[];
  /** The tester is on the whitelist already (else it is whitelisted for its call only, then removed). */
  testerWhitelisted: boolean;
  unknownCaller: string | null;
  calls: PlannedCall[];
  /** Paths that place no call (read-only checks). */
  readOnly: PathId[];
  costUsd: number;
}

const E164 = /^\+[1-9]\d{1,14}$/;

export function buildPlan(config: HomephoneConfig, whitelist: Contact[], tester: string | undefined, options: PlanOptions = { ownerVerified: true, ringPeople: false }): CheckPlan {
  const h = config.household ?? {};
  if (!h.homeNumber || !h.ownerCell) {
    throw new InputError('the configuration has no household.homeNumber or household.ownerCell', { hint: 'run homephone init first' });
  }
  const buzzer = config.buzzer?.number ?? null;
  const testerNumber = tester ?? buzzer;
  if (!testerNumber) {
    throw new InputError('missing --tester: there is no buzzer number to call from', {
      hint: 'pass --tester NUMBER: another number this Twilio account owns (or a verified caller ID)',
    });
  }
  if (!E164.test(testerNumber)) throw new InputError(`--tester "${testerNumber}" is not an E.164 number`, { hint: 'write it as +15551234567' });
  const listed = new Set(whitelist.map((c) => c.Number));
  const testerWhitelisted = listed.has(testerNumber);
  // The unknown caller is a number the account owns that is neither whitelisted nor the owner.
  const unknownCaller = [buzzer, testerNumber].find((n): n is string => Boolean(n) && !listed.has(n!) && n !== h.ownerCell) ?? null;
  const calls: PlannedCall[] = [];
  if (unknownCaller) calls.push({ id: 'unknown-caller', from: unknownCaller, to: h.homeNumber, seconds: 15, extraLegs: [] });
  calls.push({ id: 'whitelisted-caller', from: testerNumber, to: h.homeNumber, seconds: 20, extraLegs: ['sip', 'pstn'] });
  if (options.ownerVerified) calls.push({ id: 'owner-menu', from: h.ownerCell, to: h.homeNumber, seconds: 20, extraLegs: ['sip'] });
  const tenants = (config.buzzer?.tenants ?? []).map((t) => t.number);
  if (buzzer) {
    calls.push({
      id: 'buzzer-agent',
      from: testerNumber === buzzer ? h.homeNumber : testerNumber,
      to: buzzer,
      seconds: 20,
      extraLegs: options.ringPeople ? tenants.map(() => 'pstn' as const) : [],
    });
  }
  return {
    home: h.homeNumber,
    ownerCell: h.ownerCell,
    buzzer,
    tester: testerNumber,
    ownerVerified: options.ownerVerified,
    ringPeople: options.ringPeople,
    tenants,
    testerWhitelisted,
    unknownCaller,
    calls,
    readOnly: ['numbers', 'audio'],
    costUsd: estimateCost(calls),
  };
}

export function estimateCost(calls: PlannedCall[]): number {
  let total = 0;
  for (const c of calls) {
    const minutes = Math.ceil(c.seconds / 60);
    total += minutes * (RATES_USD_PER_MINUTE.outbound + RATES_USD_PER_MINUTE.inbound);
    for (const leg of c.extraLegs) total += minutes * (leg === 'sip' ? RATES_USD_PER_MINUTE.sip : RATES_USD_PER_MINUTE.outbound);
    if (c.extraLegs.includes('sip')) total += minutes * 2 * RATES_USD_PER_MINUTE.conference;
  }
  return Math.round(total * 10000) / 10000;
}

const LABEL: Record<PathId, string> = {
  numbers: 'numbers point at the deploy',
  'unknown-caller': 'unknown caller is refused',
  'whitelisted-caller': 'whitelisted caller reaches the SIP phone',
  'owner-menu': "owner's menu answers",
  'buzzer-agent': 'buzzer agent answers a signed webhook',
  audio: 'every audio URL plays',
};

export const pathLabel = (id: PathId): string => LABEL[id];

export function describePlan(plan: CheckPlan): string[] {
  const lines = plan.calls.map((c) => `  ${pathLabel(c.id)}: a call from ${c.from} to ${c.to}, at most ${c.seconds} s`);
  if (!plan.testerWhitelisted) {
    lines.push(`  ${plan.tester} is not on the whitelist: it is added for its call only (one whitelist push), then removed (another)`);
  }
  if (!plan.ownerVerified) lines.push(`  ${pathLabel('owner-menu')}: skipped, ${plan.ownerCell} is not a verified caller ID on the account`);
  if (plan.buzzer && plan.ringPeople) {
    lines.push(`  WARNING --ring-people: the buzzer call is a REAL buzz: the tenants' phones ring (${plan.tenants.join(', ') || 'none configured'}) and the lights flash`);
  } else if (plan.buzzer) {
    lines.push(`  the buzzer call is a check buzz: the agent answers it without ringing a tenant (a 2-minute check window for that number only)`);
  }
  lines.push(`  the SIP phone at home may ring for a moment; the owner's cell is hung up on as soon as a call to it appears`);
  lines.push(`  ${pathLabel('numbers')}, ${pathLabel('audio')}: read only, no call`);
  const foreign = [plan.home, plan.buzzer].some((n) => n && !n.startsWith('+1'));
  lines.push(
    `Estimated cost on Twilio: about $${plan.costUsd.toFixed(2)} (${plan.calls.length} calls, billed per started minute per leg; ${PRICES_SOURCE}${foreign ? ', a guide only for numbers outside +1' : ''})`,
  );
  return lines;
}
