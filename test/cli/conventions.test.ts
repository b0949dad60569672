// The conventions the README promises, kept by every command (issue 12): prompts need --yes without
// a terminal, colour follows the stream, one way to give a time, usage errors like other errors,
// consistent streams and exit codes. In-process through main(), against an in-process twin.
import { userInfo } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { createTwilioClient } from '../../src/twilio/client.js';
import { TENANT_BEHAVIOURS } from '../../src/simulate/buzz.js';
import { homephone, readJson, tempDir, type RunOptions } from '../helpers/cli.js';
import { deployedCliHousehold, initialisedFolder, SHARED_NUMBERS, SHARED_RECIPE, SHARED_TWIN_ACCOUNT } from '../helpers/cli-household.js';

const HOME = SHARED_NUMBERS.home;
const BUZZER = SHARED_NUMBERS.buzzer;
const ANSI = /\u001b\[/;
let twin: Twin;

beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME, BUZZER], credentials: SHARED_TWIN_ACCOUNT });
});
afterAll(async () => {
  await twin.close();
});
beforeEach(() => twin.admin.reset());

/**
 * A configured household (with a buzzer) whose Twilio is the twin: what init writes (a copy, see
 * helpers/cli-household.ts), or with `deployed` (and Grandma on the whitelist) as a first
 * `deploy --yes` leaves it, for tests whose subject comes after that deploy (copied too: the
 * folder and the twin's account together).
 */
async function household(options: { deployed?: boolean } = {}): Promise<{ dir: string; env: Record<string, string> }> {
  if (options.deployed) return deployedCliHousehold(twin, SHARED_RECIPE);
  const credentials = ['--account-sid', twin.credentials.accountSid, '--auth-token', twin.credentials.authToken];
  const dir = await initialisedFolder(['--yes', ...credentials, ...SHARED_RECIPE.init]);
  return { dir, env: { HOMEPHONE_TWIN_URL: twin.url } };
}

const writes = () => twin.log.all().filter((r) => r.method !== 'GET' && !r.path.endsWith('/Flows/Validate'));

describe('prompts: without a terminal, only --yes goes ahead', () => {
  it('deploy with stdin not a TTY and no --yes refuses with exit 2, naming --yes, and writes nothing', async () => {
    const { dir, env } = await household();
    // Not CI, stdin a pipe: the helper never gives a terminal.
    const r = await homephone(['deploy'], { dir, env: { ...env, CI: undefined }, input: 'y\n' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error: deploy changes Twilio and there is no terminal to confirm on: nothing was changed/);
    expect(r.stderr).toMatch(/hint: .*homephone deploy --yes/);
    expect(writes()).toEqual([]);
    // The plan was shown first, on stdout.
    expect(r.stdout).toContain(`Plan for the twin at ${twin.url}`);
    const rollback = await homephone(['rollback'], { dir, env });
    expect(rollback.exitCode).toBe(2);
  });

  it('deploy prints its plan on stdout whether or not there are changes', async () => {
    const { dir, env } = await household();
    const first = await homephone(['deploy', '--yes'], { dir, env });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`Plan for the twin at ${twin.url}`);
    expect(first.stdout).toMatch(/Plan: \d+ to create/);
    expect(first.stderr).not.toContain('Plan for');
    const again = await homephone(['deploy'], { dir, env }); // nothing to apply: no question, no --yes needed
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`Plan for the twin at ${twin.url}`);
    expect(again.stdout).toContain('No changes');
    expect(again.stderr).not.toContain('Plan for');
  });
});

describe('colour follows the stream it is written to', () => {
  // Colour allowed (no NO_COLOR, not CI): only whether each stream is a terminal decides.
  const colourEnv = (env: Record<string, string>) => ({ ...env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TERM: 'xterm-256color' });

  it('plan, status and doctor into a file from a terminal: no escape codes on stdout; on a terminal, colour', async () => {
    const { dir, env } = await household({ deployed: true });
    const sdk = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {});
    const [home] = await sdk.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    await sdk.incomingPhoneNumbers(home!.sid).update({ voiceUrl: 'https://example.com/console' }); // so plan has a change to paint

    for (const args of [['plan'], ['status'], ['doctor']]) {
      const toFile: RunOptions = { dir, env: colourEnv(env), stdoutIsTTY: false, stderrIsTTY: true };
      const redirected = await homephone(args, toFile);
      expect(redirected.stdout.length, args.join(' ')).toBeGreaterThan(0);
      expect(redirected.stdout, args.join(' ')).not.toMatch(ANSI);
      const onTerminal = await homephone(args, { ...toFile, stdoutIsTTY: true });
      expect(onTerminal.stdout, args.join(' ')).toMatch(ANSI);
    }
  });

  it('an error on stderr is coloured only when stderr is a terminal', async () => {
    const dir = tempDir();
    const onTerminal = await homephone(['config', 'get', 'nope'], { dir, env: colourEnv({}), stderrIsTTY: true });
    expect(onTerminal.stderr).toMatch(ANSI);
    const piped = await homephone(['config', 'get', 'nope'], { dir, env: colourEnv({}), stdoutIsTTY: true, stderrIsTTY: false });
    expect(piped.stderr).not.toMatch(ANSI);
  });
});

