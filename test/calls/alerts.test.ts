// Alerts to the owner (homephone alerts), on a deployed twin: the deployed Functions text the
// owner's cell from the home number when an unknown number calls or a whitelisted call is missed,
// once per call however often Twilio repeats a webhook, at most N texts a local day, and gather
// unknown callers into a digest sent lazily by the first alert event after the digest time. The
// texts are read from the twin's record of the Messages API.
import { afterEach, describe, expect, it } from 'vitest';
import type { HomephoneConfig } from '../../src/config/schema.js';
import { twinClient } from '@homephone/twin';
import { alertsLib } from '../../src/alerts/settings.js';
import { BOB, GRANDMA, HOME, household, householdConfig, local, OWNER, STRANGER, TZ, type Household } from './helpers.js';

let h: Household | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const withAlerts = (alerts: HomephoneConfig['alerts'], household: Parameters<typeof householdConfig>[0] = {}): HomephoneConfig => ({
  ...householdConfig(household),
  ...(alerts ? { alerts } : {}),
});

/** Texts to the owner's cell, oldest first. */
const texts = () => [...h!.twin.state.messages.values()].map((m) => m.json).filter((m) => m.to === OWNER);

/** Asks a deployed Function again, as Twilio does when it retries a webhook (signed, same CallSid). */
async function replay(path: string, params: Record<string, string>) {
  const res = await h!.twin.engine.webhooks.send({ url: `https://${h!.domain}${path}`, method: 'POST', params });
  expect(res.status, res.body).toBe(200);
  return res;
}

const strangers = (n: number) => Array.from({ length: n }, (_, i) => `+1555000${String(1000 + i)}`);

describe('an unknown number calls', () => {
  it('texts the owner once, from the home number, with the number in full', async () => {
    h = await household({ start: '2026-11-20 14:02', config: withAlerts({ enabled: true }) });
    const r = await h.call({ to: 'home', from: STRANGER });
    expect(r.decision?.path).toBe('not-whitelisted');
    const sent = texts();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe(HOME);
    expect(sent[0]!.body).toBe(`homephone: ${STRANGER} called the home phone at 14:02 and was turned away (not on the whitelist).`);
    // The transcript shows the text as part of the scenario.
    expect(r.events.some((e) => e.type === 'sms' && e.data.to === OWNER)).toBe(true);
  });

  it('costs the Function three Sync requests and one message (four on the first text of a day)', async () => {
    h = await household({ start: '2026-11-20 14:02', config: withAlerts({ enabled: true }) });
    const alertRequests = () => {
      const log = h!.twin.log.all();
      h!.twin.log.clear();
      // The owner's texted overrides (lib/live-household.js) are read on every call: not the alert's.
      return log.filter((r) => (r.path.includes('/Documents') && !r.path.endsWith('/household-overrides')) || r.path.endsWith('/Messages.json')).map((r) => `${r.method} ${r.path.replace(/\/(IS|ET)[0-9a-f]{32}/g, '/$1').replace(/\/AC[0-9a-f]{32}/, '')}`);
    };
    h.twin.log.clear();
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(alertRequests()).toEqual([
      'POST /v1/Services/IS/Documents', // the claim: alert-unknown-<CallSid>
      'GET /v1/Services/IS/Documents/alerts-day-2026-11-20', // 404: the day's first
      'POST /v1/Services/IS/Documents',
      'POST /v1/Services/IS/Documents/alerts-day-2026-11-20', // If-Match
      'POST /2010-04-01/Accounts/Messages.json',
    ]);
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(alertRequests()).toEqual([
      'POST /v1/Services/IS/Documents',
      'GET /v1/Services/IS/Documents/alerts-day-2026-11-20',
      'POST /v1/Services/IS/Documents/alerts-day-2026-11-20',
      'POST /2010-04-01/Accounts/Messages.json',
    ]);
  });

  it('says the caller could leave a voicemail when voicemail is on', async () => {
    h = await household({ start: '2026-11-20 14:02', config: withAlerts({ enabled: true }, { voicemail: true }) });
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(texts().map((m) => m.body)).toEqual([`homephone: ${STRANGER} called the home phone at 14:02 and was turned away (not on the whitelist). They could leave a voicemail.`]);
  });

  it("a repeated webhook for the same call texts nothing more; another call does", async () => {
    h = await household({ start: '2026-11-20 14:00', config: withAlerts({ enabled: true }) });
    const r = await h.call({ to: 'home', from: STRANGER });
    expect(texts()).toHaveLength(1);
    const params = { CallSid: r.callSid, From: STRANGER, To: HOME, AccountSid: h.twin.credentials.accountSid, CallStatus: 'in-progress', Direction: 'inbound' };
    const again = await replay('/incoming', params);
    expect(again.body).toContain('<Say>'); // the caller is still answered
    await replay('/incoming', params);
    expect(texts()).toHaveLength(1);
    await h.call({ to: 'home', from: STRANGER });
    expect(texts()).toHaveLength(2);
  });

  it('a whitelisted caller, the owner and a call at bedtime text nothing, and cost no alert request', async () => {
    h = await household({ start: '2026-11-20 23:30', config: withAlerts({ enabled: true }) });
    h.twin.log.clear();
    await h.call({ to: 'home', from: GRANDMA, hangupAfter: 10 });
    await h.call({ to: 'home', from: BOB, hangupAfter: 10 }); // bedtime: turned away, but known
    await h.call({ to: 'home', from: OWNER, hangupAfter: 10 });
    expect(texts()).toEqual([]);
    // Only the history's List was written (and the texted overrides read): no alert Document.
    const sync = h.twin.log.all().filter((r) => r.product === 'sync');
    expect(sync.length).toBeGreaterThan(0);
    expect(sync.filter((r) => r.path.includes('/Documents') && !r.path.endsWith('/household-overrides'))).toEqual([]);
  });
});

