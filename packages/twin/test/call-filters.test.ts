// The Calls list filters a check reads Twilio's records with: To, From, Status, ParentCallSid and
// the StartTime/EndTime dates with their inequalities, through the real SDK (which sends
// `StartTime>` for startTimeAfter) and as raw `StartTime>=YYYY-MM-DD` queries. Every filter the twin
// takes is a parameter Twilio's OpenAPI declares for ListCall.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_LIST_FILTERS } from '../src/model/call-filters.js';
import { BUZZER, HOME, startHarness, type Harness } from './helpers.js';

const ANSWERS = '+15550001001';
const NEVER = '+15550001002';

let h: Harness;
let a: string; // answered on 10 March (22:00:03 UTC), ended the same day
let b: string; // answered on 11 March, ended the same day
let c: string; // never answered (no-answer) on 11 March: it has no start_time

async function raw(query: string): Promise<{ status: number; body: any }> {
  const auth = Buffer.from(`${h.twin.credentials.accountSid}:${h.twin.credentials.authToken}`).toString('base64');
  const res = await fetch(`${h.twin.url}/api/2010-04-01/Accounts/${h.twin.credentials.accountSid}/Calls.json?${query}`, { headers: { Authorization: `Basic ${auth}` } });
  return { status: res.status, body: await res.json() };
}

const sids = (calls: Array<{ sid: string }>) => calls.map((x) => x.sid);

beforeAll(async () => {
  h = await startHarness({ startTime: new Date('2026-03-10T22:00:00Z') });
  const engine = h.twin.engine;
  engine.phones.set(ANSWERS, { answerAfter: 3, hangupAfter: 10 });
  engine.phones.set(NEVER, { behaviour: 'no-answer' });
  a = (await h.client.calls.create({ from: BUZZER, to: ANSWERS, twiml: '<Response><Pause length="60"/></Response>' })).sid;
  await engine.settle();
  await engine.advance(24 * 3600);
  b = (await h.client.calls.create({ from: HOME, to: ANSWERS, twiml: '<Response><Pause length="60"/></Response>' })).sid;
  c = (await h.client.calls.create({ from: BUZZER, to: NEVER, twiml: '<Response/>', timeout: 15 })).sid;
  await engine.settle();
});
afterAll(async () => {
  await h.twin.close();
});

describe('Calls list filters', () => {
  it('the records the filters work on', async () => {
    expect(await h.client.calls(a).fetch()).toMatchObject({ status: 'completed', startTime: new Date('2026-03-10T22:00:03Z'), endTime: new Date('2026-03-10T22:00:13Z') });
    expect((await h.client.calls(b).fetch()).startTime?.toISOString().slice(0, 10)).toBe('2026-03-11');
    expect(await h.client.calls(c).fetch()).toMatchObject({ status: 'no-answer', startTime: null });
  });

  it('To, From and Status match exactly; newest first', async () => {
    expect(sids(await h.client.calls.list({ to: ANSWERS }))).toEqual([b, a]);
    expect(sids(await h.client.calls.list({ from: BUZZER }))).toEqual([c, a]);
    expect(sids(await h.client.calls.list({ from: BUZZER, to: ANSWERS }))).toEqual([a]);
    expect(sids(await h.client.calls.list({ status: 'no-answer' }))).toEqual([c]);
    expect(sids(await h.client.calls.list({ to: '+1555000' }))).toEqual([]);
  });

  it('StartTime is a date: = that day, >= on or after its midnight, <= at or before its midnight (UTC); a time of day is dropped', async () => {
    expect(sids(await h.client.calls.list({ startTime: new Date('2026-03-10') }))).toEqual([a]);
    expect(sids(await h.client.calls.list({ startTimeAfter: new Date('2026-03-11') }))).toEqual([b]);
    expect(sids(await h.client.calls.list({ startTimeBefore: new Date('2026-03-11') }))).toEqual([a]);
    // The SDK sends ISO date-times; only their date counts (so 23:59 on the 11th still means its midnight).
    expect(sids(await h.client.calls.list({ startTimeBefore: new Date('2026-03-11T23:59:59Z') }))).toEqual([a]);
    expect(sids(await h.client.calls.list({ startTimeAfter: new Date('2026-03-10T23:00:00Z') }))).toEqual([b, a]);
    // The query string Twilio documents: StartTime>=2026-03-11 is the parameter "StartTime>".
    expect(sids((await raw('StartTime>=2026-03-11')).body.calls)).toEqual([b]);
    expect(sids((await raw('StartTime<=2026-03-11&StartTime>=2026-03-10')).body.calls)).toEqual([a]);
  });

  it('a call never answered has no start_time, so no StartTime filter finds it; EndTime does', async () => {
    expect(sids(await h.client.calls.list({ startTimeAfter: new Date('2026-03-01') }))).not.toContain(c);
    expect(sids(await h.client.calls.list({ endTime: new Date('2026-03-11') }))).toEqual([c, b]);
    expect(sids(await h.client.calls.list({ endTimeBefore: new Date('2026-03-11') }))).toEqual([a]);
    expect(sids(await h.client.calls.list({ endTimeAfter: new Date('2026-03-11'), status: 'no-answer' }))).toEqual([c]);
  });

  it('a bad Status or date is refused with 400', async () => {
    expect(await raw('Status=answered')).toMatchObject({ status: 400, body: { code: 20001 } });
    expect(await raw('StartTime>=yesterday')).toMatchObject({ status: 400, body: { code: 20001 } });
    expect(await raw('EndTime=2026-02-30')).toMatchObject({ status: 400, body: { code: 20001 } });
  });

  it("every filter the twin takes is a query parameter of Twilio's ListCall", () => {
    const spec = JSON.parse(readFileSync(new URL('./openapi/twilio_api_v2010.json', import.meta.url), 'utf8'));
    const declared = spec.paths['/2010-04-01/Accounts/{AccountSid}/Calls.json'].get.parameters
      .filter((p: { in: string }) => p.in === 'query')
      .map((p: { name: string }) => p.name);
    expect(CALL_LIST_FILTERS.filter((f) => !declared.includes(f))).toEqual([]);
    // …and the twin takes every filter Twilio declares.
    expect(declared.filter((d: string) => !['PageSize', 'Page', 'PageToken'].includes(d) && !(CALL_LIST_FILTERS as readonly string[]).includes(d))).toEqual([]);
  });
});
