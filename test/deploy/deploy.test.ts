// Deploy against an in-process twin through the real SDK: what a first deploy creates, the exact
// write requests it makes, no-op and whitelist-only deploys, reuse, retries, failures, rollback,
// drift, and plans that never show a secret.
import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  deploy,
  deployStatus,
  planData,
  planDeploy,
  renderPlan,
  rollback,
  syncWhitelist,
  type DeploySession,
} from '../../src/deploy/index.js';
import { TEMPLATES_DIR } from '../../src/deploy/templates.js';
import { createTwilioClient } from '../../src/twilio/client.js';
import { BUZZER, HOME, OWNER, WHITELIST, firstDeploy, householdConfig, startDeployHarness, type DeployHarness } from './helpers.js';

let h: DeployHarness;

beforeAll(async () => {
  h = await startDeployHarness();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(() => h.reset());

/** Write requests by kind of path, e.g. "POST Functions", "POST Versions (upload)". */
function writeBreakdown(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of h.writes()) {
    const path = w.path
      .replace(/\/(ZS|ZH|ZE|ZB|ZV|FW|SD|CL|CR|PN|AC)[0-9a-f]{32}/g, '/$1')
      .replace(/^\/2010-04-01\/Accounts\/AC/, '');
    const key = `${w.method} ${path}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const FIRST_DEPLOY_WRITES = {
  'POST /v1/Services': 2, // the Serverless service and the Sync service (same path, two hosts)
  'POST /v1/Services/ZS/Environments': 1,
  'POST /v1/Services/ZS/Functions': 26, // lib/history.js, lib/alerts.js and the text commands (sms-home, sms-buzzer-fallback, lib/text-commands, lib/overrides, lib/live-household) included
  'POST /v1/Services/ZS/Functions/ZH/Versions': 26,
  'POST /v1/Services/ZS/Assets': 4,
  'POST /v1/Services/ZS/Assets/ZH/Versions': 4,
  'POST /v1/Services/ZS/Environments/ZE/Variables': 10,
  'POST /v1/Services/ZS/Builds': 1,
  'POST /v1/Services/ZS/Environments/ZE/Deployments': 1,
  'POST /v2/Flows': 2,
  'POST /SIP/CredentialLists.json': 1,
  'POST /SIP/CredentialLists/CL/Credentials.json': 1,
  'POST /SIP/Domains.json': 1,
  'POST /SIP/Domains/SD/Auth/Registrations/CredentialListMappings.json': 1,
  'POST /SIP/Domains/SD/Auth/Calls/CredentialListMappings.json': 1,
  'POST /IncomingPhoneNumbers/PN.json': 2,
};

describe('a first deploy against a fresh twin with the two numbers seeded', () => {
  it('creates everything, with the minimum write requests, and points the numbers last', async () => {
    // A number taken over from an old set-up: an application and a trunk would hide the voice URL.
    const [home] = await h.sdk.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    await h.sdk.incomingPhoneNumbers(home!.sid).update({ voiceApplicationSid: 'AP0123456789abcdef0123456789abcdef', trunkSid: 'TK0123456789abcdef0123456789abcdef' });
    h.clearLog();

    const result = await deploy(h.session());
    expect(result.applied?.writes).toBe(84);
    expect(writeBreakdown()).toEqual(FIRST_DEPLOY_WRITES);
    expect(h.writes().every((w) => w.status !== null && w.status < 300)).toBe(true);
    // Numbers are pointed last, once the flows and the build they use are live.
    expect(h.writes().slice(-2).map((w) => w.path)).toEqual([expect.stringContaining('/IncomingPhoneNumbers/'), expect.stringContaining('/IncomingPhoneNumbers/')]);
    // Studio's Validate checked both flows before anything was written.
    const log = h.twin.log.all().filter((r) => r.method === 'POST');
    expect(log.slice(0, 2).map((r) => r.path)).toEqual(['/v2/Flows/Validate', '/v2/Flows/Validate']);

    // Serverless
    const service = await h.sdk.serverless.v1.services('homephone').fetch();
    const svc = h.sdk.serverless.v1.services(service.sid);
    const [env, ...otherEnvs] = await svc.environments.list();
    expect(otherEnvs).toEqual([]);
    expect(env!.uniqueName).toBe('production');
    const functions = (await svc.functions.list()).map((f) => f.friendlyName).sort();
    expect(functions).toEqual([
      '/buzzer-fallback',
      '/calls-in-progress',
      '/check-code',
      '/fallback-owner',
      '/incoming',
      '/lib/alerts',
      '/lib/bedtime',
      '/lib/call-summary',
      '/lib/caller-policy',
      '/lib/dialled-number',
      '/lib/history',
      '/lib/household',
      '/lib/live-household',
      '/lib/lockout',
      '/lib/monitor-code',
      '/lib/overrides',
      '/lib/replies',
      '/lib/rooms',
      '/lib/text-commands',
      '/monitor',
      '/outbound',
      '/participant-status',
      '/sms-buzzer-fallback',
      '/sms-home',
      '/unanswered',
      '/voicemail',
    ]);
    expect((await svc.assets.list()).map((a) => a.friendlyName).sort()).toEqual(['/policy.json', '/ringback.wav', '/ringback.xml', '/whitelist.json']);
    const build = await svc.builds(env!.buildSid).fetch();
    expect(build.status).toBe('completed');
    const visibility = Object.fromEntries([...build.functionVersions, ...build.assetVersions].map((v: { path: string; visibility: string }) => [v.path, v.visibility]));
    expect(visibility).toEqual({
      '/buzzer-fallback': 'protected',
      '/calls-in-progress': 'protected',
      '/check-code': 'protected',
      '/fallback-owner': 'protected',
      '/incoming': 'protected',
      '/monitor': 'protected',
      '/outbound': 'protected',
      '/participant-status': 'protected',
      '/sms-buzzer-fallback': 'protected',
      '/sms-home': 'protected',
      '/unanswered': 'protected',
      '/voicemail': 'protected',
      '/lib/alerts': 'private',
      '/lib/bedtime': 'private',
      '/lib/call-summary': 'private',
      '/lib/history': 'private',
      '/lib/caller-policy': 'private',
      '/lib/dialled-number': 'private',
      '/lib/household': 'private',
      '/lib/live-household': 'private',
      '/lib/overrides': 'private',
      '/lib/text-commands': 'private',
      '/lib/lockout': 'private',
      '/lib/monitor-code': 'private',
      '/lib/replies': 'private',
      '/lib/rooms': 'private',
      '/whitelist.json': 'private',
      '/policy.json': 'private',
      '/ringback.wav': 'public',
      '/ringback.xml': 'protected',
    });
    expect((await svc.environments(env!.sid).deployments.list()).map((d) => d.buildSid)).toEqual([build.sid]);
    const variables = Object.fromEntries((await svc.environments(env!.sid).variables.list()).map((v) => [v.key, v.value]));
    expect(variables).toMatchObject({
      HOME_NUMBER: HOME,
      OWNER_CELL: OWNER,
      SIP_URI: 'sip:homephone@myhome.sip.twilio.com',
      TIME_ZONE: 'America/New_York',
      BUZZER_NUMBER: BUZZER,
      TENANT_NUMBERS: '+15551110000,+15551110001',
      RING_TIMEOUT: '25',
    });
    expect(variables.MONITOR_CODE_HASH).toMatch(/^scrypt\$/);
    // The Sync service for the monitor code's lockout, named to the Functions by a Variable.
    const [sync, ...otherSyncs] = await h.sdk.sync.v1.services.list();
    expect(otherSyncs).toEqual([]);
    expect(sync!.friendlyName).toBe('homephone [managed by homephone]');
    expect(variables.SYNC_SERVICE_SID).toBe(sync!.sid);
    // Uploaded content: the whitelist in the seed format, the policy, a real WAV, TwiML for the wait.
    const serviceRecord = h.twin.state.services.get(service.sid)!;
    const content = (path: string) =>
      [...serviceRecord.assets.values()].flatMap((a) => [...a.versions.values()]).find((v) => v.json.path === path)!;
    expect(JSON.parse(content('/whitelist.json').content.toString())).toEqual(WHITELIST);
    expect(JSON.parse(content('/policy.json').content.toString())).toMatchObject({ emergencyNumbers: ['112', '911'], timeZone: 'America/New_York' });
    const wav = content('/ringback.wav');
    expect(wav.content.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.contentType).toBe('audio/wav');
    expect(content('/ringback.xml').content.toString()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Play loop="0">https://${env!.domainName}/ringback.wav</Play></Response>`,
    );
    // package.json and the .d.ts in templates/functions are never uploaded.
    expect(functions.some((f) => f.includes('package') || f.includes('runtime'))).toBe(false);

    // Studio: two flows, valid and published, handing calls to their Functions.
    const flows = await h.sdk.studio.v2.flows.list();
    expect(flows.map((f) => f.friendlyName).sort()).toEqual(['homephone incoming', 'homephone outbound']);
    const incoming = flows.find((f) => f.friendlyName === 'homephone incoming')!;
    const outbound = flows.find((f) => f.friendlyName === 'homephone outbound')!;
    const published = await h.sdk.studio.v2.flows(incoming.sid).revisions('LatestPublished').fetch();
    expect(published.status).toBe('published');
    expect(published.commitMessage).toBe('homephone deploy');
    expect((await h.sdk.studio.v2.flowValidate.update({ friendlyName: 'x', status: 'published', definition: published.definition })).valid).toBe(true);
    expect(JSON.stringify(published.definition)).toContain(`https://${env!.domainName}/incoming`);

    // SIP: registration on, calls from the phone go to the outbound flow, the list under both auths.
    const [domain] = await h.sdk.sip.domains.list();
    expect(domain).toMatchObject({ domainName: 'myhome.sip.twilio.com', sipRegistration: true, emergencyCallingEnabled: true, voiceUrl: outbound.webhookUrl, voiceMethod: 'POST' });
    const [list] = await h.sdk.sip.credentialLists.list();
    expect((await h.sdk.sip.credentialLists(list!.sid).credentials.list()).map((c) => c.username)).toEqual(['homephone']);
    const registrations = await h.sdk.sip.domains(domain!.sid).auth.registrations.credentialListMappings.list();
    const calls = await h.sdk.sip.domains(domain!.sid).auth.calls.credentialListMappings.list();
    expect(registrations.map((m) => m.sid)).toEqual([list!.sid]);
    expect(calls.map((m) => m.sid)).toEqual([list!.sid]);
    const stored = [...h.twin.state.credentialLists.values()][0]!;
    expect([...stored.credentials.values()][0]!.password).toBe(householdConfig().household!.sipPassword);

    // Numbers: home → inbound flow, fallback to the owner; buzzer → the agent, fallback rings tenants.
    const homeNow = await h.sdk.incomingPhoneNumbers(home!.sid).fetch();
    expect(homeNow).toMatchObject({
      voiceUrl: incoming.webhookUrl,
      voiceMethod: 'POST',
      voiceFallbackUrl: `https://${env!.domainName}/fallback-owner`,
      voiceApplicationSid: null,
      trunkSid: null,
    });
    const [buzzer] = await h.sdk.incomingPhoneNumbers.list({ phoneNumber: BUZZER, limit: 1 });
    expect(buzzer).toMatchObject({ voiceUrl: 'https://buzz.example.org/', voiceFallbackUrl: `https://${env!.domainName}/buzzer-fallback` });
  });

  it('makes no request but reads on a second deploy with nothing changed', async () => {
    await firstDeploy(h);
    h.clearLog();
    const result = await deploy(h.session());
    expect(result.plan.hasChanges).toBe(false);
    expect(result.applied).toBeUndefined();
    expect(h.twin.log.all().filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses, before writing anything, a number the account does not own', async () => {
    const config = householdConfig();
    config.household!.homeNumber = '+15550009999';
    await expect(deploy(h.session({ config }))).rejects.toThrow(/home number \+15550009999 is not a phone number of this Twilio account/);
    expect(h.writes()).toEqual([]);
  });
});