describe('a whitelisted call nobody answers', () => {
  it('texts the owner once, naming the contact, even when the Dial action is repeated', async () => {
    h = await household({ start: '2026-11-20 15:10', config: withAlerts({ enabled: true }) });
    h.twin.engine.phones.set(OWNER, { behaviour: 'no-answer' });
    const r = await h.call({ to: 'home', from: BOB, phone: 'no-answer', hangupAfter: 90 });
    expect(r.decisions.map((d) => d.path)).toContain('ring');
    const sent = texts();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe(HOME);
    expect(sent[0]!.body).toMatch(/^homephone: missed call from Uncle Bob \(\+15555550100\) at 15:1\d: nobody answered the home phone or your cell\.$/);
    await replay('/fallback-owner', { CallSid: r.callSid, From: BOB, To: HOME, DialCallStatus: 'no-answer', AccountSid: h.twin.credentials.accountSid });
    expect(texts()).toHaveLength(1);
  });

  it('a call the owner answers on the cell is not missed', async () => {
    h = await household({ start: '2026-11-20 15:10', config: withAlerts({ enabled: true }) });
    await h.call({ to: 'home', from: BOB, phone: 'unregistered', hangupAfter: 40 });
    expect(texts()).toEqual([]);
  });

  it('--missed off: no text for it, while unknown callers still text', async () => {
    h = await household({ start: '2026-11-20 15:10', config: withAlerts({ enabled: true, missed: false }) });
    h.twin.engine.phones.set(OWNER, { behaviour: 'no-answer' });
    await h.call({ to: 'home', from: BOB, phone: 'no-answer', hangupAfter: 90 });
    expect(texts()).toEqual([]);
    await h.call({ to: 'home', from: STRANGER });
    expect(texts()).toHaveLength(1);
  });
});

describe('alerts off', () => {
  it('is the default: no text for an unknown caller or a missed call, and no Sync documents for alerts', async () => {
    h = await household({ start: '2026-11-20 15:10', config: withAlerts(undefined) });
    h.twin.engine.phones.set(OWNER, { behaviour: 'no-answer' });
    await h.call({ to: 'home', from: STRANGER });
    await h.call({ to: 'home', from: BOB, phone: 'no-answer', hangupAfter: 90 });
    expect(texts()).toEqual([]);
    const docs = [...h.twin.state.syncServices.values()].flatMap((s) => [...s.documents.values()].map((d) => d.json.unique_name));
    expect(docs.filter((n) => n?.startsWith('alert'))).toEqual([]);
  });

  it('switched off in the configuration (enabled false, settings kept): nothing is texted', async () => {
    h = await household({ start: '2026-11-20 15:10', config: withAlerts({ enabled: false, unknown: 'immediate', maxPerDay: 3 }) });
    await h.call({ to: 'home', from: STRANGER });
    expect(texts()).toEqual([]);
  });
});

