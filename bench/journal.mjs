#!/usr/bin/env node
// The buzz journal's cost: how long one save takes (serialise the buzzes in progress, write a new
// file, rename it over the old one), for 1, 10 and 100 buzzes in progress. The agent saves after
// each webhook, before its answer goes out, so this is added to the answer's latency.
// Run after `npm run build`: node bench/journal.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuzzJournal } from '../dist/agent/buzz-journal.js';
import { Buzz } from '../dist/agent/buzz-state.js';
import { silentLogger } from '../dist/agent/logger.js';

const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const hex = (i) => i.toString(16).padStart(32, '0');
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const round = (x) => Math.round(x * 1000) / 1000;

const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'homephone-journal-'));
try {
  console.log(`| buzzes in progress | file size | median | p99 | (${ROUNDS} saves in ${dir}) |`);
  console.log('|---|---|---|---|---|');
  for (const n of [1, 10, 100]) {
    const journal = new BuzzJournal(join(dir, `buzzes-${n}.json`), silentLogger);
    const now = new Date();
    const buzzes = Array.from({ length: n }, (_, i) => {
      const b = new Buzz(`CA${hex(i + 1)}`, `bz-CA${hex(i + 1)}`, now, 'ringing');
      b.legs = ['Alex', 'Sam'].map((name, index) => ({ index, tenant: { name, number: `+1555111000${index}` }, callSid: `CA${hex(1000 + i * 2 + index)}`, status: 'ringing', answered: false, prompting: false, cancelling: false }));
      b.ringsUntil = new Date(now.getTime() + 30_000);
      return b;
    });
    const times = [];
    for (let r = 0; r < ROUNDS; r++) {
      buzzes[r % n].codeTries = r; // a change, so every save writes
      const t = performance.now();
      journal.save(buzzes, {}, now);
      times.push(performance.now() - t);
    }
    const { statSync } = await import('node:fs');
    const size = statSync(join(dir, `buzzes-${n}.json`)).size;
    console.log(`| ${n} | ${size} B | ${round(pct(times, 50))} ms | ${round(pct(times, 99))} ms | |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
