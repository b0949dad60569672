// Fidelity: drive every operation the twin serves through the real SDK and validate each response
// body against Twilio's official OpenAPI schemas (strictly: all declared properties present,
// nothing undeclared). The two upload operations, which no spec describes, are checked against
// Twilio's documented FunctionVersion/AssetVersion fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedOperations } from '../src/index.js';
import { BUZZER, HOME, startHarness, VALID_FLOW, type Harness } from './helpers.js';
import { TwilioSpecs, type SpecKey } from './openapi.js';
import { playRecordedScenario } from './records-fixture.js';

interface Exchange {
  method: string;
  uri: string;
  status: number;
  body: unknown;
}

const specs = new TwilioSpecs();
const exchanges: Exchange[] = [];
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  // Record what the SDK sends and receives (URIs are Twilio's own: rewriting happens below this).
  const http = h.client.httpClient as unknown as { request: (o: { method: string; uri: string }) => Promise<{ statusCode: number; body: unknown }> };
  const original = http.request.bind(http);
  http.request = async (opts) => {
    const res = await original(opts);
    exchanges.push({ method: opts.method.toUpperCase(), uri: opts.uri, status: res.statusCode, body: res.body });
    return res;
  };
});
afterAll(async () => {
  await h.twin.close();
});

/** Call every served operation at least once, through the SDK. */
async function driveEverything(): Promise<void> {
  const c = h.client;
  // ---- 2010: numbers
  const [num] = await c.incomingPhoneNumbers.list({ phoneNumber: HOME });
  await c.incomingPhoneNumbers(num!.sid).fetch();
  await c.incomingPhoneNumbers(num!.sid).update({ voiceUrl: 'https://example.com/voice', voiceFallbackUrl: '' });
  // ---- calls
  const call = await c.calls.create({ to: '+15557654321', from: BUZZER, twiml: '<Response><Say>hi</Say></Response>' });
  await c.calls.list({ status: 'queued' });
  await c.calls.list({ to: '+15557654321', from: BUZZER, startTimeAfter: new Date('2020-01-01'), endTimeBefore: new Date('2100-01-01') });
  await c.calls.list({ parentCallSid: call.sid });
  await c.calls(call.sid).fetch();
  await c.calls(call.sid).update({ twiml: '<Response><Hangup/></Response>' });
  // ---- verified caller IDs (added through the admin API: creating one is Twilio's validation call)
  h.twin.admin.verifyCallerIds([{ phoneNumber: '+15550002222' }]);
  const [callerId] = await c.outgoingCallerIds.list({ phoneNumber: '+15550002222' });
  await c.outgoingCallerIds(callerId!.sid).fetch();
  await c.outgoingCallerIds(callerId!.sid).update({ friendlyName: 'Owner cell' });
  await c.outgoingCallerIds(callerId!.sid).remove();
  // ---- conferences and participants
  const p1 = await c.conferences('room-1').participants.create({ from: HOME, to: '+15557654321', label: 'a' });
  const p2 = await c.conferences(p1.conferenceSid).participants.create({ from: HOME, to: 'sip:dect@x.sip.twilio.com' });
  await c.conferences.list({ friendlyName: 'room-1', status: 'init' });
  await c.conferences(p1.conferenceSid).fetch();
  await c.conferences(p1.conferenceSid).participants.list();
  await c.conferences(p1.conferenceSid).participants(p1.callSid).fetch();
  await c.conferences(p1.conferenceSid).participants(p1.callSid).update({ hold: true, muted: true });
  await c.conferences(p1.conferenceSid).participants(p2.callSid).remove();
  await c.conferences(p1.conferenceSid).update({ status: 'completed' });
  await c.conferences(p1.conferenceSid).fetch(); // completed, with reason and ending call
  await c.calls(p1.callSid).fetch(); // ended
  // ---- messages
  const msg = await c.messages.create({ to: '+15557654321', from: HOME, body: 'missed buzz at 14:02' });
  await c.messages.list({ to: '+15557654321' });
  await c.messages(msg.sid).fetch();
  // ---- SIP
  const d = await c.sip.domains.create({ domainName: 'fidelity.sip.twilio.com', sipRegistration: true });
  await c.sip.domains.list();
  await c.sip.domains(d.sid).fetch();
  await c.sip.domains(d.sid).update({ voiceUrl: 'https://example.com/sip', voiceMethod: 'POST' });
  const cl = await c.sip.credentialLists.create({ friendlyName: 'phones' });
  await c.sip.credentialLists.list();
  await c.sip.credentialLists(cl.sid).fetch();
  await c.sip.credentialLists(cl.sid).update({ friendlyName: 'desk phones' });
  const cr = await c.sip.credentialLists(cl.sid).credentials.create({ username: 'dect', password: 'Sup3rSecretPass' });
  await c.sip.credentialLists(cl.sid).credentials.list();
  await c.sip.credentialLists(cl.sid).credentials(cr.sid).fetch();
  await c.sip.credentialLists(cl.sid).credentials(cr.sid).update({ password: 'An0therSecretPass' });
  const callsAuth = c.sip.domains(d.sid).auth.calls.credentialListMappings;
  const callsMapping = await callsAuth.create({ credentialListSid: cl.sid });
  await callsAuth.list();
  await callsAuth(callsMapping.sid).fetch();
  await callsAuth(callsMapping.sid).remove();
  const regAuth = c.sip.domains(d.sid).auth.registrations.credentialListMappings;
  const regMapping = await regAuth.create({ credentialListSid: cl.sid });
  await regAuth.list();
  await regAuth(regMapping.sid).fetch();
  await regAuth(regMapping.sid).remove();
  await c.sip.credentialLists(cl.sid).credentials(cr.sid).remove();
  await c.sip.credentialLists(cl.sid).remove();
  await c.sip.domains(d.sid).remove();

  // ---- Serverless
  const s = c.serverless.v1.services;
  const svc = await s.create({ uniqueName: 'fidelity', friendlyName: 'fidelity' });
  await s.list();
  await s(svc.sid).fetch();
  await s(svc.sid).update({ friendlyName: 'fidelity 2', uiEditable: true });
  const env = await s(svc.sid).environments.create({ uniqueName: 'production', domainSuffix: 'prod' });
  const env2 = await s(svc.sid).environments.create({ uniqueName: 'dev' });
  await s(svc.sid).environments.list();
  await s(svc.sid).environments(env.sid).fetch();
  const fn = await s(svc.sid).functions.create({ friendlyName: 'screen' });
  await s(svc.sid).functions.list();
  await s(svc.sid).functions(fn.sid).fetch();
  await s(svc.sid).functions(fn.sid).update({ friendlyName: 'screen-2' });
  const fv = await h.uploader.upload({
    serviceSid: svc.sid, kind: 'functions', resourceSid: fn.sid, path: '/screen', visibility: 'protected',
    content: 'exports.handler = (c, e, cb) => cb(null, {});', contentType: 'application/javascript', filename: 'screen.js',
  });
  await s(svc.sid).functions(fn.sid).functionVersions.list();
  await s(svc.sid).functions(fn.sid).functionVersions(fv.sid).fetch();
  await s(svc.sid).functions(fn.sid).functionVersions(fv.sid).functionVersionContent().fetch();
  const asset = await s(svc.sid).assets.create({ friendlyName: 'ring' });
  await s(svc.sid).assets.list();
  await s(svc.sid).assets(asset.sid).fetch();
  await s(svc.sid).assets(asset.sid).update({ friendlyName: 'ringback' });
  const av = await h.uploader.upload({
    serviceSid: svc.sid, kind: 'assets', resourceSid: asset.sid, path: '/ring.xml', visibility: 'protected',
    content: '<Response><Play loop="0">https://example.com/ring.mp3</Play></Response>', contentType: 'text/xml', filename: 'ring.xml',
  });
  await s(svc.sid).assets(asset.sid).assetVersions.list();
  await s(svc.sid).assets(asset.sid).assetVersions(av.sid).fetch();
  const build = await s(svc.sid).builds.create({ functionVersions: [fv.sid], assetVersions: [av.sid], runtime: 'node22' });
  await s(svc.sid).builds(build.sid).buildStatus().fetch();
  await s(svc.sid).builds.list();
  await s(svc.sid).builds(build.sid).fetch();
  const dep = await s(svc.sid).environments(env.sid).deployments.create({ buildSid: build.sid });
  await s(svc.sid).environments(env.sid).deployments.list();
  await s(svc.sid).environments(env.sid).deployments(dep.sid).fetch();
  const variable = await s(svc.sid).environments(env.sid).variables.create({ key: 'OWNER', value: '+15551239999' });
  await s(svc.sid).environments(env.sid).variables.list();
  await s(svc.sid).environments(env.sid).variables(variable.sid).fetch();
  await s(svc.sid).environments(env.sid).variables(variable.sid).update({ value: '+15551238888' });
  await s(svc.sid).environments(env.sid).variables(variable.sid).remove();
  const spare = await s(svc.sid).builds.create({ functionVersions: [fv.sid] });
  await s(svc.sid).builds(spare.sid).remove();
  await s(svc.sid).environments(env2.sid).remove();
  await s(svc.sid).assets(asset.sid).remove();
  await s(svc.sid).functions(fn.sid).remove();

  // ---- Studio
  const flows = c.studio.v2.flows;
  const flow = await flows.create({ friendlyName: 'fidelity', status: 'draft', definition: VALID_FLOW, commitMessage: 'first' });
  await flows.list();
  await flows(flow.sid).fetch();
  await flows(flow.sid).update({ status: 'published' });
  await c.request({ method: 'get', uri: `https://studio.twilio.com/v2/Flows/${flow.sid}/Revisions` }); // SDK list is broken in 6.2.0
  await flows(flow.sid).revisions('LatestPublished').fetch();
  await c.studio.v2.flowValidate.update({ friendlyName: 'fidelity', status: 'published', definition: VALID_FLOW });
  await flows(flow.sid).remove();
  await s(svc.sid).remove();

  // ---- Sync: a service and a document, updated conditionally (If-Match = the revision)
  const syncs = c.sync.v1.services;
  const sync = await syncs.create({ friendlyName: 'fidelity' });
  await syncs.list();
  await syncs(sync.sid).fetch();
  await syncs(sync.sid).update({ friendlyName: 'fidelity 2' });
  const doc = await syncs(sync.sid).documents.create({ uniqueName: 'lockout', data: { failures: 0 } });
  await syncs(sync.sid).documents.list();
  await syncs(sync.sid).documents('lockout').fetch();
  await syncs(sync.sid).documents(doc.sid).update({ data: { failures: 1 }, ifMatch: doc.revision });
  await syncs(sync.sid).documents(doc.sid).remove();
  // a list of records with a TTL each (homephone's call history)
  const history = await syncs(sync.sid).syncLists.create({ uniqueName: 'calls' });
  await syncs(sync.sid).syncLists('calls').fetch();
  await syncs(sync.sid).syncLists(history.sid).syncListItems.create({ data: { call: 'CA1' }, itemTtl: 3600 });
  await syncs(sync.sid).syncLists('calls').syncListItems.list({ order: 'desc', limit: 20 });
  await syncs(sync.sid).remove();

  // ---- Records a call leaves: Monitor Alerts, Studio Executions / Steps / Contexts, Function Logs
  const r = await playRecordedScenario(h);
  const alerts = await c.monitor.v1.alerts.list({ logLevel: 'error' });
  await c.monitor.v1.alerts(alerts.find((a) => a.errorCode === '11200')!.sid).fetch();
  await c.monitor.v1.alerts(alerts.find((a) => a.errorCode === '21212')!.sid).fetch();
  const [execution] = await c.studio.v2.flows(r.flowSid).executions.list();
  const x = c.studio.v2.flows(r.flowSid).executions(execution!.sid);
  await x.fetch();
  await x.executionContext().fetch();
  const [firstStep] = await x.steps.list();
  await x.steps(firstStep!.sid).fetch();
  await x.steps(firstStep!.sid).stepContext().fetch();
  const logs = c.serverless.v1.services(r.svc.serviceSid).environments(r.svc.environmentSid).logs;
  const [log] = await logs.list();
  await logs(log!.sid).fetch();

  return void [fv, av];
}