describe('the daily limit', () => {
  it('sends at most N texts a local day, the last saying so; the next day starts again', async () => {
    h = await household({ start: '2026-11-20 10:00', config: withAlerts({ enabled: true, maxPerDay: 3 }) });
    const numbers = strangers(5);
    for (const from of numbers) await h.call({ to: 'home', from, hangupAfter: 10 });
    const sent = texts();
    expect(sent).toHaveLength(3);
    expect(sent.map((m) => m.body.includes(numbers[sent.indexOf(m)]!))).toEqual([true, true, true]);
    expect(sent[0]!.body).not.toContain('no more alerts');
    expect(sent[2]!.body).toContain('(Alert 3 of 3 today: no more alerts until tomorrow. homephone calls lists every call.)');

    // Midnight in the household's zone (New York), not UTC: 23:50 is still the same day.
    await h.moveTo('2026-11-20 23:50');
    await h.call({ to: 'home', from: strangers(6)[5]!, hangupAfter: 10 });
    expect(texts()).toHaveLength(3);
    await h.moveTo('2026-11-21 00:05');
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(texts()).toHaveLength(4);
    expect(texts()[3]!.body).toContain(`${STRANGER} called the home phone at 00:05`);
  });

  it('calls at the same instant cannot take more than the day allows (conditional updates)', async () => {
    h = await household({ start: '2026-11-20 10:00', config: withAlerts({ enabled: true, maxPerDay: 2 }) });
    // Six alerts at once, through the same library the Functions run, on the twin's Sync: their
    // reads of the day's count interleave, and only If-Match updates keep the count right.
    const service = [...h.twin.state.syncServices.values()][0]!.json.sid;
    const client = twinClient({ ...h.twin.credentials, twinUrl: h.twin.url });
    const context = {
      ALERTS: JSON.stringify({ unknown: 'immediate', missed: true, maxPerDay: 2, digestAt: '20:00' }),
      SYNC_SERVICE_SID: service,
      OWNER_CELL: OWNER,
      HOME_NUMBER: HOME,
      TIME_ZONE: TZ,
      getTwilioClient: () => client,
    };
    const at = local('2026-11-20 10:00').getTime();
    const sid = (n: number) => `CA${String(n).padStart(32, '0')}`;
    await Promise.all(strangers(6).map((from, i) => alertsLib.notify(context as never, { kind: 'unknown', call: sid(i), from, at })));
    const sent = texts();
    expect(sent).toHaveLength(2);
    expect(sent.filter((m) => m.body.includes('Alert 2 of 2 today'))).toHaveLength(1);
    const day = [...h.twin.state.syncServices.values()][0]!.documents;
    const counter = [...day.values()].find((d) => d.json.unique_name === 'alerts-day-2026-11-20');
    expect(counter?.json.data).toEqual({ sent: 2, suppressed: 4 });
  });
});

describe('the digest', () => {
  it("gathers the day's unknown callers, and the first alert event after the digest time sends it", async () => {
    h = await household({ start: '2026-11-20 09:00', config: withAlerts({ enabled: true, unknown: 'digest', digestAt: '20:00' }) });
    const [other] = strangers(1);
    const first = await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    // A repeated webhook does not count the call twice in the digest.
    await replay('/incoming', { CallSid: first.callSid, From: STRANGER, To: HOME, AccountSid: h.twin.credentials.accountSid });
    await h.moveTo('2026-11-20 11:15');
    await h.call({ to: 'home', from: other!, hangupAfter: 10 });
    await h.moveTo('2026-11-20 13:40');
    await h.call({ to: 'home', from: STRANGER, hangupAfter: 10 });
    expect(texts()).toEqual([]);

    // A missed call before the digest time is texted at once; the digest is not due yet.
    h.twin.engine.phones.set(OWNER, { behaviour: 'no-answer' });
    await h.call({ to: 'home', from: BOB, phone: 'no-answer', hangupAfter: 90 });
    expect(texts().map((m) => m.body)).toEqual([expect.stringMatching(/^homephone: missed call from Uncle Bob/)]);

    // After 20:00 the next unknown caller sends the digest (and waits for tomorrow's).
    await h.moveTo('2026-11-20 20:30');
    const late = strangers(2)[1]!;
    await h.call({ to: 'home', from: late, hangupAfter: 10 });
    const sent = texts();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.from).toBe(HOME);
    expect(sent[1]!.body).toBe(
      [
        'homephone digest: 3 calls from 2 numbers not on the whitelist, turned away:',
        `${STRANGER} x2 (last 13:40)`,
        `${other} (last 11:15)`,
      ].join('\n'),
    );
    expect(sent[1]!.body).not.toContain(late);

    // The late caller is in tomorrow's digest, sent by tomorrow's first alert event after 20:00.
    await h.moveTo('2026-11-21 20:01');
    h.twin.engine.phones.set(OWNER, { behaviour: 'no-answer' });
    await h.call({ to: 'home', from: BOB, phone: 'no-answer', hangupAfter: 90 });
    const next = texts().slice(2).map((m) => m.body);
    expect(next).toEqual([
      `homephone digest: 1 call from 1 number not on the whitelist, turned away:\n${late} (last 20:30)`,
      expect.stringMatching(/^homephone: missed call from Uncle Bob .* at 20:0\d/),
    ]);
  });
});
