// The numbers' messaging webhooks: deploy points the home number's texts at /sms-home and the
// buzzer number's at the agent's /sms with /sms-buzzer-fallback behind it; a second deploy writes
// nothing; a webhook or SMS application someone else set is theirs until --adopt; drift and status
// show the fields; rollback to a build without the Function says what it leaves unanswered.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploy, deployStatus, planDeploy, renderPlan, renderStatus, rollback, type DeploySession } from '../../src/deploy/index.js';
import { ForeignResourcesError } from '../../src/deploy/ownership.js';
import { TEMPLATES_DIR } from '../../src/deploy/templates.js';
import { BUZZER, HOME, firstDeploy, householdConfig, startDeployHarness, type DeployHarness } from './helpers.js';

let h: DeployHarness;

beforeAll(async () => {
  h = await startDeployHarness();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(() => h.reset());

const numberOf = async (phoneNumber: string) => (await h.sdk.incomingPhoneNumbers.list({ phoneNumber, limit: 1 }))[0]!;
const domain = async () => (await h.sdk.serverless.v1.services('homephone').environments.list())[0]!.domainName;

describe('messaging webhooks', () => {
  it('points the home number at /sms-home and the buzzer number at the agent with the Function as fallback; a second deploy writes nothing', async () => {
    const first = await deploy(h.session());
    const homeChange = first.plan.changes.find((c) => c.resource === `Phone number ${HOME} (home)`)!;
    expect(homeChange.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['sms_url']));
    expect(homeChange.foreign).toBeUndefined();
    const d = await domain();
    expect(await numberOf(HOME)).toMatchObject({ smsUrl: `https://${d}/sms-home`, smsMethod: 'POST', smsFallbackUrl: '', smsApplicationSid: null });
    expect(await numberOf(BUZZER)).toMatchObject({
      smsUrl: 'https://buzz.example.org/sms',
      smsMethod: 'POST',
      smsFallbackUrl: `https://${d}/sms-buzzer-fallback`,
      smsFallbackMethod: 'POST',
    });
    h.clearLog();
    const again = await deploy(h.session());
    expect(again.plan.hasChanges).toBe(false);
    expect(h.writes()).toEqual([]);
  });

  it("puts the agent's /sms below a public URL's path, as the agent serves it", async () => {
    const config = householdConfig();
    config.buzzer!.publicUrl = 'https://Home.Example.org:8443/buzzer/';
    await deploy(h.session({ config }));
    expect((await numberOf(BUZZER)).smsUrl).toBe('https://home.example.org:8443/buzzer/sms');
  });

  it("leaves another app's messaging webhook alone without --adopt, and takes it over with it", async () => {
    await h.sdk.incomingPhoneNumbers((await numberOf(HOME)).sid).update({ smsUrl: 'https://example.com/my-sms-app' });
    const { plan } = await planDeploy(h.session());
    expect(plan.foreign.map((c) => c.resource)).toEqual([`Phone number ${HOME} (home)`]);
    expect(renderPlan(plan)).toContain('its texts go to https://example.com/my-sms-app, not set by homephone: --adopt sends them to homephone instead');
    h.clearLog();
    await expect(deploy(h.session())).rejects.toThrow(ForeignResourcesError);
    expect(h.writes()).toEqual([]);
    expect((await numberOf(HOME)).smsUrl).toBe('https://example.com/my-sms-app');

    await deploy({ ...h.session(), adopt: true });
    expect((await numberOf(HOME)).smsUrl).toBe(`https://${await domain()}/sms-home`);
    // Once homephone set it, it is homephone's: later deploys need no --adopt.
    expect((await planDeploy(h.session())).plan.foreign).toEqual([]);
  });

  it("treats Twilio's demo reply as nobody's, and an SMS application as someone's (cleared only with --adopt)", async () => {
    await h.sdk.incomingPhoneNumbers((await numberOf(HOME)).sid).update({ smsUrl: 'https://demo.twilio.com/welcome/sms/reply/' });
    expect((await planDeploy(h.session())).plan.foreign).toEqual([]);

    h.reset();
    await h.sdk.incomingPhoneNumbers((await numberOf(BUZZER)).sid).update({ smsApplicationSid: `AP${'1'.repeat(32)}` });
    const { plan } = await planDeploy(h.session());
    const buzzer = plan.foreign.find((c) => c.resource === `Phone number ${BUZZER} (buzzer)`)!;
    expect(buzzer.note).toContain(`its texts go to the SMS application AP${'1'.repeat(32)}`);
    expect(buzzer.fields).toContainEqual({ field: 'sms_application_sid', before: `AP${'1'.repeat(32)}`, after: '(cleared)' });
    await deploy({ ...h.session(), adopt: true });
    expect((await numberOf(BUZZER)).smsApplicationSid).toBeNull();
  });

  it("shows a messaging URL changed in the console as drift, and the numbers' texts in status", async () => {
    await firstDeploy(h);
    await h.sdk.incomingPhoneNumbers((await numberOf(HOME)).sid).update({ smsUrl: 'https://example.com/console-edit' });
    const status = await deployStatus(h.session());
    expect(status.drift).toContainEqual({
      resource: `Phone number ${HOME}`,
      field: 'sms_url',
      before: `https://${await domain()}/sms-home`,
      after: 'https://example.com/console-edit',
    });
    const text = renderStatus(status);
    expect(text).toContain(`texts        ${BUZZER} → https://buzz.example.org/sms, fallback https://${await domain()}/sms-buzzer-fallback`);
    expect(text).toContain(`texts        ${HOME} → https://example.com/console-edit`);
    // homephone set the URL the console replaced: the next deploy puts it back without --adopt.
    const { plan } = await planDeploy(h.session());
    expect(plan.foreign).toEqual([]);
  });

  it('a deploy state from before the messaging fields shows no drift for them (no baseline), nor a foreign webhook it set itself', async () => {
    await firstDeploy(h);
    // What an older version recorded: the numbers' voice fields only.
    for (const [resource, fields] of Object.entries(h.store.current.applied ?? {})) {
      if (!resource.startsWith('Phone number ')) continue;
      for (const k of Object.keys(fields)) if (k.startsWith('sms_')) delete fields[k];
    }
    const status = await deployStatus(h.session());
    expect(status.drift).toEqual([]);
    expect(status.pending).toBeNull();
  });

  it('rollback to a build without the text Functions says which texts go unanswered until the next deploy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-templates-'));
    try {
      cpSync(TEMPLATES_DIR, dir, { recursive: true });
      rmSync(join(dir, 'functions', 'sms-home.js'));
      rmSync(join(dir, 'functions', 'sms-buzzer-fallback.js'));
      const old = (): DeploySession => ({ ...h.session(), templatesDir: dir });
      await deploy(old());
      await deploy(h.session());
      const result = await rollback(h.session());
      expect(result.warnings).toEqual([
        expect.stringMatching(new RegExp(`^\\${HOME}'s texts go to /sms-home, which the re-activated build does not have`)),
        expect.stringMatching(new RegExp(`^\\${BUZZER}'s texts \\(fallback\\) go to /sms-buzzer-fallback, which the re-activated build does not have`)),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
