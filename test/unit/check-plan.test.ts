// The plan `homephone check` shows before placing anything: who calls whom, and what it costs.
import { describe, expect, it } from 'vitest';
import { buildPlan, describePlan, estimateCost, PRICES_SOURCE, RATES_USD_PER_MINUTE } from '../../src/check/plan.js';
import type { HomephoneConfig } from '../../src/config/schema.js';

const config: HomephoneConfig = { household: { homeNumber: '+15551230001', ownerCell: '+15551239000' }, buzzer: { number: '+15551230002' } };
const tester = { Number: '+15551230003', Person: 'Tester', OverrideBedtime: true, PrimaryContact: null };

describe('buildPlan', () => {
  it('four calls, each from a number the account owns or the owner, costing cents', () => {
    const plan = buildPlan(config, [tester], '+15551230003');
    expect(plan.calls.map((c) => [c.id, c.from, c.to])).toEqual([
      ['unknown-caller', '+15551230002', '+15551230001'],
      ['whitelisted-caller', '+15551230003', '+15551230001'],
      ['owner-menu', '+15551239000', '+15551230001'],
      ['buzzer-agent', '+15551230003', '+15551230002'],
    ]);
    expect(plan.testerWhitelisted).toBe(true);
    // Per started minute: caller's outbound + the number's inbound leg on every call, plus the
    // SIP leg, the owner's cell (when the phone is not registered) and two conference participants.
    const r = RATES_USD_PER_MINUTE;
    const base = r.outbound + r.inbound;
    const expected = base + (base + r.sip + r.outbound + 2 * r.conference) + (base + r.sip + 2 * r.conference) + base;
    expect(plan.costUsd).toBeCloseTo(expected, 4);
    expect(plan.costUsd).toBeLessThan(0.2);
  });

  it('without --tester the buzzer number plays the tester, and the buzzer is called from the home number', () => {
    const plan = buildPlan(config, [], undefined);
    expect(plan.tester).toBe('+15551230002');
    expect(plan.testerWhitelisted).toBe(false);
    expect(plan.calls.find((c) => c.id === 'buzzer-agent')).toMatchObject({ from: '+15551230001', to: '+15551230002' });
  });

  it('no buzzer and a whitelisted tester: no number can play the unknown caller, so that call is not planned', () => {
    const plan = buildPlan({ household: config.household }, [tester], '+15551230003');
    expect(plan.unknownCaller).toBeNull();
    expect(plan.calls.map((c) => c.id)).toEqual(['whitelisted-caller', 'owner-menu']);
  });

  it('a call longer than a minute is billed for two', () => {
    expect(estimateCost([{ id: 'unknown-caller', from: '+1', to: '+2', seconds: 61, extraLegs: [] }])).toBeCloseTo(2 * (RATES_USD_PER_MINUTE.outbound + RATES_USD_PER_MINUTE.inbound), 4);
  });

  it('refuses a household without a home number, and a tester that is not E.164 (exit 2)', () => {
    expect(() => buildPlan({}, [], '+15551230003')).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => buildPlan(config, [], '555-1234')).toThrow(/--tester "555-1234" is not an E\.164 number/);
  });

  it("the owner's cell not verified: no owner call is planned, and the plan says why", () => {
    const plan = buildPlan(config, [tester], '+15551230003', { ownerVerified: false, ringPeople: false });
    expect(plan.calls.map((c) => c.id)).toEqual(['unknown-caller', 'whitelisted-caller', 'buzzer-agent']);
    expect(describePlan(plan).join('\n')).toContain("owner's menu answers: skipped, +15551239000 is not a verified caller ID");
  });

  it('--ring-people: the plan warns that tenants ring, and their legs are in the estimate; without it the buzz is a check buzz', () => {
    const withTenants: HomephoneConfig = { ...config, buzzer: { number: '+15551230002', tenants: [{ name: 'Alex', number: '+15551110000' }] } };
    const quiet = buildPlan(withTenants, [tester], '+15551230003');
    const loud = buildPlan(withTenants, [tester], '+15551230003', { ownerVerified: true, ringPeople: true });
    expect(describePlan(quiet).join('\n')).toContain('a check buzz: the agent answers it without ringing a tenant');
    expect(describePlan(quiet).join('\n')).not.toContain('WARNING');
    expect(describePlan(loud).join('\n')).toContain("WARNING --ring-people: the buzzer call is a REAL buzz: the tenants' phones ring (+15551110000)");
    expect(loud.costUsd - quiet.costUsd).toBeCloseTo(RATES_USD_PER_MINUTE.outbound, 4);
    expect(describePlan(quiet).at(-1)).toContain(PRICES_SOURCE);
  });
});

