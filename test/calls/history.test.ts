// `homephone calls` on a deployed twin: every home-phone path `simulate call` can take is placed
// for real, the deployed Functions record their decisions in the Sync List "calls", and the
// command (main(), in process) reads them back with the whitelist's names and the Calls API's
// durations. Decisions are the Functions' own, never the test's.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ConfigStore } from '../../src/config/store.js';
import { whitelistPath } from '../../src/config/paths.js';
import { changeWhitelist } from '../../src/config/whitelist-file.js';
import { tempDir } from '../helpers/cli.js';
import { AUNT, BOB, GRANDMA, household, householdConfig, OWNER, STRANGER, TZ, WHITELIST, type Household } from './helpers.js';

interface Row {
  callSid: string;
  at: string;
  line: string;
  direction: string;
  name: string | null;
  number: string;
  decision: string;
  decisionText: string;
  durationSeconds: number | null;
}

/** A day that is over in every time zone: yesterday in the household's zone. */
const day = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() - 86_400_000));

let h: Household;
let env: NodeJS.ProcessEnv;
const sids: Record<string, string> = {};

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await main(args, { stdout, stderr, stdinIsTTY: false, env });
  return { code, out, err };
}

async function rows(...flags: string[]): Promise<Row[]> {
  const r = await run(['calls', '--json', ...flags]);
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { calls: Row[] }).calls;
}

beforeAll(async () => {
  h = await household({ start: `${day} 15:00`, config: householdConfig({ voicemail: true, ringTimeout: 20 }) });
  const dir = tempDir();
  env = {
    HOMEPHONE_CONFIG_DIR: dir,
    HOMEPHONE_TWIN_URL: h.twin.url,
    TWILIO_ACCOUNT_SID: h.twin.credentials.accountSid,
    TWILIO_AUTH_TOKEN: h.twin.credentials.authToken,
    NO_COLOR: '1',
    CI: '1',
  };
  await ConfigStore.open(env).replace(householdConfig());
  await changeWhitelist(whitelistPath(env), () => ({ list: WHITELIST, result: undefined }));

  const phones = h.twin.engine.phones;
  const place = async (key: string, scenario: Parameters<Household['call']>[0]) => {
    sids[key] = (await h.call(scenario)).callSid;
  };
  await place('rang', { to: 'home', from: GRANDMA, hangupAfter: 10 });
  await place('blocked', { to: 'home', from: STRANGER });
  await place('fallback', { to: 'home', from: BOB, phone: 'unregistered', hangupAfter: 30 });
  phones.clear();
  phones.set(OWNER, { behaviour: 'no-answer' });
  await place('voicemail', { to: 'home', from: AUNT, phone: 'no-answer', press: [{ digits: '#' }] });
  phones.clear();
  await place('owner', { to: 'home', from: OWNER, hangupAfter: 20 });
  await place('owner-menu', { to: 'home', from: OWNER, inProgress: [BOB], hangupAfter: 20 });
  await place('out-rang', { to: 'phone', dial: GRANDMA, hangupAfter: 30 });
  await place('emergency', { to: 'phone', dial: '911', hangupAfter: 20 });
  await place('out-owner', { to: 'phone', dial: STRANGER, hangupAfter: 20 });
  await h.moveTo(`${day} 23:30`);
  await place('bedtime', { to: 'home', from: BOB, hangupAfter: 10 });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('homephone calls', () => {
  it('shows every simulate path, newest first, with the decision and the whitelist name', async () => {
    const all = await rows('--limit', '50');
    const bySid = new Map(all.map((r) => [r.callSid, r]));
    const expected: Record<string, { decision: string; name: string | null; direction: string }> = {
      rang: { decision: 'rang', name: 'Grandma', direction: 'inbound' },
      blocked: { decision: 'blocked', name: null, direction: 'inbound' },
      fallback: { decision: 'fallback', name: 'Uncle Bob', direction: 'inbound' },
      voicemail: { decision: 'voicemail', name: 'Aunt Jo', direction: 'inbound' },
      owner: { decision: 'owner', name: 'Owner', direction: 'inbound' },
      'owner-menu': { decision: 'owner-menu', name: 'Owner', direction: 'inbound' },
      'out-rang': { decision: 'rang', name: 'Grandma', direction: 'outbound' },
      emergency: { decision: 'emergency', name: null, direction: 'outbound' },
      'out-owner': { decision: 'owner', name: null, direction: 'outbound' },
      bedtime: { decision: 'bedtime', name: 'Uncle Bob', direction: 'inbound' },
    };
    for (const [key, want] of Object.entries(expected)) {
      expect(bySid.get(sids[key]!), key).toMatchObject({ ...want, line: 'home' });
    }
    // Newest first: the bedtime call was the last one placed.
    expect(all[0]!.callSid).toBe(sids.bedtime);
    const times = all.map((r) => Date.parse(r.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Durations come from the Calls API: Grandma talked 10 s after the phone answered.
    expect(bySid.get(sids.rang!)!.durationSeconds).toBeGreaterThanOrEqual(10);
    expect(bySid.get(sids.blocked!)!.durationSeconds).not.toBeNull();
  });

  it('masks numbers not on the whitelist unless --show-numbers', async () => {
    const masked = (await rows('--limit', '50')).find((r) => r.callSid === sids.blocked)!;
    expect(masked.number).not.toContain(STRANGER.slice(2, 8));
    expect(masked.number.endsWith(STRANGER.slice(-4))).toBe(true);
    const shown = (await rows('--limit', '50', '--show-numbers')).find((r) => r.callSid === sids.blocked)!;
    expect(shown.number).toBe(STRANGER);
  });

  it('filters: --blocked, --from, --limit, --buzzer', async () => {
    expect((await rows('--blocked', '--limit', '50')).map((r) => r.callSid).sort()).toEqual([sids.blocked, sids.bedtime].sort());
    const bob = await rows('--from', '+1 555 555 0100', '--limit', '50');
    expect(bob.map((r) => r.callSid)).toEqual(expect.arrayContaining([sids.bedtime, sids.fallback]));
    expect(bob.every((r) => r.name === 'Uncle Bob')).toBe(true);
    expect(await rows('--limit', '2')).toHaveLength(2);
    expect(await rows('--buzzer')).toEqual([]);
    expect((await rows('--since', '7d', '--limit', '50')).length).toBeGreaterThanOrEqual(10);
  });

  it('prints a table a person can read', async () => {
    const r = await run(['calls', '--limit', '3']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^when\s+line\s+who\s+decision\s+duration$/);
    expect(lines[1]).toMatch(/home in\s+Uncle Bob\s+bedtime\s+\d+s/);
  });

  it('refuses bad filters with exit 2 and a hint', async () => {
    for (const args of [['--since', 'last week'], ['--limit', '0'], ['--from', 'grandma']]) {
      const r = await run(['calls', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/--since|--limit|--from/);
    }
  });
});
