// What `homephone check` will do, decided before anything is placed: the calls (who calls whom,
// for how long) and what they would cost on Twilio, so the user can say yes knowingly.
import type { HomephoneConfig } from '../config/schema.js';
import type { Contact } from '../household/contacts.js';
import { InputError } from '../errors.js';
import type { PathId, PlannedCall } from './types.js';

/**
 * US list prices per started minute (twilio.com/voice/pricing/us, 2024): a REST-created call to a
 * number, the inbound leg it becomes on the number called, a SIP leg, a conference participant.
 * Twilio bills voice per started minute, so every call here is at least one minute per leg.
 */
export const RATES_USD_PER_MINUTE = { outbound: 0.014, inbound: 0.0085, sip: 0.004, conference: 0.0018 } as const;

export interface CheckPlan {
  home: string;
  ownerCell: string;
  buzzer: string | null;
  tester: string;
  /** The tester is on the whitelist already (else it is whitelisted for its call only, then removed). */
  testerWhitelisted: boolean;
  unknownCaller: string | null;
  calls: PlannedCall[];
  /** Paths that place no call (read-only checks). */
  readOnly: PathId[];
  costUsd: number;
}

const E164 = /^\+[1-9]\d{1,14}$/;

export function buildPlan(config: HomephoneConfig, whitelist: Contact[], tester: string | undefined): CheckPlan {
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
  calls.push({ id: 'owner-menu', from: h.ownerCell, to: h.homeNumber, seconds: 20, extraLegs: ['sip'] });
  if (buzzer) calls.push({ id: 'buzzer-agent', from: testerNumber === buzzer ? h.homeNumber : testerNumber, to: buzzer, seconds: 15, extraLegs: [] });
  return {
    home: h.homeNumber,
    ownerCell: h.ownerCell,
    buzzer,
    tester: testerNumber,
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
    if (c.extraLegs.length) total += minutes * 2 * RATES_USD_PER_MINUTE.conference;
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
  lines.push(`  ${pathLabel('numbers')}, ${pathLabel('audio')}: read only, no call`);
  lines.push(`Estimated cost on Twilio: about $${plan.costUsd.toFixed(2)} (${plan.calls.length} calls, billed per started minute per leg)`);
  return lines;
}
