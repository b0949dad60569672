// The end-to-end check: the real twilio SDK, through createTwilioClient, against an
// in-process twin — numbers, a whole Serverless deploy, Studio, SIP, calls and conferences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUZZER, HOME, startHarness, VALID_FLOW, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.twin.close();
});

describe('the real SDK against the twin', () => {
  it('finds a number by phone number and updates its voice URL', async () => {
    const [num, ...rest] = await h.client.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    expect(rest).toEqual([]);
    expect(num?.phoneNumber).toBe(HOME);
    expect(num?.sid).toMatch(/^PN[0-9a-f]{32}$/);
    const updated = await h.client.incomingPhoneNumbers(num!.sid).update({
      voiceUrl: 'https://webhooks.twilio.com/v1/Accounts/AC/Flows/FW',
      voiceMethod: 'POST',
      voiceApplicationSid: '',
      trunkSid: '',
    });
    expect(updated.voiceUrl).toBe('https://webhooks.twilio.com/v1/Accounts/AC/Flows/FW');
    const fetched = await h.client.incomingPhoneNumbers(num!.sid).fetch();
    expect(fetched.voiceUrl).toBe(updated.voiceUrl);
    expect(fetched.trunkSid).toBeNull();
    // Partial numbers and '*' match; other numbers do not.
    expect((await h.client.incomingPhoneNumbers.list({ phoneNumber: '555123000*' })).map((n) => n.phoneNumber).sort()).toEqual(
      [HOME, BUZZER].sort(),
    );
    expect(await h.client.incomingPhoneNumbers.list({ phoneNumber: '+19999999999' })).toEqual([]);
  });

  it('deploys Serverless: service, environment, function + version, asset + version, build, deployment, variables', async () => {
    const s = h.client.serverless.v1.services;
    const service = await s.create({ uniqueName: 'homephone', friendlyName: 'homephone' });
    expect(service.sid).toMatch(/^ZS/);
    await expect(s.create({ uniqueName: 'homephone', friendlyName: 'again' })).rejects.toMatchObject({ status: 409 });

    const env = await s(service.sid).environments.create({ uniqueName: 'production', domainSuffix: 'production' });
    expect(env.domainName).toMatch(/^homephone-\d{4}-production\.twil\.io$/);

    const fn1 = await s(service.sid).functions.create({ friendlyName: 'screen' });
    const fn2 = await s(service.sid).functions.create({ friendlyName: 'connect' });
    const code = 'exports.handler = (context, event, callback) => callback(null, { allowed: true });';
    const v1 = await h.uploader.upload({
      serviceSid: service.sid, kind: 'functions', resourceSid: fn1.sid, path: 'screen',
      visibility: 'protected', content: code, contentType: 'application/javascript', filename: 'screen.js',
    });
    expect(v1.sid).toMatch(/^ZN/);
    expect(v1.path).toBe('/screen');
    const v2 = await h.uploader.upload({
      serviceSid: service.sid, kind: 'functions', resourceSid: fn2.sid, path: '/connect',
      visibility: 'protected', content: 'exports.handler = () => {};', contentType: 'application/javascript', filename: 'connect.js',
    });
    const content = await s(service.sid).functions(fn1.sid).functionVersions(v1.sid).functionVersionContent().fetch();
    expect(content.content).toBe(code);

    const asset = await s(service.sid).assets.create({ friendlyName: 'whitelist' });
    const av = await h.uploader.upload({
      serviceSid: service.sid, kind: 'assets', resourceSid: asset.sid, path: '/whitelist.json',
      visibility: 'private', content: '[]', contentType: 'application/json', filename: 'whitelist.json',
    });
    expect((await s(service.sid).assets(asset.sid).assetVersions(av.sid).fetch()).visibility).toBe('private');

    const build = await s(service.sid).builds.create({
      functionVersions: [v1.sid, v2.sid],
      assetVersions: [av.sid],
      dependencies: JSON.stringify([{ name: 'twilio', version: '5.3.0' }]),
      runtime: 'node22',
    });
    expect(build.status).toBe('building');
    let status = build.status as string;
    for (let polls = 0; status === 'building' && polls < 5; polls++) {
      status = (await s(service.sid).builds(build.sid).buildStatus().fetch()).status;
    }
    expect(status).toBe('completed');
    const full = await s(service.sid).builds(build.sid).fetch();
    expect((full.functionVersions as Array<{ sid: string }>).map((v) => v.sid)).toEqual([v1.sid, v2.sid]);
    expect(full.dependencies).toEqual([{ name: 'twilio', version: '5.3.0' }]);

    const dep = await s(service.sid).environments(env.sid).deployments.create({ buildSid: build.sid });
    expect(dep.buildSid).toBe(build.sid);
    expect((await s(service.sid).environments(env.sid).fetch()).buildSid).toBe(build.sid);

    const vars = s(service.sid).environments(env.sid).variables;
    const hash = await vars.create({ key: 'MONITOR_CODE_HASH', value: 'salt:abc' });
    await vars.create({ key: 'OWNER', value: '+15551239999' });
    await expect(vars.create({ key: 'OWNER', value: 'x' })).rejects.toMatchObject({ status: 409 });
    await expect(vars.create({ key: 'BIG', value: 'x'.repeat(451) })).rejects.toMatchObject({ status: 400 });
    await vars(hash.sid).update({ value: 'salt:def' });
    expect((await vars.list()).map((v) => [v.key, v.value])).toEqual([
      ['MONITOR_CODE_HASH', 'salt:def'],
      ['OWNER', '+15551239999'],
    ]);
  });

  it('fails a build that references a missing version', async () => {
    const s = h.client.serverless.v1.services;
    const service = await s.create({ uniqueName: 'broken', friendlyName: 'broken' });
    const build = await s(service.sid).builds.create({ functionVersions: ['ZN' + '0'.repeat(32)] });
    expect(build.status).toBe('building');
    expect((await s(service.sid).builds(build.sid).buildStatus().fetch()).status).toBe('failed');
  });

  it('creates, updates and validates a Studio flow; a broken definition fails with property paths', async () => {
    const flows = h.client.studio.v2.flows;
    const flow = await flows.create({ friendlyName: 'home phone', status: 'published', definition: VALID_FLOW });
    expect(flow.sid).toMatch(/^FW/);
    expect(flow.revision).toBe(1);
    expect(flow.webhookUrl).toBe(`https://webhooks.twilio.com/v1/Accounts/${h.twin.credentials.accountSid}/Flows/${flow.sid}`);
    const changed = { ...VALID_FLOW, description: 'changed' };
    const updated = await flows(flow.sid).update({ status: 'published', definition: changed, commitMessage: 'second' });
    expect(updated.revision).toBe(2);
    // twilio 6.2.0's revisions.list() throws while building instances (it passes no revision to
    // FlowRevisionInstance), whatever the server says; read the page through client.request instead.
    const page = await h.client.request({ method: 'get', uri: `https://studio.twilio.com/v2/Flows/${flow.sid}/Revisions` });
    expect((page.body as { revisions: Array<{ revision: number }> }).revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect((await flows(flow.sid).revisions('1').fetch()).definition).toEqual(VALID_FLOW);
    expect((await flows(flow.sid).revisions('LatestRevision').fetch()).commitMessage).toBe('second');

    const ok = await h.client.studio.v2.flowValidate.update({ friendlyName: 'x', status: 'published', definition: VALID_FLOW });
    expect(ok.valid).toBe(true);

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const broken = structuredClone(VALID_FLOW) as any;
    broken.states[3]!.properties.timeout = 14400; // must be a string
    broken.states[4]!.transitions[0]!.next = 'nowhere';
    const err = await h.client.studio.v2.flowValidate
      .update({ friendlyName: 'x', status: 'published', definition: broken })
      .then(() => undefined, (e: unknown) => e as { status: number; details: { errors: Array<{ property_path: string; message: string }> } });
    expect(err?.status).toBe(400);
    expect(err?.details.errors.map((e) => e.property_path)).toEqual([
      '#/states/3/properties/timeout',
      '#/states/4/transitions/0/next',
    ]);
    await expect(flows(flow.sid).update({ status: 'published', definition: broken })).rejects.toMatchObject({ status: 400 });
    expect((await flows(flow.sid).fetch()).revision).toBe(2);
  });

  it('sets up SIP: domain with registration, credential list, credential, both mappings', async () => {
    const domain = await h.client.sip.domains.create({
      domainName: 'smith-home.sip.twilio.com',
      friendlyName: 'Smith home',
      sipRegistration: true,
      voiceUrl: 'https://homephone-1234-production.twil.io/outbound',
    });
    expect(domain.sid).toMatch(/^SD/);
    expect(domain.sipRegistration).toBe(true);
    await expect(h.client.sip.domains.create({ domainName: 'smith-home.sip.twilio.com' })).rejects.toMatchObject({ status: 409 });
    await expect(h.client.sip.domains.create({ domainName: 'smith-home.example.com' })).rejects.toMatchObject({ status: 400 });

    const list = await h.client.sip.credentialLists.create({ friendlyName: 'home phones' });
    const weak = await h.client.sip.credentialLists(list.sid)
      .credentials.create({ username: 'dect', password: 'password1234' })
      .then(() => undefined, (e: unknown) => e as { status: number; code: number; message: string });
    expect(weak).toMatchObject({ status: 400, code: 21622 });
    expect(weak?.message).toMatch(/upper and lower case/);
    const cred = await h.client.sip.credentialLists(list.sid).credentials.create({ username: 'dect', password: 'Corr3ctHorseBattery' });
    expect(cred.username).toBe('dect');
    expect(JSON.stringify(cred.toJSON())).not.toContain('Corr3ct');

    const reg = await h.client.sip.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: list.sid });
    const calls = await h.client.sip.domains(domain.sid).auth.calls.credentialListMappings.create({ credentialListSid: list.sid });
    expect(reg.sid).toBe(list.sid);
    expect(calls.friendlyName).toBe('home phones');
    expect((await h.client.sip.domains(domain.sid).fetch()).authType).toBe('CREDENTIAL_LIST');
    expect(await h.client.sip.domains(domain.sid).auth.registrations.credentialListMappings.list()).toHaveLength(1);
  });

  it('creates a call, finds conferences by name and status, adds a participant by room name, cancels a call', async () => {
    const call = await h.client.calls.create({
      to: '+15557654321',
      from: BUZZER,
      url: 'https://example.com/twiml',
      statusCallback: 'https://example.com/status',
      statusCallbackEvent: ['initiated', 'answered', 'completed'],
      timeout: 20,
    });
    expect(call.sid).toMatch(/^CA/);
    expect(call.status).toBe('queued');
    await expect(h.client.calls.create({ to: '+15557654321', from: '+15550000000', twiml: '<Response/>' })).rejects.toMatchObject({
      status: 400,
      code: 21210,
    });

    const room = `hp-${call.sid}`;
    const participant = await h.client.conferences(room).participants.create({
      from: HOME,
      to: 'sip:dect@smith-home.sip.twilio.com',
      label: 'desk',
      muted: true,
      earlyMedia: true,
      endConferenceOnExit: false,
      statusCallbackEvent: ['answered'],
    });
    expect(participant.conferenceSid).toMatch(/^CF/);
    expect(participant.muted).toBe(true);
    const confs = await h.client.conferences.list({ friendlyName: room, status: 'init' });
    expect(confs.map((c) => c.sid)).toEqual([participant.conferenceSid]);
    expect(await h.client.conferences.list({ friendlyName: room, status: 'in-progress' })).toEqual([]);
    const byLabel = await h.client.conferences(participant.conferenceSid).participants('desk').update({ muted: false });
    expect(byLabel.muted).toBe(false);

    const canceled = await h.client.calls(call.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');
    expect(canceled.endTime).toBeInstanceOf(Date);
    await expect(h.client.calls(call.sid).update({ url: 'https://example.com/other' })).rejects.toMatchObject({ code: 21220 });

    // Hanging up the only leg ends the room.
    await h.client.calls(participant.callSid).update({ status: 'completed' });
    const conf = await h.client.conferences(participant.conferenceSid).fetch();
    expect(conf.status).toBe('completed');
    expect(conf.reasonConferenceEnded).toBe('last-participant-left');
  });

  it('pages through lists with the SDK', async () => {
    for (let i = 0; i < 5; i++) await h.client.messages.create({ to: '+15557654321', from: HOME, body: `m${i}` });
    const all = await h.client.messages.list({ pageSize: 2 });
    expect(all.map((m) => m.body)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    const services = await h.client.serverless.v1.services.list({ pageSize: 1 });
    expect(services.map((s) => s.uniqueName)).toEqual(['homephone', 'broken']);
  });
});
