#!/usr/bin/env node
// Hops per home-phone call path: Function invocations and Studio widget steps, counted from the
// transcripts of calls placed in a twin holding exactly what deploy deploys (the same code as
// `homephone simulate call`). "Until it rings" counts the invocations before the far end (the SIP
// phone, the owner's cell, the dialled number) starts ringing. Run after `npm run build`:
// node bench/calls.mjs
import { simulateHomeCall } from '../dist/simulate/home-call.js';
import { hashMonitorCode } from '../dist/household/monitor-code.js';
import { localTimeToInstant } from '../dist/household/local-time.js';

const OWNER = '+15551239000';
const config = {
  household: {
    homeNumber: '+15551230001', ownerCell: OWNER, defaultCountry: 'US', timeZone: 'America/New_York',
    sipDomain: 'myhome.sip.twilio.com', sipUsername: 'homephone', sipPassword: 'Bench-Password-1234',
    emergencyNumbers: ['911'], monitorCodeHash: hashMonitorCode('2468'),
    bedtime: [{ days: ['Fri', 'Sat'], start: '22:00', end: '08:00' }],
  },
};
const whitelist = [
  { Number: '+15555555555', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null },
  { Number: '+15555550100', Person: 'Uncle Bob', OverrideBedtime: false, PrimaryContact: null },
];
const day = localTimeToInstant('2026-11-20 15:00', 'America/New_York');
const night = localTimeToInstant('2026-11-20 23:30', 'America/New_York');
const voicemail = { household: { ...config.household, voicemail: true } };

const paths = [
  ['whitelisted caller, phone answers', { to: 'home', from: '+15555550100', at: day }],
  ['not whitelisted', { to: 'home', from: '+15550009999', at: day }],
  ['not whitelisted, voicemail on', { to: 'home', from: '+15550009999', at: day, press: [{ digits: '#' }] }, voicemail],
  ['bedtime, no OverrideBedtime', { to: 'home', from: '+15555550100', at: night }],
  ['bedtime, OverrideBedtime', { to: 'home', from: '+15555555555', at: night }],
  ['phone unregistered (32009) → owner', { to: 'home', from: '+15555550100', at: day, phone: 'unregistered' }],
  ['phone busy → owner', { to: 'home', from: '+15555550100', at: day, phone: 'busy' }],
  ['phone no answer → owner', { to: 'home', from: '+15555550100', at: day, phone: 'no-answer' }],
  ['owner, no call in progress', { to: 'home', from: OWNER, at: day }],
  ['owner, code + 8 (listen)', { to: 'home', from: OWNER, at: day, inProgress: ['+15555555555'], press: [{ digits: '2468#' }, { digits: '8' }] }],
  ['owner, code + 1 (join)', { to: 'home', from: OWNER, at: day, inProgress: ['+15555555555'], press: [{ digits: '2468#' }, { digits: '1' }] }],
  ['owner, 3 wrong codes', { to: 'home', from: OWNER, at: day, inProgress: ['+15555555555'], press: [{ digits: '1111#' }, { digits: '2222#' }, { digits: '3333#' }] }],
  ['SIP phone dials 911', { to: 'phone', dial: '911', at: night }],
  ['SIP phone dials a whitelisted number', { to: 'phone', dial: '5555555555', at: day }],
  ['SIP phone dials another number → owner', { to: 'phone', dial: '+15550009999', at: day }],
  ['SIP phone dials something unparsable', { to: 'phone', dial: '411', at: day }],
];

console.log('| path | decision | Functions until the far end rings | Functions in all | Studio steps | wall time | CPU |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const cpuMs = (c) => (c.user + c.system) / 1000;
let totalCpu = 0;
for (const [name, scenario, cfg] of paths) {
  const started = performance.now();
  const c0 = process.cpuUsage();
  const r = await simulateHomeCall({ config: cfg ?? config, whitelist, hangupAfter: 30, ...scenario });
  const ms = performance.now() - started;
  // This process's CPU (deploy, twin and call together): on a shared machine, the figure to read.
  const cpu = cpuMs(process.cpuUsage(c0));
  totalCpu += cpu;
  // The first far end this call rings (calls already in progress ring nothing new).
  const ring = scenario.inProgress ? undefined : r.events.find((e) => e.type === 'ringing' && e.callSid !== r.callSid);
  const until = ring ? r.events.filter((e) => e.type === 'function' && e.seq < ring.seq).length : '–';
  console.log(`| ${name} | ${r.decisions.map((d) => d.path).join(' → ') || '–'} | ${until} | ${r.hops.functions} (${r.hops.functionPaths.join(', ')}) | ${r.hops.studioSteps} | ${ms.toFixed(0)} ms | ${cpu.toFixed(0)} ms |`);
}
console.log(`\nCPU of the ${paths.length} paths: ${totalCpu.toFixed(0)} ms (the whole process: ${cpuMs(process.cpuUsage()).toFixed(0)} ms)`);
