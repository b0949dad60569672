// No visitor stranded: the REST request that plays the door digits on the visitor's call fails
// (500, hangs, or takes effect and loses its answer), and the tenant-leg move fails. The twin's
// faults make each happen; the transcript shows the door opening exactly once, or the truth told.
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultKind } from '@homephone/twin';
import { MESSAGES } from '../../src/agent/index.js';
import { ALEX, SAM, callTo, doorDigits, eventsOf, said, secondsAt, sms, startBuzzer, type BuzzerHarness } from './harness.js';

let h: BuzzerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TALK_THEN_OPEN = { answerAfter: 3, press: [{ digits: '1', at: 2 }, { digits: '*', at: 20 }, { digits: '9', at: 21 }], hangupAfter: 60 };
const callPath = (sid: string) => `/api/2010-04-01/Accounts/*/Calls/${sid}.json`;

describe('the door request fails', () => {
  it.each<[FaultKind, string]>([
    ['500', 'answers 500'],
    ['hang', 'never answers'],
  ])('a %s fault (it %s): the visitor\'s next hold request gets the door instead; it opens once and Alex is told so', async (fault) => {
    // A hung request is given up after 3 s of wall time (the SDK's own default is 30 s).
    h = await startBuzzer(fault === 'hang' ? { restTimeoutMs: 3000 } : {});
    h.twin.engine.phones.set(ALEX, TALK_THEN_OPEN);
    h.twin.engine.phones.set(SAM, { answerAfter: 10 });
    const r = await h.buzzWith((visitor) => h!.twin.admin.addFault({ method: 'POST', path: callPath(visitor), fault }));
    const visitor = r.callSid;
    const [alex] = callTo(r, ALEX);
    expect(h.twin.admin.faults()[0]?.fired).toBe(1);
    expect(h.logs.find((l) => l.event === 'buzz.open-request-failed')).toBeDefined();
    expect(h.logs.find((l) => l.event === 'buzz.door-served')).toMatchObject({ via: 'hold request' });
    // No REST update reached the visitor's call: the door TwiML came in a hold request's answer.
    expect(eventsOf(r, visitor, 'redirect').filter((e) => e.text === 'new TwiML via REST')).toEqual([]);
    expect(doorDigits(r, visitor).map((e) => e.data.digits)).toEqual(['ww9']);
    expect(said(r, alex).slice(-1)).toEqual([MESSAGES.doorOpenedTenant]);
    expect(sms(r)).toEqual([{ to: SAM, body: 'Front door opened at 14:02 by Alex.' }]);
    expect(h.logs.filter((l) => l.event === 'buzz.opened')).toHaveLength(1);
  });

  it('it takes effect and its answer is lost: the door opens once and Alex is NOT told it failed', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, TALK_THEN_OPEN);
    const r = await h.buzzWith((visitor) => h!.twin.admin.addFault({ method: 'POST', path: callPath(visitor), fault: 'after-drop' }));
    const visitor = r.callSid;
    const [alex] = callTo(r, ALEX);
    expect(h.twin.admin.faults()[0]?.fired).toBe(1);
    expect(h.logs.find((l) => l.event === 'buzz.open-request-failed')).toBeDefined();
    // The update was applied (the visitor's call took the door TwiML), so no hold request came.
    expect(eventsOf(r, visitor, 'redirect').filter((e) => e.text === 'new TwiML via REST')).toHaveLength(1);
    expect(h.logs.find((l) => l.event === 'buzz.door-served')).toBeUndefined();
    expect(doorDigits(r, visitor)).toHaveLength(1);
    expect(said(r, alex)).toEqual([MESSAGES.tenantPrompt, MESSAGES.starMenu, MESSAGES.opening, MESSAGES.doorOpenedTenant]);
    expect(said(r, alex)).not.toContain(MESSAGES.doorFailedTenant);
    expect(h.logs.filter((l) => l.event === 'buzz.opened')).toMatchObject([{ tenant: 'Alex' }]);
  });

  it('the visitor hung up just before: the tenant hears the truth and no door is played', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { ...TALK_THEN_OPEN, press: [{ digits: '1', at: 2 }, { digits: '*', at: 20 }, { digits: '9', at: 23 }] });
    const r = await h.buzz({ hangupAfter: 24 });
    const [alex] = callTo(r, ALEX);
    expect(doorDigits(r, r.callSid)).toEqual([]);
    expect(said(r, alex).slice(-1)[0]).toMatch(/^(The visitor has hung up|Sorry, the visitor hung up)/);
    expect(h.logs.find((l) => l.event === 'buzz.opened')).toBeUndefined();
  });
});

describe('moving the accepted tenant fails', () => {
  it('a 500 on the first try: the same TwiML is sent again and they talk in the room', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    h.twin.admin.addFault({ method: 'POST', path: '/api/2010-04-01/Accounts/*/Calls/*.json', fault: '500' });
    const r = await h.buzz();
    const [alex] = callTo(r, ALEX);
    expect(h.twin.admin.faults()[0]?.fired).toBe(1);
    expect(eventsOf(r, alex, 'conference-join')).toHaveLength(1);
    expect(eventsOf(r, r.callSid, 'conference-join')).toHaveLength(1);
    expect(h.logs.find((l) => l.event === 'tenant.move-failed')).toBeUndefined();
  });

  it('every try fails after a 1: they talk over the direct bridge, and when Alex hangs up the visitor is told', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '1', at: 2 }], hangupAfter: 20 });
    h.twin.admin.addFault({ method: 'POST', path: '/api/2010-04-01/Accounts/*/Calls/CA*.json', fault: '500', times: 3 });
    const r = await h.buzz();
    const [alex] = callTo(r, ALEX);
    expect(h.logs.find((l) => l.event === 'tenant.move-failed')).toBeDefined();
    expect(eventsOf(r, r.callSid, 'dial').some((e) => e.text === `connected to ${ALEX}`)).toBe(true);
    expect(eventsOf(r, alex, 'conference-join')).toHaveLength(0);
    const told = eventsOf(r, r.callSid, 'say').find((e) => e.data.text === MESSAGES.talkerGoneVisitor);
    expect(secondsAt(r, told)).toBe(23);
    expect(eventsOf(r, r.callSid, 'conference-join')).toHaveLength(0);
  });

  it('every try fails after a 9: the door request goes to the visitor\'s call itself, and Alex is texted', async () => {
    h = await startBuzzer();
    h.twin.engine.phones.set(ALEX, { answerAfter: 3, press: [{ digits: '9', at: 2 }] });
    h.twin.engine.phones.set(SAM, { answerAfter: 12 });
    // The three tries to move Alex's leg fail; the door request that follows goes through.
    h.twin.admin.addFault({ method: 'POST', path: '/api/2010-04-01/Accounts/*/Calls/CA*.json', fault: '500', times: 3 });
    const r = await h.buzz();
    const visitor = r.callSid;
    expect(h.logs.find((l) => l.event === 'tenant.move-failed')).toBeDefined();
    expect(doorDigits(r, visitor).map((e) => e.data.digits)).toEqual(['ww9']);
    expect(secondsAt(r, doorDigits(r, visitor)[0])).toBeLessThan(10);
    expect(sms(r).map((m) => m.to).sort()).toEqual([ALEX, SAM].sort());
    expect(sms(r)[0]?.body).toBe('Front door opened at 14:02 by Alex.');
  });
});
