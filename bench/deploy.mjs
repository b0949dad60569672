#!/usr/bin/env node
// Wall time and CPU time of a first deploy, a no-op deploy and a whitelist-only deploy against an
// in-process twin (the real SDK over HTTP on 127.0.0.1, state in memory; the CPU time is this
// process's, so the deploy's and the twin's together), as medians over RUNS fresh twins, plus the
// requests of each, from the twin's request log. On a shared machine read the CPU time: the wall
// time is mostly waiting for a core. Run after `npm run build`: npm run bench:deploy
import { startTwin } from '../packages/twin/dist/index.js';
import { createTwilioClient } from '../dist/twilio/client.js';
import { createServerlessUploader } from '../dist/twilio/upload.js';
import { deploy, memoryStateStore, syncWhitelist } from '../dist/deploy/index.js';
import { hashMonitorCode } from '../dist/household/monitor-code.js';

const runs = Number(process.env.RUNS ?? 7);
const HOME = '+15551230001';
const BUZZER = '+15551230002';
const config = {
  household: {
    homeNumber: HOME, ownerCell: '+15551239000', defaultCountry: 'US', timeZone: 'America/New_York',
    sipDomain: 'myhome.sip.twilio.com', sipUsername: 'homephone', sipPassword: 'Bench-Password-1234',
    emergencyNumbers: ['911'], monitorCodeHash: hashMonitorCode('2468'),
    bedtime: [{ days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], start: '20:00', end: '07:00' }],
  },
  buzzer: {
    number: BUZZER, enterphoneNumber: '+15551238888', ringTimeout: 25, publicUrl: 'https://buzz.example.org/',
    tenants: [{ name: 'Alex', number: '+15551110000' }, { name: 'Sam', number: '+15551110001' }],
  },
};
const contacts = (n) =>
  Array.from({ length: n }, (_, i) => ({ Number: `+1555555${1000 + i}`, Person: `Person ${i}`, OverrideBedtime: i % 3 === 0, PrimaryContact: null }));
// CALLS_BEFORE=N first places N simulated calls (each in its own twin, Functions running), as the
// earlier test files of a vitest worker do: what those leave behind in the process (until
// 2026-12-01, an AsyncLocalStorage hook on every promise) is then paid by these deploys.
const callsBefore = Number(process.env.CALLS_BEFORE ?? 0);
if (callsBefore > 0) {
  const { simulateHomeCall } = await import('../dist/simulate/home-call.js');
  for (let i = 0; i < callsBefore; i++) {
    await simulateHomeCall({ config, whitelist: contacts(3), to: 'home', from: '+15555551000', at: new Date('2026-11-20T20:00:00Z'), hangupAfter: 30 });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const isWrite = (r) => r.method !== 'GET' && !r.path.endsWith('/Flows/Validate');
const kind = (r) =>
  `${r.method} ${r.product}${r.path.replace(/\/Accounts\/AC[0-9a-f]{32}/, '').replace(/[A-Z]{2}[0-9a-f]{32}/g, '{sid}')}`;

const times = { first: [], noop: [], whitelist: [] };
const cpu = { first: [], noop: [], whitelist: [] };
let breakdown;
for (let i = 0; i < runs; i++) {
  const twin = await startTwin({ numbers: [HOME, BUZZER] });
  const settings = { accountSid: twin.credentials.accountSid, authToken: twin.credentials.authToken, twinUrl: twin.url };
  const store = memoryStateStore();
  const session = (whitelist) => ({
    accountSid: settings.accountSid,
    client: createTwilioClient(settings, {}),
    uploader: createServerlessUploader(settings, {}),
    store, config, whitelist, sipPassword: config.household.sipPassword, sipPasswordGenerated: false,
  });
  const measure = async (name, fn) => {
    twin.log.clear();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    times[name].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[name].push((c.user + c.system) / 1000);
    return twin.log.all();
  };
  const first = await measure('first', () => deploy(session(contacts(20))));
  const noop = await measure('noop', () => deploy(session(contacts(20))));
  const sync = await measure('whitelist', () => syncWhitelist(session(contacts(21))));
  if (i === 0) {
    const count = (log) => {
      const out = {};
      for (const r of log.filter(isWrite)) out[kind(r)] = (out[kind(r)] ?? 0) + 1;
      return out;
    };
    breakdown = {
      first: { writes: first.filter(isWrite).length, reads: first.filter((r) => r.method === 'GET').length, byPath: count(first) },
      noop: { writes: noop.filter(isWrite).length, reads: noop.filter((r) => r.method === 'GET').length },
      whitelist: { writes: sync.filter(isWrite).length, byPath: count(sync) },
    };
  }
  await twin.close();
}

console.log(`deploy against an in-process twin, median of ${runs} runs (node ${process.version})${callsBefore ? `, after ${callsBefore} simulated calls` : ''}`);
const row = (label, name, requests) =>
  console.log(`  ${label.padEnd(22)} ${median(times[name]).toFixed(0).padStart(5)} ms wall ${median(cpu[name]).toFixed(0).padStart(5)} ms CPU   ${requests}`);
row('first deploy', 'first', `${breakdown.first.writes} writes, ${breakdown.first.reads} reads`);
row('no-op deploy', 'noop', `${breakdown.noop.writes} writes, ${breakdown.noop.reads} reads`);
row('whitelist-only sync', 'whitelist', `${breakdown.whitelist.writes} writes`);
console.log('\nwrite requests of the first deploy:');
for (const [k, n] of Object.entries(breakdown.first.byPath)) console.log(`  ${String(n).padStart(2)}  ${k}`);
console.log('\nwrite requests of the whitelist-only sync:');
for (const [k, n] of Object.entries(breakdown.whitelist.byPath)) console.log(`  ${String(n).padStart(2)}  ${k}`);
