#!/usr/bin/env node
// `homephone whitelist import` of 10k, 20k, 50k and 100k contacts (CSV and JSON, national
// numbers normalised with the household's country), through the built binary: wall time and CPU
// time (user + system, from /usr/bin/time when present: on a busy machine the wall time mostly
// measures the other work) per run, and CPU time per row, to show it grows linearly.
// Run after `npm run build`: npm run bench:import
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve(import.meta.dirname, '../bin/homephone');
const sizes = (process.env.SIZES ?? '10000,20000,50000,100000').split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'homephone-bench-import-'));

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** { wall, cpu } in ms; cpu is NaN without /usr/bin/time. */
function run(dir, args) {
  const timesFile = join(work, 'times');
  const command = timeBin ? [timeBin, ['-f', '%U %S', '-o', timesFile, process.execPath, bin, ...args]] : [process.execPath, [bin, ...args]];
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command[1], {
    env: { ...process.env, HOMEPHONE_CONFIG_DIR: dir, NO_COLOR: '1', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`homephone ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const cpu = timeBin ? readFileSync(timesFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000 : NaN;
  return { wall, cpu };
}

// Distinct valid US numbers: 555-01xx are fictional, so use area codes 201-989 and exchange 2xx-9xx.
function number(i) {
  const area = 201 + (Math.floor(i / 8_000_000) % 700);
  const exchange = 200 + (Math.floor(i / 10_000) % 800);
  const line = String(i % 10_000).padStart(4, '0');
  return `(${area}) ${exchange}-${line}`;
}

const rows = [];
for (const size of sizes) {
  const contacts = Array.from({ length: size }, (_, i) => ({
    Number: number(i),
    Person: `Person ${i}`,
    OverrideBedtime: i % 3 === 0,
    PrimaryContact: i % 5 === 0 ? 'Mum' : null,
  }));
  const csv = ['Number,Person,OverrideBedtime,PrimaryContact', ...contacts.map((c) => `${c.Number},${c.Person},${c.OverrideBedtime},${c.PrimaryContact ?? ''}`)].join('\n');
  const files = { csv: join(work, `in-${size}.csv`), json: join(work, `in-${size}.json`) };
  writeFileSync(files.csv, csv);
  writeFileSync(files.json, JSON.stringify(contacts, null, 4));
  for (const format of ['csv', 'json']) {
    const dir = mkdtempSync(join(work, 'cfg-'));
    run(dir, ['config', 'set', 'household.defaultCountry', 'US']);
    const fresh = run(dir, ['whitelist', 'import', files[format]]);
    // A second import of the same file: every row compared with an existing one.
    const again = run(dir, ['whitelist', 'import', files[format]]);
    rows.push({ size, format, fresh, again });
  }
}
rmSync(work, { recursive: true, force: true });

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log('| rows | format | into an empty list: wall / CPU | the same import again: wall / CPU | CPU µs per row (again) |');
console.log('| ---: | --- | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.size} | ${r.format} | ${s(r.fresh.wall)} / ${s(r.fresh.cpu)} | ${s(r.again.wall)} / ${s(r.again.cpu)} | ${((r.again.cpu * 1000) / r.size).toFixed(1)} |`);
}
