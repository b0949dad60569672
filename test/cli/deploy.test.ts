// homephone deploy | plan | status | rollback | sip credentials | whitelist sync, in-process
// through main() against an in-process twin (HOMEPHONE_TWIN_URL / --twin).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { createTwilioClient } from '../../src/twilio/client.js';
import { homephone, readJson } from '../helpers/cli.js';
import { deployedCliHousehold, initialisedFolder, SHARED_NUMBERS, SHARED_RECIPE, SHARED_TWIN_ACCOUNT } from '../helpers/cli-household.js';
import { join } from 'node:path';

const HOME = SHARED_NUMBERS.home;
const BUZZER = SHARED_NUMBERS.buzzer;
let twin: Twin;

beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME, BUZZER], credentials: SHARED_TWIN_ACCOUNT });
});
afterAll(async () => {
  await twin.close();
});
beforeEach(() => twin.admin.reset());

/** The household, initialised (a copy of what init writes, helpers/cli-household.ts) with Grandma on the whitelist. */
async function household(): Promise<{ dir: string; env: Record<string, string> }> {
  const credentials = ['--account-sid', twin.credentials.accountSid, '--auth-token', twin.credentials.authToken];
  const dir = await initialisedFolder(['--yes', ...credentials, ...SHARED_RECIPE.init]);
  for (const [number, name] of SHARED_RECIPE.whitelist!) await homephone(['whitelist', 'add', number, '--name', name], { dir });
  return { dir, env: { HOMEPHONE_TWIN_URL: twin.url } };
}

/** The same household as a first `deploy --yes` leaves it (folder and twin copied together), for tests of what comes after. */
const deployedHousehold = () => deployedCliHousehold(twin, SHARED_RECIPE);

const writes = () => twin.log.all().filter((r) => r.method !== 'GET' && !r.path.endsWith('/Flows/Validate'));