describe('one way to give a time: local in the household zone, or with an explicit offset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    await homephone(['config', 'set', 'household.timeZone', 'America/New_York'], { dir });
    await homephone(['bedtime', 'set', 'Fri-Sat 22:00-08:00'], { dir });
  });
  const show = async (args: string[], options: RunOptions = {}) => {
    const r = await homephone(['--json', 'bedtime', 'show', ...args], { dir, ...options });
    expect(r.exitCode, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { at: string; isBedtime: boolean; local: { day: string; time: string } };
  };

  it('bedtime show --at reads a time without offset as household time (not UTC)', async () => {
    // Saturday 09:30 in New York is after the window; read as UTC it would be 04:30, inside it.
    const local = await show(['--at', '2026-11-21 09:30']);
    expect(local).toMatchObject({ at: '2026-11-21T14:30:00.000Z', isBedtime: false, local: { day: 'Sat', time: '09:30' } });
    for (const explicit of ['2026-11-21 09:30-05:00', '2026-11-21T14:30:00Z', '2026-11-21T15:30+01:00']) {
      expect((await show(['--at', explicit])).at, explicit).toBe('2026-11-21T14:30:00.000Z');
    }
    expect((await show(['--at', '2026-11-21 07:59'])).isBedtime).toBe(true);
  });

  it('without --at, "now" is the clock the command is given', async () => {
    const now = () => new Date('2026-11-21T12:59:00Z'); // 07:59 in New York: still bedtime
    expect(await show([], { now })).toMatchObject({ at: '2026-11-21T12:59:00.000Z', isBedtime: true });
  });

  it('bedtime show and simulate reject a bad time the same way, naming the zone and the offset form', async () => {
    for (const args of [['bedtime', 'show', '--at', 'tomorrow'], ['simulate', 'buzz', '--at', '21/11/2026 7pm']]) {
      const r = await homephone(args, { dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/error: --at: ".*" is not a local time/);
      expect(r.stderr).toMatch(/hint: local time in America\/New_York, .*with an offset/);
    }
  });
});

describe('usage errors honour --json and carry a hint', () => {
  it('an unknown command', async () => {
    const r = await homephone(['--json', 'whitelst']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { message: "unknown command 'whitelst' (Did you mean whitelist?)", hint: 'homephone --help lists the commands', exitCode: 2 },
    });
    expect(r.stderr).toContain('hint: homephone --help lists the commands');
  });

  it('an unknown option and a missing required option name the command whose help to read', async () => {
    const option = await homephone(['--json', 'whitelist', 'list', '--bogus']);
    expect(option.exitCode).toBe(2);
    expect(JSON.parse(option.stdout).error).toEqual({ message: "unknown option '--bogus'", hint: 'see homephone whitelist list --help', exitCode: 2 });
    const missing = await homephone(['twin', 'call', '--to', HOME, '--json']);
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ message: "required option '--from <number>' not specified", hint: 'see homephone twin call --help' });
    const argument = await homephone(['bedtime', 'set']);
    expect(argument.stderr).toBe("error: missing required argument 'window'\nhint: see homephone bedtime set --help");
    expect(argument.stdout).toBe('');
  });
});

