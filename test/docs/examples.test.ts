// The docs can't drift from the program: every `homephone …` example in a ``` block of the README
// and docs/*.md parses with the real commander program, and runs, in-process, against a prepared
// household whose Twilio is a twin (a few long-running or outside-world ones are parse-only, each
// with its reason). Every `--help` example parses too and appears in the docs.
import { copyFileSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin, type TwinSnapshot } from '@homephone/twin';
import { homephone, root, tempDir } from '../helpers/cli.js';
import { commandPaths, docExamples, docFiles, helpExamples, isSynopsis, shellWords, usageProblems, type Example } from './examples.js';

const HOME = '+15551230000';
const BUZZER = '+15551239999';
const OWNER = '+15551230001';

/** Examples that are only parsed, not run: why, by a test of the start of the line. */
const parseOnly: Array<[RegExp, string]> = [
  [/^homephone agent(?! install --print)/, 'a long-running server (install --user writes a unit): test/cli/agent.test.ts runs the agent as a process'],
  [/^homephone agent install --print/, 'run as root (as CI is) it refuses without --run-as: test/cli/agent.test.ts and conventions.test.ts print the unit'],
  [/^homephone check/, 'places calls against a deployed household with its agent: test/check/check.test.ts runs it against a twin'],
  [/^homephone twin start/, 'a long-running server: test/cli/twin-command.test.ts'],
  [/^homephone monitor(?! --once)/, 'a live view until Ctrl-C, or a call to a real cell: test/cli/monitor.test.ts (pty and --once)'],
  [/^homephone hue /, 'needs a Hue bridge on the network: test/cli/hue.test.ts runs each against the fake bridge'],
  [/^homephone demo/, 'the whole demo: test/cli/demo.test.ts runs these forms'],
  [/^homephone init\s*(#|$)/, 'interactive: test/cli/init-interactive.test.ts'],
  [/^homephone deploy --twin http:\/\/127\.0\.0\.1:4010/, 'needs the twin the line above starts on port 4010'],
  [/^homephone sip phone-config --out \/srv\//, 'writes outside the test folder'],
  [/^homephone doctor --agent-url/, 'reaches an agent on the network: test/cli/doctor.test.ts runs doctor --agent-url against a real agent'],
];

/** Examples that end with an exit code other than 0, by design. */
const expectedExit: Array<[RegExp, number, string]> = [
  [/^homephone rollback\s+#/, 2, 'asks first, and there is no terminal (nor --yes)'],
  [/^homephone buzzer code add cleaner\s+#/, 2, 'asks for the code, and there is no terminal'],
];

let twin: Twin;
beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME, BUZZER] });
});
afterAll(async () => {
  await twin.close();
});

/** The household as first deployed: the twin's account and copies of the two folders, untouched. */
let deployed: { snapshot: TwinSnapshot; dir: string; cwd: string } | undefined;

/**
 * A household like the docs' (with a buzzer), files the examples name in the working folder.
 * The first call runs init, whitelist add and deploy; later ones restore that twin account and
 * copy those folders (fresh copies), as each page's examples change both.
 */
async function prepared(): Promise<{ dir: string; cwd: string; env: Record<string, string> }> {
  const dir = tempDir();
  const cwd = tempDir('homephone-docs-cwd-');
  const env = { HOMEPHONE_TWIN_URL: twin.url, XDG_CONFIG_HOME: join(cwd, 'xdg') };
  if (deployed) {
    twin.admin.restore(deployed.snapshot);
    cpSync(deployed.dir, dir, { recursive: true });
    cpSync(deployed.cwd, cwd, { recursive: true });
    return withExampleFiles({ dir, cwd, env });
  }
  twin.admin.reset();
  const init = await homephone(
    [
      'init', '--yes',
      '--account-sid', twin.credentials.accountSid, '--auth-token', twin.credentials.authToken,
      '--home-number', HOME, '--owner-cell', OWNER, '--time-zone', 'America/New_York',
      '--sip-domain', 'myhome', '--monitor-code', '2468', '--bedtime', 'Fri-Sat 22:00-08:00',
      '--buzzer-number', BUZZER, '--enterphone-number', '+15551238888',
      '--tenant', 'Alex=+15551110000', '--tenant', 'Sam=+15551110001', '--public-url', 'https://buzz.example.org/',
    ],
    { dir, env },
  );
  expect(init.exitCode, init.stderr).toBe(0);
  for (const [number, name] of [['+15555555555', 'Grandma'], ['+15555550100', 'Uncle Bob']]) {
    expect((await homephone(['whitelist', 'add', number!, '--name', name!], { dir, env })).exitCode).toBe(0);
  }
  const deploy = await homephone(['deploy', '--yes'], { dir, env });
  expect(deploy.exitCode, deploy.stderr).toBe(0);
  deployed = { snapshot: twin.admin.snapshot(), dir: tempDir('homephone-docs-saved-'), cwd: tempDir('homephone-docs-saved-cwd-') };
  cpSync(dir, deployed.dir, { recursive: true });
  cpSync(cwd, deployed.cwd, { recursive: true });
  return withExampleFiles({ dir, cwd, env });
}

