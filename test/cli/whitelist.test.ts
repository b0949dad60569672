import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileMode, homephone, readJson, root, tempDir, writeFile } from '../helpers/cli.js';

const seedWhitelist = join(root, 'packages/twin/test/fixtures/seed-000/whitelistnumbers.json');
const whitelistOf = (dir: string) => readJson(join(dir, 'whitelist.json'));

async function household(country = 'US') {
  const dir = tempDir();
  await homephone(['config', 'set', 'household.defaultCountry', country], { dir });
  return dir;
}

describe('homephone whitelist', () => {
  it('adds with E.164 normalisation, updates an existing number and says so', async () => {
    const dir = await household();
    const added = await homephone(['whitelist', 'add', '(555) 555-5555', '--name', 'John Doe'], { dir });
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toContain('Added John Doe (+15555555555)');
    const updated = await homephone(
      ['--json', 'whitelist', 'add', '+1 555-555-5555', '--name', 'John Doe', '--override-bedtime', '--primary-contact', 'Dad'],
      { dir },
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({ action: 'updated' });
    expect(whitelistOf(dir)).toEqual([{ Number: '+15555555555', Person: 'John Doe', OverrideBedtime: true, PrimaryContact: 'Dad' }]);
    expect(fileMode(join(dir, 'whitelist.json'))).toBe(0o600);
    // Updating only the name keeps the other fields.
    await homephone(['whitelist', 'add', '5555555555', '--name', 'Johnny'], { dir });
    expect(whitelistOf(dir)).toEqual([{ Number: '+15555555555', Person: 'Johnny', OverrideBedtime: true, PrimaryContact: 'Dad' }]);
  });

  it('refuses an invalid number with the reason and exit 2, writing nothing', async () => {
    const dir = await household();
    for (const [number, reason] of [
      ['12', /too short/],
      ['call-grandma', /contains letters/],
      ['+1 555 555 55555 555', /too long/],
    ] as const) {
      const result = await homephone(['whitelist', 'add', number, '--name', 'X'], { dir });
      expect(result.exitCode, number).toBe(2);
      expect(result.stderr, number).toMatch(reason);
    }
    expect(() => readFileSync(join(dir, 'whitelist.json'))).toThrow();
    const noCountry = await homephone(['whitelist', 'add', '555 555 5555', '--name', 'X'], { dir: tempDir() });
    expect(noCountry.exitCode).toBe(2);
    expect(noCountry.stderr).toMatch(/homephone config set household.defaultCountry/);
  });

  it("imports the seed's whitelist, lists it and exports it unchanged in meaning", async () => {
    const dir = await household();
    const imported = await homephone(['whitelist', 'import', seedWhitelist], { dir });
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/1 added/);
    const list = await homephone(['whitelist', 'list'], { dir });
    expect(list.stdout).toMatch(/\+15555555555\s+John Doe\s+yes/);
    const exported = await homephone(['whitelist', 'export'], { dir });
    expect(JSON.parse(exported.stdout)).toEqual(JSON.parse(readFileSync(seedWhitelist, 'utf8')));
    const listed = await homephone(['--json', 'whitelist', 'list'], { dir });
    expect(JSON.parse(listed.stdout)).toEqual(JSON.parse(readFileSync(seedWhitelist, 'utf8')));
  });

  it('round-trips CSV, quoting names with commas and quotes', async () => {
    const dir = await household();
    const csv = writeFile(
      dir,
      'family.csv',
      'Number,Person,OverrideBedtime,PrimaryContact\r\n(555) 555-0101,"Doe, Jane",true,\r\n+15555550102,"Bob ""the builder""",false,Jane\r\n',
    );
    const result = await homephone(['whitelist', 'import', csv], { dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const exported = await homephone(['whitelist', 'export', '--format', 'csv'], { dir });
    expect(exported.stdout).toBe(
      'Number,Person,OverrideBedtime,PrimaryContact\n+15555550101,"Doe, Jane",true,\n+15555550102,"Bob ""the builder""",false,Jane',
    );
    const again = await household();
    writeFileSync(join(again, 'back.csv'), exported.stdout);
    await homephone(['whitelist', 'import', join(again, 'back.csv')], { dir: again });
    expect(whitelistOf(again)).toEqual(whitelistOf(dir));
  });

  it('an import with one bad row changes nothing and names the row', async () => {
    const dir = await household();
    await homephone(['whitelist', 'add', '+15555550100', '--name', 'Kept'], { dir });
    const before = readFileSync(join(dir, 'whitelist.json'), 'utf8');
    const csv = writeFile(dir, 'bad.csv', 'Number,Person,OverrideBedtime,PrimaryContact\n+15555550101,Ann,true,\n42,Bad,false,\n');
    const result = await homephone(['whitelist', 'import', csv], { dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/line 3/);
    const json = writeFile(dir, 'bad.json', JSON.stringify([{ Number: '+15555550101', Person: 'Ann' }, { Person: 'NoNumber' }]));
    const jsonResult = await homephone(['whitelist', 'import', json], { dir });
    expect(jsonResult.exitCode).toBe(2);
    expect(jsonResult.stderr).toMatch(/entry 2 has no Number/);
    expect(readFileSync(join(dir, 'whitelist.json'), 'utf8')).toBe(before);
  });

  it('import --replace replaces the list', async () => {
    const dir = await household();
    await homephone(['whitelist', 'add', '+15555550100', '--name', 'Old'], { dir });
    const result = await homephone(['--json', 'whitelist', 'import', '--replace', seedWhitelist], { dir });
    expect(JSON.parse(result.stdout)).toEqual({ added: 1, updated: 0, unchanged: 0, removed: 1, total: 1 });
    expect(whitelistOf(dir)).toEqual(JSON.parse(readFileSync(seedWhitelist, 'utf8')));
  });

  it('removes by number or by name; an unknown or ambiguous one exits 2', async () => {
    const dir = await household();
    await homephone(['whitelist', 'add', '+15555550101', '--name', 'Ann'], { dir });
    await homephone(['whitelist', 'add', '+15555550102', '--name', 'Ann'], { dir });
    await homephone(['whitelist', 'add', '+15555550103', '--name', 'Bob'], { dir });
    const ambiguous = await homephone(['whitelist', 'remove', 'ann'], { dir });
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toMatch(/2 contacts are named "ann"/);
    expect((await homephone(['whitelist', 'remove', '(555) 555-0101'], { dir })).exitCode).toBe(0);
    expect((await homephone(['whitelist', 'remove', 'BOB'], { dir })).exitCode).toBe(0);
    expect(whitelistOf(dir)).toEqual([{ Number: '+15555550102', Person: 'Ann', OverrideBedtime: false, PrimaryContact: null }]);
    const missing = await homephone(['whitelist', 'remove', 'Zed'], { dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no contact has the number or name "Zed"/);
  });

  it('20 parallel adds leave 20 entries', async () => {
    const dir = await household();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        homephone(['whitelist', 'add', `+1555555${String(1000 + i)}`, '--name', `Person ${i}`], { dir }),
      ),
    );
    expect(results.map((r) => r.exitCode)).toEqual(Array(20).fill(0));
    const list = whitelistOf(dir) as { Number: string }[];
    expect(list).toHaveLength(20);
    expect(new Set(list.map((c) => c.Number)).size).toBe(20);
  });

  it('a corrupt whitelist is reported with the file and position and never overwritten', async () => {
    const dir = await household();
    const path = join(dir, 'whitelist.json');
    const corrupt = '[\n  {"Number": "+15555555555", "Person": "A"},\n  {"Number": +1555}\n]\n';
    writeFileSync(path, corrupt);
    for (const args of [['whitelist', 'list'], ['whitelist', 'add', '+15555550100', '--name', 'B'], ['whitelist', 'import', seedWhitelist]]) {
      const result = await homephone(args, { dir });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(path);
      expect(result.stderr).toMatch(/line 3, column 14/);
    }
    expect(readFileSync(path, 'utf8')).toBe(corrupt);
    // Valid JSON of the wrong shape is named too.
    copyFileSync(seedWhitelist, path);
    writeFileSync(path, JSON.stringify([{ Number: '555', Person: 'A' }]));
    const shape = await homephone(['whitelist', 'list'], { dir });
    expect(shape.exitCode).toBe(2);
    expect(shape.stderr).toMatch(/entry 1: Number "555" is not in E.164 form/);
  });
});
