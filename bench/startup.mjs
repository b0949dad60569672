#!/usr/bin/env node
// Start-up time of `homephone --version` and `homephone whitelist list` (20 entries) against
// `node -e 0`, as medians over interleaved runs. Run after `npm run build`: npm run bench:startup
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const runs = Number(process.env.RUNS ?? 21);
const bin = resolve(import.meta.dirname, '../bin/homephone');
const dir = mkdtempSync(join(tmpdir(), 'homephone-bench-'));
const contacts = Array.from({ length: 20 }, (_, i) => ({
  Number: `+1555555${1000 + i}`,
  Person: `Person ${i}`,
  OverrideBedtime: i % 3 === 0,
  PrimaryContact: null,
}));
writeFileSync(join(dir, 'whitelist.json'), JSON.stringify(contacts, null, 4));
const env = { ...process.env, HOMEPHONE_CONFIG_DIR: dir, NO_COLOR: '1' };

const subjects = {
  'node -e 0': ['-e', '0'],
  'homephone --version': [bin, '--version'],
  'homephone whitelist list': [bin, 'whitelist', 'list'],
};

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const samples = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
for (const args of Object.values(subjects)) time(args); // warm the file cache
for (let i = 0; i < runs; i += 1) {
  for (const [name, args] of Object.entries(subjects)) samples[name].push(time(args));
}
rmSync(dir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples['node -e 0']);
console.log(`node ${process.version}, ${runs} runs each, interleaved`);
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  console.log(`${name.padEnd(26)} median ${m.toFixed(1).padStart(6)} ms   ratio ${(m / base).toFixed(2)}x`);
}