describe('changes after the first deploy', () => {
  it('pushes a whitelist change as one asset version, one build and one deployment, and nothing else', async () => {
    await firstDeploy(h);
    h.clearLog();
    const whitelist = [...WHITELIST, { Number: '+15555550199', Person: 'Neighbour', OverrideBedtime: false, PrimaryContact: null }];
    const result = await syncWhitelist(h.session({ whitelist }));
    expect(result.changed).toBe(true);
    expect(writeBreakdown()).toEqual({
      'POST /v1/Services/ZS/Assets/ZH/Versions': 1,
      'POST /v1/Services/ZS/Builds': 1,
      'POST /v1/Services/ZS/Environments/ZE/Deployments': 1,
    });
    // A full deploy afterwards finds nothing to do; the same change through deploy costs the same.
    h.clearLog();
    expect((await deploy(h.session({ whitelist }))).plan.hasChanges).toBe(false);
    expect(h.writes()).toEqual([]);
    await deploy(h.session({ whitelist: WHITELIST.slice(0, 1) }));
    expect(Object.values(writeBreakdown())).toEqual([1, 1, 1]);
  });

  it('reuses an earlier version with the same content instead of uploading it again', async () => {
    await firstDeploy(h);
    await syncWhitelist(h.session({ whitelist: WHITELIST.slice(0, 1) }));
    h.clearLog();
    await syncWhitelist(h.session({ whitelist: WHITELIST }));
    // Back to the first list: its version and even its build exist, so only a deployment is made.
    expect(writeBreakdown()).toEqual({ 'POST /v1/Services/ZS/Environments/ZE/Deployments': 1 });
  });

  it('updates a changed variable with no new build and no deployment: the live Functions read it', async () => {
    await firstDeploy(h);
    const live = h.store.current.buildSid;
    h.clearLog();
    const config = householdConfig();
    config.household!.ownerCell = '+15551239001';
    const result = await deploy(h.session({ config }));
    expect(result.plan.changes.find((c) => c.resource === 'Variable OWNER_CELL')).toMatchObject({
      action: 'update',
      fields: [{ field: 'value', before: OWNER, after: '+15551239001' }],
    });
    expect(result.plan.changes.find((c) => c.resource === 'Deployment to production')).toMatchObject({
      action: 'unchanged',
      note: expect.stringContaining('variables only: no new build'),
    });
    expect(result.plan.notes).toContain('Variables only: no new build and no deployment; the live Functions read the new values from their next execution');
    expect(writeBreakdown()).toEqual({
      'POST /v1/Services/ZS/Environments/ZE/Variables/ZV': 1,
      // The owner's cell is also the incoming flow's "is this the owner?" split.
      'POST /v2/Flows/FW': 1,
    });
    expect(h.store.current.buildSid).toBe(live);
  });

  it('deploys a Function added to templates/functions/ and deletes one whose template is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'homephone-templates-'));
    try {
      cpSync(TEMPLATES_DIR, dir, { recursive: true });
      writeFileSync(join(dir, 'functions', 'goodnight.js'), "exports.handler = (context, event, callback) => callback(null, '');\n");
      writeFileSync(join(dir, 'functions', 'hello.public.js'), "exports.handler = (context, event, callback) => callback(null, 'hi');\n");
      const session = (): DeploySession => ({ ...h.session(), templatesDir: dir });
      await firstDeploy(h);
      h.clearLog();
      const added = await deploy(session());
      expect(added.plan.changes.filter((c) => c.action === 'create').map((c) => c.resource)).toEqual(['Function /goodnight', 'Function /hello', 'Build', 'Deployment to production']);
      expect(writeBreakdown()).toMatchObject({ 'POST /v1/Services/ZS/Functions': 2, 'POST /v1/Services/ZS/Functions/ZH/Versions': 2 });
      const svc = h.sdk.serverless.v1.services('homephone');
      const build = await svc.builds((await svc.environments.list())[0]!.buildSid).fetch();
      expect(build.functionVersions.find((v: { path: string }) => v.path === '/hello').visibility).toBe('public');

      rmSync(join(dir, 'functions', 'goodnight.js'));
      h.clearLog();
      const removed = await deploy(session());
      expect(removed.plan.changes.filter((c) => c.action === 'delete').map((c) => c.resource)).toEqual(['Function /goodnight']);
      expect((await svc.functions.list()).map((f) => f.friendlyName)).not.toContain('/goodnight');
      // The delete comes after the new build is live.
      expect(h.writes().map((w) => w.method)).toEqual(['POST', 'POST', 'DELETE']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds everything again by name when the state is lost or belongs to another account', async () => {
    await firstDeploy(h);
    const before = h.twin.state.services.size;
    for (const lost of [{}, { accountSid: 'AC00000000000000000000000000000000', serviceSid: 'ZS0', buildSid: 'ZB0' }]) {
      h.store.current = lost;
      h.clearLog();
      const result = await deploy(h.session());
      // Nothing is created twice. What Twilio never shows back is set again: the SIP password,
      // and the Assets (their content cannot be read back), hence one new build. Functions are
      // recognised by their content.
      expect(result.plan.changes.filter((c) => c.action === 'create').map((c) => c.resource)).toEqual(['Build', 'Deployment to production']);
      expect(writeBreakdown()).toEqual({
        'POST /v1/Services/ZS/Assets/ZH/Versions': 4,
        'POST /v1/Services/ZS/Builds': 1,
        'POST /v1/Services/ZS/Environments/ZE/Deployments': 1,
        'POST /SIP/CredentialLists/CL/Credentials/CR.json': 1,
      });
      h.clearLog();
      expect((await deploy(h.session())).plan.hasChanges).toBe(false);
    }
    expect(h.twin.state.services.size).toBe(before);
    expect(h.twin.state.flows.size).toBe(2);
    expect(h.twin.state.sipDomains.size).toBe(1);
    expect(h.twin.state.credentialLists.size).toBe(1);
  });
});

describe('errors', () => {
  it('retries a 429 honouring Retry-After', async () => {
    const slept: number[] = [];
    h.twin.admin.addFault({ method: 'POST', path: '/serverless/v1/Services/*/Builds', fault: '429', retryAfter: 7 });
    const result = await deploy(h.session({ sleep: async (ms) => void slept.push(ms) }));
    expect(result.applied?.writes).toBe(84);
    expect(slept).toContain(7000);
    expect(h.twin.log.all().filter((r) => r.path.endsWith('/Builds')).map((r) => r.status)).toEqual([429, 201]);
  });

  it("shows a failed build's error", async () => {
    await firstDeploy(h);
    // Make the twin fail the next build, as Twilio does for a broken Function.
    const service = [...h.twin.state.services.values()][0]!;
    const set = service.builds.set.bind(service.builds);
    service.builds.set = (sid, build) => {
      build.json.status = 'failed';
      return set(sid, build);
    };
    const error = await deploy(h.session({ whitelist: [] })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'BuildFailedError' });
    expect(String((error as Error).message)).toMatch(/the Twilio build ZB[0-9a-f]{32} failed \(status "failed", runtime node22; versions: .*\/whitelist\.json/);
    expect((error as { hint: string }).hint).toMatch(/deploy log/);
    // Nothing was deployed: the live build is still the old one.
    expect([...service.environments.values()][0]!.deployments.size).toBe(1);
  });

  it('names the resource, the code and the more-info link of a Twilio error', async () => {
    h.twin.admin.addFault({ method: 'POST', path: '/studio/v2/Flows', fault: '500' });
    const error = (await deploy(h.session()).catch((e: unknown) => e)) as { message: string; hint: string };
    expect(error.message).toBe('Studio flow "homephone incoming": Twilio error 20500 (HTTP 500): Internal Server Error');
    expect(error.hint).toMatch(/^see https:\/\/www\.twilio\.com\/docs\/errors\/20500; run the command again/);
  });

  it('reports an upload whose connection dropped as a lost connection, and the next deploy converges', async () => {
    h.twin.admin.addFault({ method: 'POST', path: '/serverless-upload/*', nth: 3, fault: 'after-drop' });
    const error = (await deploy(h.session()).catch((e: unknown) => e)) as { message: string; hint: string };
    expect(error.message).toMatch(/^Function \/[\w/-]+: the connection to Twilio failed \(ECONNRESET\)$/);
    expect(error.hint).toMatch(/^check the network \(or that the twin is running\); run the command again/);
    h.twin.admin.clearFaults();
    expect((await deploy(h.session())).applied?.writes).toBeGreaterThan(0);
    expect((await deploy(h.session())).plan.hasChanges).toBe(false);
  });

  it("names the resource and Twilio's error of a refused upload", async () => {
    h.twin.admin.addFault({ method: 'POST', path: '/serverless-upload/*/Assets/*', fault: '500' });
    const error = (await deploy(h.session()).catch((e: unknown) => e)) as { message: string };
    expect(error.message).toMatch(/^Asset \/[\w./-]+: Twilio error 20500 \(HTTP 500\): Internal Server Error$/);
  });

  it('maps bad credentials to an AuthError (exit 4) with a hint', async () => {
    const session = h.session();
    session.client = createTwilioClient({ accountSid: h.twin.credentials.accountSid, authToken: '0'.repeat(32), twinUrl: h.twin.url }, {});
    await expect(planDeploy(session)).rejects.toMatchObject({ name: 'AuthError', exitCode: 4, hint: expect.stringContaining('auth token') });
  });
});

describe('plans', () => {
  it('are readable, say what they would do field by field, and never show a secret', async () => {
    await firstDeploy(h);
    const config = householdConfig();
    config.household!.sipPassword = 'Another-Secret-987xyz';
    config.household!.monitorCodeHash = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=';
    config.household!.messages = { phoneUnavailable: 'Nobody is home.' };
    const [home] = await h.sdk.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    await h.sdk.incomingPhoneNumbers(home!.sid).update({ voiceUrl: 'https://example.com/console' });
    const { plan } = await planDeploy(h.session({ config }));
    const text = renderPlan(plan);
    const json = JSON.stringify(planData(plan));
    for (const secret of [
      'Another-Secret-987xyz',
      householdConfig().household!.sipPassword!,
      config.household!.monitorCodeHash!,
      householdConfig().household!.monitorCodeHash!,
      h.twin.credentials.authToken,
    ]) {
      expect(text).not.toContain(secret);
      expect(json).not.toContain(secret);
    }
    expect(text).toContain('~ update  Variable MONITOR_CODE_HASH\n              value: ******** → ********');
    expect(text).toContain('~ update  SIP credential homephone');
    expect(text).toMatch(/~ update {2}Studio flow "homephone incoming" {2}\(revision 1 → 2\)\n {14}definition\.states\[3\]\.properties\.say: "Sorry, nobody can take your call right now\. Please try again later\." → "Nobody is home\."/);
    expect(text).toMatch(/~ update {2}Phone number \+15551230001 \(home\)\n {14}voice_url: "https:\/\/example\.com\/console" → "https:\/\/webhooks\.twilio\.com\/v1\/Accounts\/AC[0-9a-f]{32}\/Flows\/FW[0-9a-f]{32}"/);
    expect(text).toMatch(/= unchanged: Function \/buzzer-fallback, Function \/calls-in-progress, Function \/check-code, Function \/fallback-owner/);
    expect(text).toContain('+ create  Build  (runtime node22)\n              versions: "26 Function and 4 Asset versions"\n              new versions of: "/policy.json"');
    expect(text).toMatch(/Plan: 2 to create, 6 to update, 0 to delete, \d+ unchanged; 8 write requests\.$/);
  });
});

describe('rollback and status', () => {
  it('re-activates the previous build and re-publishes the previous flow revisions', async () => {
    await firstDeploy(h);
    const svc = h.sdk.serverless.v1.services('homephone');
    const [env] = await svc.environments.list();
    const firstBuild = env!.buildSid;
    const config = householdConfig();
    config.household!.messages = { phoneUnavailable: 'Nobody is home.' };
    await deploy(h.session({ config, whitelist: [] }));
    const flows = await h.sdk.studio.v2.flows.list();
    const incoming = flows.find((f) => f.friendlyName === 'homephone incoming')!;
    expect((await h.sdk.studio.v2.flows(incoming.sid).fetch()).revision).toBe(2);

    const result = await rollback(h.session({ config, whitelist: [] }));
    expect(result.build.to).toBe(firstBuild);
    expect((await svc.environments(env!.sid).fetch()).buildSid).toBe(firstBuild);
    const now = await h.sdk.studio.v2.flows(incoming.sid).fetch();
    const first = await h.sdk.studio.v2.flows(incoming.sid).revisions('1').fetch();
    expect(now.revision).toBe(3);
    expect(now.definition).toEqual(first.definition);
    expect(now.commitMessage).toBe('homephone rollback to revision 1');
    expect(result.flows.map((f) => [f.flow, f.to])).toEqual([['homephone incoming', 1], ['homephone outbound', 1]]);
    // Rolled back is not drift; the configuration still asks for the newer state.
    const status = await deployStatus(h.session({ config, whitelist: [] }));
    expect(status.drift).toEqual([]);
    expect(status.pending?.hasChanges).toBe(true);
  });

  it('says there is nothing to roll back to after a single deploy', async () => {
    await firstDeploy(h);
    await expect(rollback(h.session())).rejects.toThrow(/no previous deployment to roll back to/);
  });

  it('shows drift: a voice URL changed in the console', async () => {
    await firstDeploy(h);
    expect((await deployStatus(h.session())).drift).toEqual([]);
    const [home] = await h.sdk.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    const before = home!.voiceUrl;
    await h.sdk.incomingPhoneNumbers(home!.sid).update({ voiceUrl: 'https://example.com/console' });
    const status = await deployStatus(h.session());
    expect(status.drift).toEqual([{ resource: `Phone number ${HOME}`, field: 'voice_url', before, after: 'https://example.com/console' }]);
    expect(status.pending?.summary.writes).toBe(1);
    // The next deploy repairs it and the drift is gone.
    await deploy(h.session());
    expect((await deployStatus(h.session())).drift).toEqual([]);
  });

  it('keeps the Sync service: one deleted in the console shows as drift, and the next deploy makes a new one and names it to the Functions', async () => {
    await firstDeploy(h);
    const [sync] = await h.sdk.sync.v1.services.list();
    await h.sdk.sync.v1.services(sync!.sid).remove();
    const status = await deployStatus(h.session());
    expect(status.drift).toContainEqual({ resource: 'Sync service homephone', field: '(resource)', before: 'present', after: '(gone)' });
    const result = await deploy(h.session());
    expect(result.plan.changes.filter((c) => c.action !== 'unchanged').map((c) => `${c.action} ${c.resource}`)).toEqual([
      'create Sync service homephone',
      'update Variable SYNC_SERVICE_SID', // Variables are live: no redeploy
    ]);
    const [again, ...others] = await h.sdk.sync.v1.services.list();
    expect(others).toEqual([]);
    const service = await h.sdk.serverless.v1.services('homephone').fetch();
    const [env] = await h.sdk.serverless.v1.services(service.sid).environments.list();
    const vars = await h.sdk.serverless.v1.services(service.sid).environments(env!.sid).variables.list();
    expect(vars.find((v) => v.key === 'SYNC_SERVICE_SID')?.value).toBe(again!.sid);
    expect((await deployStatus(h.session())).drift).toEqual([]);
  });

  it('finds its Sync service by name when the deploy state is lost: no second one', async () => {
    await firstDeploy(h);
    h.store.current = {};
    expect((await deploy(h.session())).plan.changes.find((c) => c.resource === 'Sync service homephone')?.action).toBe('unchanged');
    expect(await h.sdk.sync.v1.services.list()).toHaveLength(1);
  });

  it("never uses another party's Sync service, even one named homephone", async () => {
    const foreign = await h.sdk.sync.v1.services.create({ friendlyName: 'homephone' });
    await deploy(h.session());
    const all = await h.sdk.sync.v1.services.list();
    expect(all.map((x) => x.friendlyName).sort()).toEqual(['homephone', 'homephone [managed by homephone]']);
    const ours = all.find((x) => x.sid !== foreign.sid)!;
    const service = await h.sdk.serverless.v1.services('homephone').fetch();
    const [env] = await h.sdk.serverless.v1.services(service.sid).environments.list();
    const vars = await h.sdk.serverless.v1.services(service.sid).environments(env!.sid).variables.list();
    expect(vars.find((v) => v.key === 'SYNC_SERVICE_SID')?.value).toBe(ours.sid);
    expect((await h.sdk.sync.v1.services(foreign.sid).fetch()).friendlyName).toBe('homephone');
  });
});