function withExampleFiles<T extends { cwd: string }>(prepared: T): T {
  const { cwd } = prepared;
  copyFileSync(join(root, 'packages/twin/test/fixtures/seed-000/whitelistnumbers.json'), join(cwd, 'whitelistnumbers.json'));
  writeFileSync(join(cwd, 'family.csv'), 'Number,Person,OverrideBedtime,PrimaryContact\n+15555550111,Aunt May,false,Mum\n');
  writeFileSync(join(cwd, 'answers.json'), JSON.stringify({ timeZone: 'America/Chicago' }));
  return prepared;
}

/** The docs' placeholders, made real. */
function concrete(args: string[]): string[] {
  const values: Record<string, string> = {
    'ACxxxxxxxx…': twin.credentials.accountSid,
    'xxxxxxxx…': twin.credentials.authToken,
    '<owner cell>': OWNER,
  };
  return args.map((a) => values[a] ?? a);
}

const examples = docExamples().filter((e) => !isSynopsis(e));
const byFile = new Map<string, Example[]>();
for (const e of examples) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);

describe('the command examples in the docs', () => {
  it('are found in each user page', () => {
    expect(examples.length).toBeGreaterThan(80);
    for (const file of docFiles().filter((f) => f !== 'README.md')) expect(byFile.get(file)?.length ?? 0, file).toBeGreaterThan(0);
  });

  it('all parse with the real program: known commands, known options, the arguments they need', async () => {
    const problems: string[] = [];
    for (const e of examples) {
      for (const p of await usageProblems(concrete(e.args))) problems.push(`${e.file}:${e.line} ${e.text}\n  ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('the usage check does catch an unknown command, option or missing argument', async () => {
    expect(await usageProblems(['whitelist', 'ad', '+15555555555'])).toEqual(["homephone whitelist: unknown command 'ad'"]);
    expect(await usageProblems(['whitelist', 'list', '--bogus'])).toEqual(['homephone whitelist list: unknown option(s) --bogus']);
    expect(await usageProblems(['bedtime', 'set'])).toEqual(['homephone bedtime set: needs 1 argument(s), got 0']);
    expect(await usageProblems(['twin', 'call', '--to', HOME])).toEqual(['homephone twin call: missing --from <number>']);
  });

  // The twin's own README shows it against a twin started on a fixed port: parsed only (test/cli/twin-*.test.ts run it).
  for (const [file, list] of [...byFile].filter(([f]) => !f.startsWith('packages/'))) {
    it(`run as written, in order, in ${file}`, async () => {
      const { dir, cwd, env } = await prepared();
      const failures: string[] = [];
      let ran = 0;
      for (const e of list) {
        if (parseOnly.some(([re]) => re.test(e.text))) continue;
        const expected = expectedExit.find(([re]) => re.test(e.text))?.[1] ?? 0;
        const r = await homephone(concrete(e.args), { dir, cwd, env });
        ran += 1;
        if (r.exitCode !== expected) failures.push(`${file}:${e.line} ${e.text}\n  exit ${r.exitCode} (expected ${expected}): ${r.stderr.split('\n').slice(0, 2).join(' / ')}`);
      }
      expect(failures).toEqual([]);
      expect(ran).toBeGreaterThan(0);
    });
  }
});

describe('homephone <command> --help examples', () => {
  it('parse with the real program and appear in the docs', async () => {
    const docsText = examples.map((e) => e.args.join(' '));
    const problems: string[] = [];
    let count = 0;
    for (const path of await commandPaths()) {
      const help = await homephone([...path, '--help']);
      expect(help.exitCode, path.join(' ')).toBe(0);
      for (const line of helpExamples(help.stdout)) {
        count += 1;
        const args = shellWords(line).slice(1);
        for (const p of await usageProblems(concrete(args))) problems.push(`${path.join(' ')} --help: ${line}\n  ${p}`);
        if (!docsText.includes(args.join(' '))) problems.push(`${path.join(' ')} --help: "${line}" is not among the docs' examples`);
      }
    }
    expect(count).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
