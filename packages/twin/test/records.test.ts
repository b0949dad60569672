// The records a real account keeps, read back through the real SDK exactly as on Twilio: Monitor
// Alerts, Studio Executions with their Steps and Contexts, and Serverless Logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME, startHarness, type Harness } from './helpers.js';
import { CALLER, playRecordedScenario, recordsFlow, STRANGER, type Recorded } from './records-fixture.js';
import { startApp, twiml, type App } from './voice/app.js';
import { deploy } from './voice/deploy.js';

let h: Harness;
let r: Recorded;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  h = await startHarness();
  r = await playRecordedScenario(h);
});
afterAll(async () => {
  await h.twin.close();
});

/** A REST error's HTTP status, through the SDK. */
async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

describe('Monitor Alerts', () => {
  it('records every coded error and warning of the calls, newest first', async () => {
    const alerts = await h.client.monitor.v1.alerts.list();
    const codes = alerts.map((a) => a.errorCode);
    // The stranger's screen warned (82004); the buzzer's Function logged an error (82005) and threw
    // (82002), so the buzzer's voice URL answered 500 (11200); the REST create was refused (21212).
    expect([...codes].sort()).toEqual(['11200', '21212', '82002', '82004', '82005']);
    expect(codes[0]).toBe('21212');
    const dates = alerts.map((a) => a.dateCreated.getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    for (const a of alerts) {
      expect(a.sid).toMatch(/^NO[0-9a-f]{32}$/);
      expect(a.accountSid).toBe(h.twin.credentials.accountSid);
      expect(a.moreInfo).toBe(`https://www.twilio.com/docs/errors/${a.errorCode}`);
      expect(a.dateCreated.getTime()).toBeGreaterThanOrEqual(r.startMs - 1000);
      expect(a.dateCreated.getTime()).toBeLessThanOrEqual(h.twin.clock.nowMs());
      expect(a.url).toBe(`https://monitor.twilio.com/v1/Alerts/${a.sid}`);
    }
  });

  it('names the call, the service, the request and its level', async () => {
    const alerts = await h.client.monitor.v1.alerts.list();
    const by = (code: string) => alerts.find((a) => a.errorCode === code)!;
    const boomUrl = `https://${r.svc.domain}/boom`;
    expect(by('11200')).toMatchObject({ logLevel: 'error', resourceSid: r.buzzerCall, requestUrl: boomUrl, requestMethod: 'POST', serviceSid: null, apiVersion: '2010-04-01' });
    expect(by('82002')).toMatchObject({ logLevel: 'error', resourceSid: r.buzzerCall, requestUrl: boomUrl, requestMethod: 'POST', serviceSid: r.svc.serviceSid });
    expect(by('82005')).toMatchObject({ logLevel: 'error', resourceSid: r.buzzerCall, serviceSid: r.svc.serviceSid });
    expect(by('82005').alertText).toContain('the+household+file+is+missing');
    // The screen ran for the flow's Run Function widget, on the stranger's call.
    expect(by('82004')).toMatchObject({ logLevel: 'warning', resourceSid: r.strangerCall, requestUrl: `https://${r.svc.domain}/screen`, serviceSid: r.svc.serviceSid });
    expect(by('21212')).toMatchObject({
      logLevel: 'error',
      resourceSid: null,
      requestMethod: 'POST',
      requestUrl: `https://api.twilio.com/2010-04-01/Accounts/${h.twin.credentials.accountSid}/Calls.json`,
    });
    expect(Object.fromEntries(new URLSearchParams(by('11200').alertText))).toMatchObject({ ErrorCode: '11200', LogLevel: 'ERROR', url: boomUrl, httpResponse: '500' });
  });

  it('shows the request and the response only when one alert is fetched', async () => {
    const [listed] = await h.client.monitor.v1.alerts.list({ logLevel: 'error', limit: 50 }).then((l) => l.filter((a) => a.errorCode === '11200'));
    expect(listed!.responseBody).toBeUndefined();
    const raw = await h.client.request({ method: 'get', uri: 'https://monitor.twilio.com/v1/Alerts' });
    expect(Object.keys((raw.body as { alerts: object[] }).alerts[0]!)).not.toContain('response_body');
    const alert = await h.client.monitor.v1.alerts(listed!.sid).fetch();
    expect(alert.responseBody).toContain('kaboom');
    expect(new URLSearchParams(alert.requestVariables).get('CallSid')).toBe(r.buzzerCall);
    expect(new URLSearchParams(alert.requestVariables).get('From')).toBe(CALLER);
    expect(new URLSearchParams(alert.responseHeaders).get('content-type')).toMatch(/json/);
    expect(new URLSearchParams(alert.requestHeaders).get('User-Agent')).toBe('TwilioProxy/1.1');
    // A Function's 82002 is raised before its answer goes out; the fetch shows the answer all the same.
    const thrown = (await h.client.monitor.v1.alerts.list()).find((a) => a.errorCode === '82002')!;
    const failed = await h.client.monitor.v1.alerts(thrown.sid).fetch();
    expect(failed.responseBody).toContain('kaboom');
    expect(new URLSearchParams(failed.requestVariables).get('CallSid')).toBe(r.buzzerCall);
    const refused = (await h.client.monitor.v1.alerts.list()).find((a) => a.errorCode === '21212')!;
    const rest = await h.client.monitor.v1.alerts(refused.sid).fetch();
    expect(new URLSearchParams(rest.requestVariables).get('From')).toBe('not-a-number');
    expect(rest.responseBody).toBeNull();
  });

  it('filters by LogLevel, StartDate and EndDate', async () => {
    const warnings = await h.client.monitor.v1.alerts.list({ logLevel: 'warning' });
    expect(warnings.map((a) => a.errorCode)).toEqual(['82004']);
    const later = new Date(h.twin.clock.nowMs() + 1000);
    expect(await h.client.monitor.v1.alerts.list({ startDate: later })).toEqual([]);
    expect(await h.client.monitor.v1.alerts.list({ endDate: new Date(r.startMs - 1000) })).toEqual([]);
    const all = await h.client.monitor.v1.alerts.list({ startDate: new Date(r.startMs - 1000), endDate: later });
    expect(all).toHaveLength(5);
    // A bare date covers its whole day as an end date.
    const today = iso(h.twin.clock.nowMs()).slice(0, 10);
    const raw = await h.client.request({ method: 'get', uri: `https://monitor.twilio.com/v1/Alerts?EndDate=${today}` });
    expect((raw.body as { alerts: unknown[] }).alerts).toHaveLength(5);
  });

  it('refuses bad filters and unknown alerts like Twilio', async () => {
    const bad = await h.client.request({ method: 'get', uri: 'https://monitor.twilio.com/v1/Alerts?StartDate=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect((bad.body as { code: number }).code).toBe(20001);
    const level = await h.client.request({ method: 'get', uri: 'https://monitor.twilio.com/v1/Alerts?LogLevel=fatal' });
    expect(level.statusCode).toBe(400);
    expect(await statusOf(h.client.monitor.v1.alerts(`NO${'0'.repeat(32)}`).fetch())).toBe(404);
  });
});

describe('Studio Executions', () => {
  it('records one execution per call that runs the flow, newest first', async () => {
    const executions = await h.client.studio.v2.flows(r.flowSid).executions.list();
    expect(executions.map((e) => e.contactChannelAddress)).toEqual([STRANGER, CALLER]);
    for (const e of executions) {
      expect(e.sid).toMatch(/^FN[0-9a-f]{32}$/);
      expect(e.status).toBe('ended');
      expect(e.flowSid).toBe(r.flowSid);
      expect(e.context).toEqual({});
    }
    const one = await h.client.studio.v2.flows(r.flowSid).executions(executions[1]!.sid).fetch();
    expect(one.toJSON()).toMatchObject({ sid: executions[1]!.sid, contactChannelAddress: CALLER, status: 'ended' });
    expect(one.links).toEqual({ steps: `${one.url}/Steps`, execution_context: `${one.url}/Context` });
  });

  it('lists the steps the call took: event, transitioned_from, transitioned_to, widget type', async () => {
    const [stranger, caller] = await h.client.studio.v2.flows(r.flowSid).executions.list();
    const steps = (sid: string) => h.client.studio.v2.flows(r.flowSid).executions(sid).steps.list();
    const shape = (s: { name: string; transitionedFrom: string; transitionedTo: string; type: string }) => [s.name, s.transitionedFrom, s.transitionedTo, s.type];
    // As in Twilio's Step example ("name": "incomingRequest", "transitioned_from": "Trigger",
    // "transitioned_to": "Ended", "type": "trigger"): the type is the widget that ran.
    expect((await steps(caller!.sid)).map(shape)).toEqual([
      ['incomingCall', 'Trigger', 'check', 'trigger'],
      ['success', 'check', 'route', 'run-function'],
      ['match', 'route', 'hello', 'split-based-on'],
      ['audioComplete', 'hello', 'Ended', 'say-play'],
    ]);
    expect((await steps(stranger!.sid)).map(shape)).toEqual([
      ['incomingCall', 'Trigger', 'check', 'trigger'],
      ['success', 'check', 'route', 'run-function'],
      ['noMatch', 'route', 'sorry', 'split-based-on'],
      ['audioComplete', 'sorry', 'Ended', 'say-play'],
    ]);
    // A step is dated when its widget was entered: the say-play's step before its audio ended.
    const last = (await steps(caller!.sid)).at(-1)!;
    expect(last.dateCreated.getTime()).toBeLessThan(last.dateUpdated.getTime());
    const [first] = await steps(caller!.sid);
    const fetched = await h.client.studio.v2.flows(r.flowSid).executions(caller!.sid).steps(first!.sid).fetch();
    expect(fetched.toJSON()).toMatchObject({ sid: first!.sid, executionSid: caller!.sid, flowSid: r.flowSid, parentStepSid: null, context: {} });
  });

  it('serves the execution context and each step context as it was then', async () => {
    const [, caller] = await h.client.studio.v2.flows(r.flowSid).executions.list();
    const x = h.client.studio.v2.flows(r.flowSid).executions(caller!.sid);
    const context = await x.executionContext().fetch();
    expect(context.context).toMatchObject({
      trigger: { call: { From: CALLER, CallSid: r.homeCall } },
      widgets: { check: { status_code: 200, parsed: { allowed: true } } },
      flow: { flow_sid: r.flowSid, sid: caller!.sid },
    });
    const steps = await x.steps.list();
    const before = await x.steps(steps[0]!.sid).stepContext().fetch();
    expect((before.context as { widgets: object }).widgets).toEqual({});
    const after = await x.steps(steps[1]!.sid).stepContext().fetch();
    expect(after.context).toMatchObject({ widgets: { check: { parsed: { allowed: true } } } });
    expect(after.stepSid).toBe(steps[1]!.sid);
  });

  it('filters by DateCreatedFrom (on or after) and DateCreatedTo (before)', async () => {
    const list = (q: object) => h.client.studio.v2.flows(r.flowSid).executions.list(q);
    const all = await list({});
    const newest = all[0]!.dateCreated;
    expect(await list({ dateCreatedFrom: new Date(h.twin.clock.nowMs() + 1000) })).toEqual([]);
    expect((await list({ dateCreatedFrom: newest })).map((e) => e.sid)).toContain(all[0]!.sid);
    expect((await list({ dateCreatedTo: new Date(r.startMs - 1000) }))).toEqual([]);
    expect(await statusOf(h.client.studio.v2.flows(r.flowSid).executions(`FN${'0'.repeat(32)}`).fetch())).toBe(404);
  });
});

describe('Serverless Logs', () => {
  const logs = () => h.client.serverless.v1.services(r.svc.serviceSid).environments(r.svc.environmentSid).logs;

  it('records every console line with its level, Function, request, build and deployment', async () => {
    const list = await logs().list();
    const lines = [...list].reverse().map((l) => [l.level, l.functionSid, l.message]);
    expect(lines).toEqual([
      ['INFO', r.screenSid, JSON.stringify({ homephone: 'decision', path: 'whitelisted', from: CALLER })],
      ['INFO', r.screenSid, JSON.stringify({ homephone: 'decision', path: 'not-whitelisted', from: STRANGER })],
      ['WARN', r.screenSid, `refusing ${STRANGER}`],
      ['ERROR', r.boomSid, 'the household file is missing'],
    ]);
    const [deployment] = await h.client.serverless.v1.services(r.svc.serviceSid).environments(r.svc.environmentSid).deployments.list();
    for (const l of list) {
      expect(l.sid).toMatch(/^NO[0-9a-f]{32}$/);
      expect(l.requestSid).toMatch(/^RQ[0-9a-f]{32}$/);
      expect(l).toMatchObject({ serviceSid: r.svc.serviceSid, environmentSid: r.svc.environmentSid, buildSid: r.svc.buildSid, deploymentSid: deployment!.sid });
      expect(l.toJSON().dateCreated).toBeInstanceOf(Date);
    }
    // One request SID per invocation: the stranger's decision and warning share one.
    const [, strangerInfo, strangerWarn, boom] = [...list].reverse();
    expect(strangerInfo!.requestSid).toBe(strangerWarn!.requestSid);
    expect(new Set(list.map((l) => l.requestSid)).size).toBe(3);
    expect(boom!.requestSid).not.toBe(strangerInfo!.requestSid);
    const fetched = await logs()(list[0]!.sid).fetch();
    expect(fetched.toJSON()).toEqual(list[0]!.toJSON());
  });

  it('filters by FunctionSid, StartDate and EndDate', async () => {
    expect((await logs().list({ functionSid: r.boomSid })).map((l) => l.message)).toEqual(['the household file is missing']);
    expect(await logs().list({ startDate: new Date(h.twin.clock.nowMs() + 1000) })).toEqual([]);
    expect(await logs().list({ endDate: new Date(r.startMs - 1000) })).toEqual([]);
    expect(await statusOf(logs()(`NO${'0'.repeat(32)}`).fetch())).toBe(404);
  });
});

describe('records that trail the calls (state.recordsLagSeconds)', () => {
  it('an Alert or a Log line is neither listed nor fetched until the lag has passed in virtual time', async () => {
    const logs = h.client.serverless.v1.services(r.svc.serviceSid).environments(r.svc.environmentSid).logs;
    const since = new Date(r.startMs - 1000);
    const [alert] = await h.client.monitor.v1.alerts.list();
    const [line] = await logs.list({ startDate: since });
    const elapsed = Math.ceil((h.twin.clock.nowMs() - r.startMs) / 1000);
    h.twin.state.recordsLagSeconds = elapsed + 60;
    try {
      expect(await h.client.monitor.v1.alerts.list()).toEqual([]);
      expect(await statusOf(h.client.monitor.v1.alerts(alert!.sid).fetch())).toBe(404);
      expect(await logs.list({ startDate: since })).toEqual([]);
      expect(await statusOf(logs(line!.sid).fetch())).toBe(404);
      await h.twin.engine.advance(elapsed + 61);
      expect(await h.client.monitor.v1.alerts.list()).toHaveLength(5);
      expect(await logs.list({ startDate: since })).toHaveLength(4);
    } finally {
      h.twin.state.recordsLagSeconds = 0;
    }
  });
});

describe('retention', () => {
  it('lists a day of logs by default and keeps every record 30 days', async () => {
    const logs = h.client.serverless.v1.services(r.svc.serviceSid).environments(r.svc.environmentSid).logs;
    await h.twin.engine.advance(2 * 86_400);
    expect(await logs.list()).toEqual([]);
    expect(await logs.list({ startDate: new Date(r.startMs - 1000) })).toHaveLength(4);
    expect(await h.client.monitor.v1.alerts.list()).toHaveLength(5);
    expect(await h.client.studio.v2.flows(r.flowSid).executions.list()).toHaveLength(2);
    await h.twin.engine.advance(29 * 86_400);
    expect(await logs.list({ startDate: new Date(r.startMs - 1000) })).toEqual([]);
    expect(await h.client.monitor.v1.alerts.list()).toEqual([]);
    expect(await h.client.studio.v2.flows(r.flowSid).executions.list()).toEqual([]);
  });
});

describe('alerts from a flow, a dialled SIP phone and an audio file', () => {
  let h2: Harness;
  let app: App;
  beforeAll(async () => {
    h2 = await startHarness();
    app = await startApp(() => h2.twin.credentials.authToken);
  });
  afterAll(async () => {
    await h2.twin.close();
    await app.close();
  });
  const number = async (phone: string) => (await h2.client.incomingPhoneNumbers.list({ phoneNumber: phone }))[0]!;

  it('a Run Function widget whose Function fails: 81017 from the flow, 82002 and 82005 from the service', async () => {
    const svc = await deploy(h2, { service: 'flowfail', functions: [{ path: '/boom', visibility: 'protected', content: `exports.handler = () => { console.error('no household'); throw new Error('kaboom'); };` }] });
    const definition = recordsFlow(svc.domain);
    definition.states[1]!.properties = { url: `https://${svc.domain}/boom`, parameters: [] };
    const flow = await h2.client.studio.v2.flows.create({ friendlyName: 'flowfail', status: 'published', definition });
    await h2.client.incomingPhoneNumbers((await number(HOME)).sid).update({ voiceUrl: flow.webhookUrl });
    const call = await h2.twin.engine.placeCall({ from: CALLER, to: HOME });
    const alerts = await h2.client.monitor.v1.alerts.list();
    expect(alerts.map((a) => a.errorCode).sort()).toEqual(['81017', '82002', '82005']);
    const studio = alerts.find((a) => a.errorCode === '81017')!;
    expect(studio).toMatchObject({ resourceSid: call.callSid, serviceSid: flow.sid, requestUrl: `https://${svc.domain}/boom`, requestMethod: 'POST', logLevel: 'error' });
    expect((await h2.client.monitor.v1.alerts(studio.sid).fetch()).responseBody).toContain('kaboom');
    // The flow took its fail transition: the steps show it.
    const [execution] = await h2.client.studio.v2.flows(flow.sid).executions.list();
    const steps = await h2.client.studio.v2.flows(flow.sid).executions(execution!.sid).steps.list();
    expect(steps.map((s) => `${s.transitionedFrom} -${s.name}-> ${s.transitionedTo}`)).toEqual([
      'Trigger -incomingCall-> check',
      'check -fail-> sorry',
      'sorry -audioComplete-> Ended',
    ]);
  });

  it('an unregistered SIP phone: a 32009 warning on the dialled leg, whose parent is the caller', async () => {
    await h2.twin.admin.reset();
    const domain = await h2.client.sip.domains.create({ domainName: 'records.sip.twilio.com', sipRegistration: true });
    const list = await h2.client.sip.credentialLists.create({ friendlyName: 'phones' });
    await h2.client.sip.credentialLists(list.sid).credentials.create({ username: 'desk', password: 'Secret-Password-1' });
    await h2.client.sip.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: list.sid });
    h2.twin.engine.phones.set('sip:desk@records.sip.twilio.com', { registered: false });
    app.route('/dial', twiml(`<Dial><Sip>sip:desk@records.sip.twilio.com</Sip></Dial><Play>${app.url}/ring.mp3</Play>`));
    app.route('/ring.mp3', () => ({ type: 'text/plain', body: 'not audio' }));
    await h2.client.incomingPhoneNumbers((await number(HOME)).sid).update({ voiceUrl: `${app.url}/dial` });
    const call = await h2.twin.engine.placeCall({ from: CALLER, to: HOME });
    const warning = (await h2.client.monitor.v1.alerts.list({ logLevel: 'warning' }))[0]!;
    expect(warning).toMatchObject({ errorCode: '32009', logLevel: 'warning' });
    const leg = await h2.client.calls(warning.resourceSid).fetch();
    expect(leg.parentCallSid).toBe(call.callSid);
    // The audio after the dial is text: 13420 on the caller's call, with the audio's URL and answer.
    const audio = (await h2.client.monitor.v1.alerts.list({ logLevel: 'error' })).find((a) => a.errorCode === '13420')!;
    expect(audio).toMatchObject({ resourceSid: call.callSid, requestUrl: `${app.url}/ring.mp3`, requestMethod: 'GET' });
    const fetched = await h2.client.monitor.v1.alerts(audio.sid).fetch();
    expect(fetched.responseBody).toBe('not audio');
    expect(new URLSearchParams(fetched.responseHeaders).get('content-type')).toMatch(/^text\/plain/);
  });
});