describe('homephone deploy against a twin', () => {
  it('plans readably without secrets, applies, then has nothing to do (exit codes 2, 0, 0)', async () => {
    const { dir, env } = await household();
    const dry = await homephone(['deploy', '--dry-run', '--detailed-exitcode'], { dir, env });
    expect(dry.exitCode).toBe(2);
    expect(dry.stdout).toContain(`Plan for the twin at ${twin.url}`);
    expect(dry.stdout).toContain('+ create  Function /incoming  (templates/functions/incoming.js)');
    expect(dry.stdout).toContain('              password: ********');
    expect(dry.stdout).toMatch(/Plan: 52 to create, 2 to update, 0 to delete, 0 unchanged; 84 write requests\./);
    expect(writes()).toEqual([]);

    const applied = await homephone(['--json', 'deploy', '--yes'], { dir, env });
    expect(applied.exitCode).toBe(0);
    const doc = JSON.parse(applied.stdout);
    expect(doc.applied.writes).toBe(84);
    expect(doc.applied.operations).toHaveLength(84);
    expect(doc.applied.breakdown).toMatchObject({ 'create Function': 26, 'upload version Function': 26, 'create Sync service': 1, 'update phone number': 2 });
    expect(writes()).toHaveLength(84);
    // Progress went to stderr as plain lines (not a TTY).
    expect(applied.stderr).toContain('✓ Functions and assets: 60 writes');

    // The generated SIP password is in the config, never in any output.
    const config = readJson(join(dir, 'config.json')) as { household: { sipPassword: string; monitorCodeHash: string } };
    expect(config.household.sipPassword).toMatch(/^(?=.*\d)(?=.*[a-z])(?=.*[A-Z]).{12,}$/);
    for (const out of [dry.stdout, dry.stderr, applied.stdout, applied.stderr]) {
      expect(out).not.toContain(config.household.sipPassword);
      expect(out).not.toContain(config.household.monitorCodeHash);
      expect(out).not.toContain(twin.credentials.authToken);
    }

    twin.log.clear();
    const again = await homephone(['deploy', '--yes'], { dir, env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('No changes: Twilio matches the configuration.');
    expect(twin.log.all().filter((r) => r.method !== 'GET')).toEqual([]);
    const plan = await homephone(['--json', 'plan', '--detailed-exitcode'], { dir, env });
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(plan.stdout).plan).toMatchObject({ hasChanges: false, summary: { writes: 0 } });
  });

  it('takes the twin from --twin as well', async () => {
    const { dir } = await household();
    const dry = await homephone(['plan', '--twin', twin.url], { dir });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`Plan for the twin at ${twin.url}`);
  });

  it('exits 4 with a hint when Twilio rejects the credentials', async () => {
    const { dir, env } = await household();
    const bad = await homephone(['deploy', '--dry-run'], { dir, env: { ...env, TWILIO_AUTH_TOKEN: '0'.repeat(32) } });
    expect(bad.exitCode).toBe(4);
    expect(bad.stderr).toMatch(/error: Twilio rejected the credentials \(20003\)/);
    expect(bad.stderr).toMatch(/hint: check twilio\.accountSid/);
  });

  it('refuses --detailed-exitcode without --dry-run', async () => {
    const { dir, env } = await household();
    const r = await homephone(['deploy', '--detailed-exitcode'], { dir, env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--detailed-exitcode goes with --dry-run');
  });

  it('status shows drift after a console change, as text and --json', async () => {
    const { dir, env } = await deployedHousehold();
    const clean = await homephone(['status'], { dir, env });
    expect(clean.stdout).toContain('No drift since the last deploy.');
    expect(clean.stdout).toContain('The configuration is fully deployed.');

    const sdk = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {});
    const [home] = await sdk.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    await sdk.incomingPhoneNumbers(home!.sid).update({ voiceUrl: 'https://example.com/console' });

    const text = await homephone(['status'], { dir, env });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('Drift since the last deploy (1)');
    expect(text.stdout).toContain(`Phone number ${HOME} voice_url: "${home!.voiceUrl}" → "https://example.com/console"`);
    const json = JSON.parse((await homephone(['--json', 'status'], { dir, env })).stdout);
    expect(json.drift).toEqual([{ resource: `Phone number ${HOME}`, field: 'voice_url', before: home!.voiceUrl, after: 'https://example.com/console' }]);
    expect(json.pending.summary.writes).toBe(1);
  });

  it('whitelist add --deploy and whitelist sync push one asset version, one build, one deployment', async () => {
    const { dir, env } = await deployedHousehold();
    const added = await homephone(['whitelist', 'add', '+15555550100', '--name', 'Bob', '--deploy'], { dir, env });
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toContain('Added Bob (+15555550100)');
    expect(added.stdout).toContain('Pushed the whitelist (2 contact(s))');
    expect(writes().map((w) => w.path.replace(/[A-Z]{2}[0-9a-f]{32}/g, '*'))).toEqual([
      '/v1/Services/*/Assets/*/Versions',
      '/v1/Services/*/Builds',
      '/v1/Services/*/Environments/*/Deployments',
    ]);
    const synced = await homephone(['--json', 'whitelist', 'sync'], { dir, env });
    expect(JSON.parse(synced.stdout)).toMatchObject({ changed: false, writes: 0 });
  });

  it('rollback goes back to the previous build', async () => {
    const fresh = await household();
    expect((await homephone(['rollback', '--yes'], fresh)).exitCode).toBe(2); // nothing deployed yet
    const { dir, env } = await deployedHousehold();
    await homephone(['whitelist', 'add', '+15555550100', '--name', 'Bob', '--deploy'], { dir, env });
    const r = await homephone(['--json', 'rollback', '--yes'], { dir, env });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.build.to).not.toBe(doc.build.from);
    const service = [...twin.state.services.values()][0]!;
    expect([...service.environments.values()][0]!.json.build_sid).toBe(doc.build.to);
  });

  it('sip credentials masks the password unless --show-secrets', async () => {
    const { dir, env } = await household();
    const before = await homephone(['sip', 'credentials'], { dir });
    expect(before.stdout).toContain('(none yet: homephone deploy generates one');
    await homephone(['deploy', '--yes'], { dir, env });
    const password = (readJson(join(dir, 'config.json')) as { household: { sipPassword: string } }).household.sipPassword;
    const masked = await homephone(['sip', 'credentials'], { dir });
    expect(masked.stdout).toContain('User name               homephone');
    expect(masked.stdout).toContain('Password                ********');
    expect(masked.stdout).not.toContain(password);
    const shown = await homephone(['--json', 'sip', 'credentials', '--show-secrets'], { dir });
    expect(JSON.parse(shown.stdout)).toMatchObject({ domain: 'myhome.sip.twilio.com', username: 'homephone', password });
    // The credential on the twin has that very password.
    const list = [...twin.state.credentialLists.values()][0]!;
    expect([...list.credentials.values()][0]!.password).toBe(password);
  });
});
