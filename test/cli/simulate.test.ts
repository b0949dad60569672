// `homephone simulate call` in-process through main(): each call path from the command line, on
// what deploy would deploy from the configuration, in an in-memory twin, with no Twilio
// credentials configured and nothing but loopback touched.
import { beforeAll, describe, expect, it } from 'vitest';
import { homephone, tempDir } from '../helpers/cli.js';

const OWNER = '+15551230001';
let dir: string;
const run = (args: string[]) => homephone(['simulate', 'call', ...args], { dir });
const json = async (args: string[]) => {
  const r = await run([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as { decision: { path: string; reason: string; [k: string]: unknown }; hops: { functions: number; studioSteps: number; functionPaths: string[] }; events: Array<{ type: string; text: string; callSid: string | null }>; status: string; callSid: string };
};

beforeAll(async () => {
  dir = tempDir();
  const init = await homephone(
    ['init', '--yes', '--account-sid', 'AC0123456789abcdef0123456789abcdef', '--auth-token', 'feedfacefeedfacefeedfacefeedface', '--home-number', '+15551230000', '--owner-cell', OWNER, '--time-zone', 'America/New_York', '--sip-domain', 'myhome', '--monitor-code', '2468', '--bedtime', 'Fri-Sat 22:00-08:00'],
    { dir },
  );
  expect(init.exitCode).toBe(0);
  // simulate needs no credentials: the twin makes its own.
  for (const key of ['twilio.accountSid', 'twilio.authToken']) expect((await homephone(['config', 'unset', key], { dir })).exitCode).toBe(0);
  expect((await homephone(['whitelist', 'add', '+15555555555', '--name', 'Grandma', '--override-bedtime'], { dir })).exitCode).toBe(0);
  expect((await homephone(['whitelist', 'add', '(555) 555-0100', '--name', 'Uncle Bob'], { dir })).exitCode).toBe(0);
});

describe('readable output', () => {
  it('a whitelisted caller: the decision, the hops and the transcript', async () => {
    const r = await run(['--from', '5555550100', '--at', '2026-11-20 21:30', '--hangup-after', '20']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('+15555550100 calls the home number +15551230000 at Fri 2026-11-20 21:30 (America/New_York); the SIP phone answers');
    expect(r.stdout).toContain('Decision: ring\n  why: Uncle Bob (+15555550100) is on the whitelist; not bedtime');
    expect(r.stdout).toContain('who: Uncle Bob (+15555550100); whitelisted: yes; may ring at bedtime: no');
    expect(r.stdout).toContain('Hops: 2 Function invocations (/incoming, /participant-status), 2 Studio steps');
    expect(r.stdout).toMatch(/conference-start +room hp-CA[0-9a-f]{32} started/);
  });

  it('bedtime, across midnight', async () => {
    const r = await run(['--from', '+15555550100', '--at', '2026-11-21 07:59']);
    expect(r.stdout).toContain('Decision: bedtime');
    expect(r.stdout).toContain('bedtime: yes (Fri,Sat 22:00-08:00), local time Sat 07:59; voicemail: off');
    expect(r.stdout).toContain('"It is bedtime at our house. Please call again tomorrow. Goodbye."');
  });
});

describe('--json', () => {
  it('not whitelisted: one document with the decision and the events', async () => {
    const d = await json(['--from', '+15550009999']);
    expect(d.decision).toMatchObject({ call: 'inbound', path: 'not-whitelisted', whitelisted: false, reason: '+15550009999 is not on the whitelist' });
    expect(d.hops).toEqual({ functions: 1, studioSteps: 2, functionPaths: ['/incoming'] });
    expect(d.events.some((e) => e.type === 'say' && e.text.includes('does not take calls from unknown callers'))).toBe(true);
  });

  it('the phone is not registered: the caller goes to the owner’s cell', async () => {
    const d = await json(['--from', '+15555555555', '--phone', 'unregistered', '--at', '2026-11-20 12:00']);
    expect(d.events.some((e) => e.type === 'error' && e.text.startsWith('32009'))).toBe(true);
    expect(d.events.some((e) => e.type === 'dial' && e.text === `connected to ${OWNER}`)).toBe(true);
    expect(d.hops.functionPaths.slice(0, 3)).toEqual(['/incoming', '/participant-status', '/fallback-owner']);
  });

  it('the owner enters the code, then presses 8 while a call is in progress: listens muted', async () => {
    const d = await json(['--from', OWNER, '--in-progress', '+15555555555', '--press', '2468#', '--press', '8', '--at', '2026-11-20 12:00']);
    expect(d.decision).toMatchObject({ call: 'owner', path: 'owner-menu', count: 1 });
    expect(d.events.some((e) => e.callSid === d.callSid && e.type === 'conference-join' && e.text.endsWith('(muted)'))).toBe(true);
  });

  it('911 dialled on the SIP phone at bedtime, from a number on no list: dialled directly', async () => {
    const d = await json(['--to', 'phone', '--dial', '911', '--at', '2026-11-20 23:30']);
    expect(d.decision).toMatchObject({ call: 'outbound', path: 'emergency', number: '911' });
    expect(d.events.some((e) => e.type === 'dial' && e.text === 'connected to 911')).toBe(true);
  });

  it('a national-form number on the whitelist, dialled on the SIP phone', async () => {
    const d = await json(['--to', 'phone', '--dial', '5555555555']);
    expect(d.decision).toMatchObject({ path: 'whitelisted', number: '+15555555555', person: 'Grandma' });
  });
});

describe('bad input', () => {
  it.each([
    [['--to', 'phone'], /--to phone needs --dial/],
    [[], /missing --from/],
    [['--from', '+15555555555', '--at', 'tomorrow'], /--at: "tomorrow" is not a local time/],
    [['--from', '+15555555555', '--phone', 'sleeps'], /--phone sleeps: not one of answers, unregistered, busy, no-answer/],
    [['--from', '+15555555555', '--press', '8@soon'], /--press 8@soon/],
    [['--from', 'grandma'], /--from grandma:/],
  ])('%j exits 2 with the reason', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an empty configuration exits 2 naming what to set', async () => {
    const r = await homephone(['simulate', 'call', '--from', '+15555555555'], { dir: tempDir() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('the configuration has no household.homeNumber');
    expect(r.stderr).toContain('hint: run homephone init');
  });
});