const HOST_TO_SPEC: Record<string, SpecKey> = {
  'api.twilio.com': 'api',
  'serverless.twilio.com': 'serverless',
  'studio.twilio.com': 'studio',
  'sync.twilio.com': 'sync',
  'monitor.twilio.com': 'monitor',
};

describe('fidelity against Twilio OpenAPI schemas', () => {
  it('validates every served operation', async () => {
    await driveEverything();
    const served = servedOperations().filter((o) => o.product !== 'serverless-upload');
    const problems: string[] = [];
    const covered = new Set<string>();
    for (const x of exchanges) {
      const u = new URL(x.uri);
      const spec = HOST_TO_SPEC[u.hostname];
      if (!spec) {
        problems.push(`unexpected host ${u.hostname}`);
        continue;
      }
      const op = specs.find(spec, x.method, u.pathname);
      if (!op) {
        problems.push(`${x.method} ${u.pathname}: no such operation in ${spec}`);
        continue;
      }
      const errors = specs.check(op, x.status, x.body);
      if (errors.length) problems.push(`${x.method} ${op.path} (${x.status}):\n  ${errors.join('\n  ')}`);
      else covered.add(`${spec} ${op.method} ${op.path}`);
    }
    expect(problems).toEqual([]);
    const servedKeys = served.map((o) => `${o.product} ${o.method} ${o.pattern}`).sort();
    // Every served operation exists in Twilio's spec, and every one was exercised and validated.
    expect(served.filter((o) => !specs.has(o.product as SpecKey, o.method, o.pattern))).toEqual([]);
    expect(servedKeys.filter((k) => !covered.has(k))).toEqual([]);
    expect(servedKeys).toHaveLength(114);
    console.info(`fidelity: ${covered.size} OpenAPI operations validated (${exchanges.length} responses)`);
  });

  it('has teeth: an undeclared or a missing property fails validation', () => {
    const op = specs.find('api', 'GET', '/2010-04-01/Accounts/AC00000000000000000000000000000000/SIP/CredentialLists/CL00000000000000000000000000000000.json')!;
    const good = {
      account_sid: 'AC' + 'a'.repeat(32), date_created: 'Wed, 11 Sep 2013 17:51:38 +0000', date_updated: 'Wed, 11 Sep 2013 17:51:38 +0000',
      friendly_name: 'x', sid: 'CL' + 'a'.repeat(32), subresource_uris: {}, uri: '/2010-04-01/x.json',
    };
    expect(specs.check(op, 200, good)).toEqual([]);
    expect(specs.check(op, 200, { ...good, password: 'x' })).not.toEqual([]);
    const { friendly_name: _dropped, ...missing } = good;
    expect(specs.check(op, 200, missing)).not.toEqual([]);
    expect(specs.check(op, 200, { ...good, date_created: '2013-09-11T17:51:38Z' })).not.toEqual([]);
    expect(specs.check(op, 201, good)).not.toEqual([]);
  });

  it('answers uploads with the documented FunctionVersion / AssetVersion fields', async () => {
    const svc = await h.client.serverless.v1.services.create({ uniqueName: 'uploads', friendlyName: 'uploads' });
    const fn = await h.client.serverless.v1.services(svc.sid).functions.create({ friendlyName: 'f' });
    const asset = await h.client.serverless.v1.services(svc.sid).assets.create({ friendlyName: 'a' });
    const common = { serviceSid: svc.sid, visibility: 'public' as const, content: 'x', contentType: 'text/plain', filename: 'x.txt' };
    const fv = await h.uploader.upload({ ...common, kind: 'functions', resourceSid: fn.sid, path: 'f' });
    const av = await h.uploader.upload({ ...common, kind: 'assets', resourceSid: asset.sid, path: '/a.txt' });
    const base = ['sid', 'account_sid', 'service_sid', 'path', 'visibility', 'date_created', 'url'];
    expect(Object.keys(fv).sort()).toEqual([...base, 'function_sid', 'links'].sort());
    expect(Object.keys(av).sort()).toEqual([...base, 'asset_sid'].sort());
    expect(fv).toMatchObject({ sid: expect.stringMatching(/^ZN[0-9a-f]{32}$/), function_sid: fn.sid, path: '/f', visibility: 'public' });
    expect(av).toMatchObject({ sid: expect.stringMatching(/^ZN[0-9a-f]{32}$/), asset_sid: asset.sid, path: '/a.txt' });
    expect(fv.date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(fv.url).toBe(`https://serverless.twilio.com/v1/Services/${svc.sid}/Functions/${fn.sid}/Versions/${fv.sid}`);
    // What the upload answered is what the (schema-checked) fetch answers.
    const fetched = await h.client.serverless.v1.services(svc.sid).functions(fn.sid).functionVersions(fv.sid).fetch();
    expect(fetched.toJSON()).toMatchObject({ sid: fv.sid, path: fv.path, visibility: fv.visibility, url: fv.url });
  });
});