describe('whitelist add updates an existing contact and reminds to push the change', () => {
  it('--primary-contact alone updates the contact with that number, keeping its name', async () => {
    const dir = tempDir();
    await homephone(['config', 'set', 'household.defaultCountry', 'US'], { dir });
    const added = await homephone(['whitelist', 'add', '(555) 555-0101', '--name', 'Grandma'], { dir });
    expect(added.stderr).toContain('homephone whitelist sync (or homephone deploy)');
    const updated = await homephone(['whitelist', 'add', '(555) 555-0101', '--primary-contact', 'Mum'], { dir });
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(updated.stdout).toBe('Updated existing entry for Grandma (+15555550101)');
    expect(updated.stderr).toContain('push this one with homephone whitelist sync (or homephone deploy)');
    expect(readJson(join(dir, 'whitelist.json'))).toEqual([
      { Number: '+15555550101', Person: 'Grandma', OverrideBedtime: false, PrimaryContact: 'Mum' },
    ]);
    // Nothing changed: nothing to push, no reminder.
    const same = await homephone(['whitelist', 'add', '(555) 555-0101', '--primary-contact', 'Mum'], { dir });
    expect(same.stdout).toBe('Already listed: Grandma (+15555550101)');
    expect(same.stderr).toBe('');
  });

  it('a new number without --name is refused naming --name, and nothing is written', async () => {
    const dir = tempDir();
    const r = await homephone(['whitelist', 'add', '+15555550102', '--primary-contact', 'Mum'], { dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: missing --name: +15555550102 is not on the whitelist yet');
    expect(existsSync(join(dir, 'whitelist.json')) ? readJson(join(dir, 'whitelist.json')) : []).toEqual([]);
  });
});

describe('config show is the user\'s settings', () => {
  it("leaves deploy's records out (they are behind --all) and never shows a hash of a secret", async () => {
    const { dir, env } = await household({ deployed: true });
    const stored = readJson(join(dir, 'config.json')) as { deploy: { sip: { passwordHash: string }; applied: Record<string, { value?: string }> } };
    const secretHashes = [stored.deploy.sip.passwordHash, ...Object.entries(stored.deploy.applied).filter(([k]) => k.startsWith('Variable ')).map(([, v]) => v.value!)];
    expect(secretHashes.length).toBeGreaterThan(1);

    const show = await homephone(['config', 'show'], { dir });
    expect(show.stdout).not.toMatch(/^deploy\./m);
    expect(show.stdout).toContain(`household.homeNumber = ${HOME}`);
    expect(show.stderr).toContain('config show --all');
    const json = JSON.parse((await homephone(['--json', 'config', 'show'], { dir })).stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['buzzer', 'household', 'twilio']);

    const all = await homephone(['config', 'show', '--all', '--show-secrets'], { dir });
    expect(all.stdout).toMatch(/^deploy\.buildSid = ZB[0-9a-f]{32}$/m);
    expect(all.stdout).toContain('deploy.sip.passwordHash = ********');
    const get = await homephone(['config', 'get', 'deploy'], { dir });
    for (const out of [all.stdout, get.stdout]) for (const hash of secretHashes) expect(out).not.toContain(hash);
  });
});

describe('deploy: exit codes', () => {
  it('with no configuration at all, deploy (and plan, status, whitelist sync) exit 2 with a hint', async () => {
    const dir = tempDir();
    for (const args of [['deploy', '--yes'], ['plan'], ['status'], ['whitelist', 'sync']]) {
      const r = await homephone(args, { dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('error: there is no configuration to deploy');
      expect(r.stderr).toContain('hint: run homephone init first');
    }
  });

  it('rollback after a deploy that only re-pointed a number finds the deployment before', async () => {
    const { dir, env } = await household({ deployed: true });
    const firstBuild = (readJson(join(dir, 'config.json')) as { deploy: { buildSid: string } }).deploy.buildSid;
    expect((await homephone(['whitelist', 'add', '+15555550100', '--name', 'Bob', '--deploy'], { dir, env })).exitCode).toBe(0);
    // Someone re-points the home number in the console; the next deploy only puts it back.
    const sdk = createTwilioClient({ accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url }, {});
    const [home] = await sdk.incomingPhoneNumbers.list({ phoneNumber: HOME, limit: 1 });
    await sdk.incomingPhoneNumbers(home!.sid).update({ voiceUrl: 'https://example.com/console' });
    const fix = await homephone(['--json', 'deploy', '--yes'], { dir, env });
    expect(JSON.parse(fix.stdout).applied.breakdown).toEqual({ 'update phone number': 1 });

    const r = await homephone(['--json', 'rollback', '--yes'], { dir, env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).build.to).toBe(firstBuild);
  });
});

describe('simulate buzz', () => {
  it('--code without entry codes says the door asks for none', async () => {
    const { dir } = await household();
    const r = await homephone(['simulate', 'buzz', '--tenant', 'Alex=answers:1', '--code', '4821#'], { dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: no entry codes are set, so the door asks the visitor for none');
  });

  it('--help lists every tenant behaviour, busy among them', async () => {
    const r = await homephone(['simulate', 'buzz', '--help']);
    expect(r.exitCode).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const behaviour of ['answers:1', 'answers:9', 'voicemail', 'no-answer', 'busy']) {
      expect(TENANT_BEHAVIOURS).toContain(behaviour);
      expect(help).toContain(behaviour);
    }
  });
});

describe('agent install and doctor', () => {
  it('the systemd unit names documentation that exists', async () => {
    // --run-as: as root (CI) the install refuses to guess the account.
    const r = await homephone(['agent', 'install', '--print', '--run-as', userInfo().username], { dir: tempDir() });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = /^Documentation=(\S+)$/m.exec(r.stdout)?.[1];
    expect(doc).toMatch(/^file:\/\//);
    const path = fileURLToPath(doc!);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('homephone agent');
    // And the package ships it.
    expect((readJson(fileURLToPath(new URL('../../package.json', import.meta.url))) as { files: string[] }).files).toContain('docs');
  });

  it('doctor without --agent-url reaches no host it was not given: the agent is "not checked", no DNS failure', async () => {
    const { dir, env } = await household({ deployed: true });
    const r = await homephone(['--json', 'doctor'], { dir, env });
    const report = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; detail: string }> };
    expect(report.checks.find((c) => c.id === 'agent')).toMatchObject({ status: 'skip', detail: expect.stringContaining('--agent-url https://buzz.example.org/') });
    expect(JSON.stringify(report)).not.toMatch(/ENOTFOUND|EAI_AGAIN|getaddrinfo|buzz\.example\.org\/healthz/);
  });
});
