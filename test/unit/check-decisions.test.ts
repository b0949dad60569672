// The check judges a row from the decision logged for ITS call: a household call decided at the
// same moment (the logs are read by time) must not stand in for it.
import { describe, expect, it } from 'vitest';
import { judgeOwner, judgeUnknown, type Evidence, type Facts } from '../../src/check/judge.js';
import type { CallRecord, DecisionRecord } from '../../src/check/records.js';

const HOME = '+15551230001';
const OWNER = '+15551239000';
const TESTER = '+15551230003';
const at = new Date('2026-12-01T20:00:00Z');

const facts: Facts = {
  sipUri: 'sip:homephone@myhome.sip.twilio.com',
  ownerCell: OWNER,
  publicUrl: null,
  domain: 'homephone-1234-dev.twil.io',
  registrationsMapped: true,
  tenants: [],
};

const call = (sid: string, from: string, direction: string): CallRecord => ({
  sid,
  from,
  to: HOME,
  status: 'completed',
  direction,
  parentCallSid: null,
  dateCreated: at,
  endTime: at,
});

function evidence(from: string, decisions: DecisionRecord[]): Evidence {
  const caller = call('CA00000000000000000000000000000001', from, 'outbound-api');
  const inbound = call('CA00000000000000000000000000000002', from, 'inbound');
  return {
    w: { caller, inbound, legs: [], seen: new Map(), endedBy: null, since: at },
    alerts: [],
    decisions,
    studio: [],
    rooms: [],
  };
}

const OURS = 'CA00000000000000000000000000000002';
const OTHER = 'CA0000000000000000000000000000ffff';

describe('check: decisions are matched to the check’s own call', () => {
  it('the owner menu passes on its own decision and not on another call’s', () => {
    const menu = (callSid: string): DecisionRecord => ({ call: 'owner', path: 'owner-menu', reason: '1 call(s) in progress', callSid });
    expect(judgeOwner(evidence(OWNER, [menu(OURS)]), facts).verdict).toBe('pass');
    const other = judgeOwner(evidence(OWNER, [menu(OTHER)]), facts);
    expect(other.verdict).toBe('fail');
    expect(other.seen).toBe('no decision was logged');
  });

  it('an unknown caller is not judged refused on another call’s refusal from the same number', () => {
    const refused = (callSid?: string): DecisionRecord => ({ call: 'inbound', path: 'not-whitelisted', from: TESTER, ...(callSid ? { callSid } : {}) });
    expect(judgeUnknown(evidence(TESTER, [refused(OURS)]), facts).verdict).toBe('pass');
    expect(judgeUnknown(evidence(TESTER, [refused(OTHER)]), facts).verdict).toBe('fail');
    // A deployment from before decisions carried the CallSid is still matched by caller.
    expect(judgeUnknown(evidence(TESTER, [refused()]), facts).verdict).toBe('pass');
  });
});
