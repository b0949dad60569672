// Deploy never takes over what isn't ours (issue 14, section 4): another party's resources with
// homephone's names are seeded in the twin first; the plan shows them, deploy refuses to change
// them without --adopt, never maps a credential list holding other users, and still recognises
// deployments made before the mark existed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploy, planDeploy, planData, renderPlan, syncWhitelist, MANAGED_MARK, type DeploySession } from '../../src/deploy/index.js';
import { firstDeploy, startDeployHarness, type DeployHarness } from './helpers.js';

/** Another party's flow: any valid definition will do. */
const THEIR_FLOW = {
  description: 'their IVR',
  initial_state: 'Trigger',
  flags: { allow_concurrent_calls: true },
  states: [
    {
      name: 'Trigger',
      type: 'trigger',
      transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall' }, { event: 'incomingRequest' }],
      properties: { offset: { x: 0, y: 0 } },
    },
  ],
};

let h: DeployHarness;

beforeAll(async () => {
  h = await startDeployHarness();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(() => h.reset());

const adopting = (): DeploySession => ({ ...h.session(), adopt: true });

async function seedForeignService() {
  const service = await h.sdk.serverless.v1.services.create({ uniqueName: 'homephone', friendlyName: 'Other app' });
  const svc = h.sdk.serverless.v1.services(service.sid);
  const env = await svc.environments.create({ uniqueName: 'production' });
  const fn = await svc.functions.create({ friendlyName: '/other-app' });
  const variable = await svc.environments(env.sid).variables.create({ key: 'OTHER_APP_KEY', value: 'their-secret' });
  return { service, svc, env, fn, variable };
}

async function listsMappedUnder(domainSid: string) {
  const auth = h.sdk.sip.domains(domainSid).auth;
  const [calls, registrations] = await Promise.all([auth.calls.credentialListMappings.list(), auth.registrations.credentialListMappings.list()]);
  return { calls: calls.map((m) => m.sid).sort(), registrations: registrations.map((m) => m.sid).sort() };
}

describe('another party\'s Serverless service named "homephone"', () => {
  it('is shown in the plan and left alone: deploy refuses without --adopt, writing nothing', async () => {
    const { service, svc, env } = await seedForeignService();
    const { plan } = await planDeploy(h.session());
    expect(plan.foreign.map((c) => `${c.action} ${c.resource}`)).toContain('update Serverless service homephone');
    const text = renderPlan(plan);
    expect(text).toContain('~ update  Serverless service homephone  [not created by homephone: needs --adopt]');
    expect(text).toContain('! leave   Function /other-app  [not created by homephone]');
    expect(text).toContain('! leave   Variable OTHER_APP_KEY  [not created by homephone]');
    expect(text).toContain('deploy refuses them unless you pass --adopt');
    expect(planData(plan).foreign.length).toBeGreaterThan(0);

    h.clearLog();
    const refused = await deploy(h.session()).catch((err: Error & { exitCode?: number }) => err);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain('homephone did not create: update Serverless service homephone');
    expect((refused as { hint?: string }).hint).toContain('homephone deploy --adopt');
    expect((refused as { exitCode?: number }).exitCode).toBe(2);
    expect(h.writes()).toEqual([]);
    expect((await svc.fetch()).friendlyName).toBe('Other app');
    expect((await svc.functions.list()).map((f) => f.friendlyName)).toEqual(['/other-app']);
    expect((await svc.environments(env.sid).variables.list()).map((v) => v.key)).toEqual(['OTHER_APP_KEY']);
    expect(service.sid).toBeTruthy();
  });

  it('with --adopt it is taken over, marked, and what no template describes is deleted, as the plan said', async () => {
    const { svc, env } = await seedForeignService();
    const { plan } = await planDeploy(adopting());
    const deletes = plan.changes.filter((c) => c.action === 'delete').map((c) => [c.resource, c.foreign]);
    expect(deletes).toEqual(expect.arrayContaining([['Variable OTHER_APP_KEY', true], ['Function /other-app', true]]));
    const result = await deploy(adopting());
    expect(result.applied?.writes).toBeGreaterThan(0);
    expect((await svc.fetch()).friendlyName).toBe(`homephone ${MANAGED_MARK}`);
    expect((await svc.functions.list()).map((f) => f.friendlyName)).not.toContain('/other-app');
    expect((await svc.environments(env.sid).variables.list()).map((v) => v.key)).not.toContain('OTHER_APP_KEY');
    // Now it is homephone's: the next deploy needs no --adopt and has nothing to do.
    const again = await deploy(h.session());
    expect(again.plan.hasChanges).toBe(false);
  });
});

describe('whitelist sync into another party\'s service', () => {
  it('is refused, naming --adopt, with nothing written', async () => {
    await seedForeignService();
    h.clearLog();
    await expect(syncWhitelist(h.session())).rejects.toThrow(/the Serverless service "homephone" \(ZS[0-9a-f]{32}, "Other app"\) was not created by homephone/);
    expect(h.writes()).toEqual([]);
  });
});

describe('inside homephone\'s own service', () => {
  it('a Variable and a Function someone else added are left alone (not deleted), and deleted only with --adopt', async () => {
    await firstDeploy(h);
    const service = await h.sdk.serverless.v1.services('homephone').fetch();
    const svc = h.sdk.serverless.v1.services(service.sid);
    const [env] = await svc.environments.list();
    await svc.environments(env!.sid).variables.create({ key: 'OTHER_APP_KEY', value: 'theirs' });
    await svc.functions.create({ friendlyName: '/other-app' });

    const kept = await deploy(h.session());
    expect(kept.plan.hasChanges).toBe(false);
    expect(kept.plan.changes.filter((c) => c.foreign).map((c) => [c.action, c.resource])).toEqual([
      ['unchanged', 'Variable OTHER_APP_KEY'],
      ['unchanged', 'Function /other-app'],
    ]);
    expect((await svc.environments(env!.sid).variables.list()).map((v) => v.key)).toContain('OTHER_APP_KEY');
    expect((await svc.functions.list()).map((f) => f.friendlyName)).toContain('/other-app');

    await deploy(adopting());
    expect((await svc.environments(env!.sid).variables.list()).map((v) => v.key)).not.toContain('OTHER_APP_KEY');
    expect((await svc.functions.list()).map((f) => f.friendlyName)).not.toContain('/other-app');
  });
});

describe('another party\'s Studio flow named "homephone incoming"', () => {
  it('is not overwritten without --adopt; with it, it is updated and marked', async () => {
    const theirs = await h.sdk.studio.v2.flows.create({ friendlyName: 'homephone incoming', status: 'published', definition: THEIR_FLOW });
    const { plan } = await planDeploy(h.session());
    expect(plan.foreign.map((c) => c.resource)).toEqual(['Studio flow "homephone incoming"']);
    expect(renderPlan(plan)).toContain(`~ update  Studio flow "homephone incoming"  [not created by homephone: needs --adopt]  (${theirs.sid}, not created by homephone`);
    h.clearLog();
    await expect(deploy(h.session())).rejects.toThrow(/homephone did not create: update Studio flow "homephone incoming"/);
    expect(h.writes()).toEqual([]);
    const after = await h.sdk.studio.v2.flows(theirs.sid).fetch();
    expect(after.revision).toBe(theirs.revision);
    expect(after.definition).toEqual(theirs.definition);

    await deploy(adopting());
    const adopted = await h.sdk.studio.v2.flows(theirs.sid).fetch();
    expect(adopted.revision).toBe(theirs.revision + 1);
    expect((adopted.definition as { description: string }).description).toContain(MANAGED_MARK);
  });
});

describe('another party\'s SIP domain with the configured name ("office PBX")', () => {
  it('is not repointed without --adopt', async () => {
    const pbx = await h.sdk.sip.domains.create({ domainName: 'myhome.sip.twilio.com', friendlyName: 'office PBX', voiceUrl: 'https://pbx.example.com/voice' });
    const { plan } = await planDeploy(h.session());
    expect(plan.foreign.map((c) => c.resource)).toEqual(['SIP domain myhome.sip.twilio.com']);
    expect(renderPlan(plan)).toContain(`(${pbx.sid} "office PBX", not created by homephone: --adopt repoints it)`);
    h.clearLog();
    await expect(deploy(h.session())).rejects.toThrow(/update SIP domain myhome\.sip\.twilio\.com/);
    expect(h.writes()).toEqual([]);
    const after = await h.sdk.sip.domains(pbx.sid).fetch();
    expect([after.friendlyName, after.voiceUrl]).toEqual(['office PBX', 'https://pbx.example.com/voice']);
    expect(await listsMappedUnder(pbx.sid)).toEqual({ calls: [], registrations: [] });
  });
});

describe('a credential list named "homephone" holding a user homephone did not create', () => {
  it('is never mapped, with or without --adopt: homephone makes a list of its own', async () => {
    const alices = await h.sdk.sip.credentialLists.create({ friendlyName: 'homephone' });
    await h.sdk.sip.credentialLists(alices.sid).credentials.create({ username: 'alice', password: 'Alice-Pass-12345' });

    const { plan } = await planDeploy(h.session());
    expect(plan.foreign).toEqual([]);
    expect(renderPlan(plan)).toContain(`! leave   SIP credential list homephone  [not created by homephone]  (${alices.sid}, not created by homephone, holds users it did not create (alice): left alone and never mapped)`);

    for (const session of [h.session(), adopting()]) {
      await deploy(session);
      const domain = (await h.sdk.sip.domains.list()).find((d) => d.domainName === 'myhome.sip.twilio.com')!;
      const mapped = await listsMappedUnder(domain.sid);
      expect(mapped.calls).not.toContain(alices.sid);
      expect(mapped.registrations).not.toContain(alices.sid);
      const ours = (await h.sdk.sip.credentialLists.list()).find((l) => l.friendlyName === `homephone ${MANAGED_MARK}`)!;
      expect(mapped).toEqual({ calls: [ours.sid], registrations: [ours.sid] });
      expect((await h.sdk.sip.credentialLists(ours.sid).credentials.list()).map((c) => c.username)).toEqual(['homephone']);
    }
    expect((await h.sdk.sip.credentialLists(alices.sid).credentials.list()).map((c) => c.username)).toEqual(['alice']);
  });

  it('one an earlier version mapped is pointed out in the plan, with what to do', async () => {
    await firstDeploy(h);
    const alices = await h.sdk.sip.credentialLists.create({ friendlyName: 'homephone' });
    await h.sdk.sip.credentialLists(alices.sid).credentials.create({ username: 'alice', password: 'Alice-Pass-12345' });
    const domain = (await h.sdk.sip.domains.list()).find((d) => d.domainName === 'myhome.sip.twilio.com')!;
    await h.sdk.sip.domains(domain.sid).auth.calls.credentialListMappings.create({ credentialListSid: alices.sid });
    const { plan } = await planDeploy(h.session());
    const left = plan.changes.find((c) => c.resource === `SIP credential list homephone (${alices.sid})`)!;
    expect(left).toMatchObject({ action: 'unchanged', foreign: true });
    expect(left.note).toContain("WARNING: not homephone's, yet mapped under this domain's Auth/Calls, so its users can use the domain: remove that mapping in the Twilio Console");
    expect(renderPlan(plan)).toContain(`! leave   SIP credential list homephone (${alices.sid})  [not created by homephone]`);
  });

  it('homephone\'s own list with a user added by someone else stops the deploy, even with --adopt', async () => {
    await firstDeploy(h);
    const ours = (await h.sdk.sip.credentialLists.list()).find((l) => l.friendlyName === `homephone ${MANAGED_MARK}`)!;
    await h.sdk.sip.credentialLists(ours.sid).credentials.create({ username: 'mallory', password: 'Mallory-Pass-123' });
    for (const session of [h.session(), adopting()]) {
      await expect(planDeploy(session)).rejects.toThrow(/holds users homephone did not create \(mallory\): homephone never maps such a list/);
    }
  });
});

describe('deployments made before the mark', () => {
  async function stripMarks() {
    const service = await h.sdk.serverless.v1.services('homephone').fetch();
    await h.sdk.serverless.v1.services(service.sid).update({ friendlyName: 'homephone' });
    const domain = (await h.sdk.sip.domains.list()).find((d) => d.domainName === 'myhome.sip.twilio.com')!;
    await h.sdk.sip.domains(domain.sid).update({ friendlyName: 'homephone' });
    const list = (await h.sdk.sip.credentialLists.list()).find((l) => l.friendlyName === `homephone ${MANAGED_MARK}`)!;
    await h.sdk.sip.credentialLists(list.sid).update({ friendlyName: 'homephone' });
    for (const flow of await h.sdk.studio.v2.flows.list()) {
      const full = await h.sdk.studio.v2.flows(flow.sid).fetch();
      const definition = { ...(full.definition as object), description: 'homephone: before the mark' };
      await h.sdk.studio.v2.flows(flow.sid).update({ status: 'published', definition });
    }
  }

  it('are recognised from the SIDs the deploy state recorded, and marked by the next deploy', async () => {
    await firstDeploy(h);
    await stripMarks();
    const { plan } = await planDeploy(h.session());
    expect(plan.foreign).toEqual([]);
    const result = await deploy(h.session());
    expect(result.applied).toBeDefined();
    expect((await h.sdk.serverless.v1.services('homephone').fetch()).friendlyName).toBe(`homephone ${MANAGED_MARK}`);
    expect((await h.sdk.sip.credentialLists.list()).map((l) => l.friendlyName)).toEqual([`homephone ${MANAGED_MARK}`]);
    expect((await h.sdk.sip.domains.list()).map((d) => d.friendlyName)).toEqual([`homephone ${MANAGED_MARK}`]);
    expect((await deploy(h.session())).plan.hasChanges).toBe(false);
  });

  it('without that state (another machine), need --adopt; the old list holding only our user is adopted, not duplicated', async () => {
    await firstDeploy(h);
    await stripMarks();
    h.store.current = {};
    const { plan } = await planDeploy(h.session());
    expect(plan.foreign.map((c) => c.resource).sort()).toEqual(
      ['SIP credential list homephone [managed by homephone]', 'SIP domain myhome.sip.twilio.com', 'Serverless service homephone', 'Studio flow "homephone incoming"', 'Studio flow "homephone outbound"'].sort(),
    );
    await expect(deploy(h.session())).rejects.toThrow(/--adopt|did not create/);
    await deploy(adopting());
    expect((await h.sdk.sip.credentialLists.list()).map((l) => l.friendlyName)).toEqual([`homephone ${MANAGED_MARK}`]);
    expect((await deploy(h.session())).plan.hasChanges).toBe(false);
  });
});
