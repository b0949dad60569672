// A household restored from the per-worker cache (test/helpers/deployed-household.ts) is the same
// as one freshly deployed: the same resources, the same Sync data, and the same transcript, hop
// for hop and millisecond for millisecond, for the same calls at the same virtual times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialize } from 'node:v8';
import { startDeployedTwin, type DeployedTwin } from '../../src/simulate/deployed-twin.js';
import { runCall, type CallScenario, type HomeCallResult } from '../../src/simulate/home-call.js';
import { CACHED_DEPLOY_TIME, deployedHousehold } from '../helpers/deployed-household.js';
import { snapshot } from '../deploy/snapshot.js';
import { BOB, CODE, GRANDMA, householdConfig, local, OWNER, STRANGER, WHITELIST } from './helpers.js';

const START = '2026-11-20 21:30'; // a Friday, before the 22:00 bedtime
const input = { config: householdConfig(), whitelist: WHITELIST, startTime: local(START) };

/** Text with SIDs numbered by first appearance and the random Functions domain named DOMAIN. */
function normalise(text: string, domain: string): string {
  const sids = new Map<string, string>();
  return text
    .split(domain)
    .join('DOMAIN')
    .replace(/\b([A-Z]{2})[0-9a-f]{32}\b/g, (sid, prefix: string) => {
      if (!sids.has(sid)) sids.set(sid, `${prefix}#${sids.size + 1}`);
      return sids.get(sid)!;
    });
}

/** Everything a call left: the rendered transcript and every event with its data and time. */
const transcript = (r: HomeCallResult, domain: string) =>
  normalise(JSON.stringify({ text: r.text, status: r.status, events: r.events.map(({ seq: _seq, ...e }) => e), calls: r.calls, decisions: r.decisions }), domain);

// A day's calls: an unknown caller, a whitelisted one at bedtime, the owner with the monitor code
// (Sync state), and a call dialled on the SIP phone.
const DAY: Array<{ at: string; call: CallScenario }> = [
  { at: '2026-11-20 21:40', call: { to: 'home', from: STRANGER, press: [{ digits: '#' }] } },
  { at: '2026-11-20 22:30', call: { to: 'home', from: BOB, hangupAfter: 10 } },
  { at: '2026-11-20 22:45', call: { to: 'home', from: GRANDMA, phone: 'answers', hangupAfter: 20 } },
  { at: '2026-11-20 23:00', call: { to: 'home', from: OWNER, press: [{ digits: CODE }], hangupAfter: 15 } },
  { at: '2026-11-20 23:10', call: { to: 'phone', dial: '+15555550123', hangupAfter: 10 } },
];

async function runDay(d: DeployedTwin): Promise<string[]> {
  const out: string[] = [];
  for (const step of DAY) {
    await d.twin.engine.advance((local(step.at).getTime() - d.twin.clock.nowMs()) / 1000);
    out.push(transcript(await runCall(d, step.call), d.domain));
  }
  return out;
}

let fresh: DeployedTwin;
let restored: DeployedTwin;

beforeAll(async () => {
  fresh = await startDeployedTwin(input);
  await (await deployedHousehold(input)).close(); // the first request deploys and caches
  restored = await deployedHousehold(input);
});
afterAll(async () => {
  await fresh?.close();
  await restored?.close();
});

describe('a household restored from the cache', () => {
  it('holds what a fresh deploy holds: resources, webhooks, Sync data, the domain form', () => {
    // Two twins, two accounts: the webhooks name each one's own.
    const resources = (d: DeployedTwin) => snapshot(d.twin.state).split(d.twin.state.accountSid).join('ACCOUNT');
    expect(resources(restored)).toBe(resources(fresh));
    const syncData = (d: DeployedTwin) =>
      normalise(
        JSON.stringify([...d.twin.state.syncServices.values()].map((s) => ({
          documents: [...s.documents.values()].map((doc) => ({ name: doc.json.unique_name, data: doc.json.data })),
          lists: [...s.lists.values()].map((l) => ({ name: l.json.unique_name, items: l.items.map((i) => i.json.data) })),
        }))),
        d.domain,
      );
    expect(syncData(restored)).toBe(syncData(fresh));
    expect(restored.domain).toMatch(/^homephone-.*\.twil\.io$/);
  });

  it('starts its clock at the caller\'s start, with the deploy\'s records in its past', () => {
    expect(restored.twin.clock.nowMs()).toBe(local(START).getTime());
    const builds = [...restored.twin.state.services.values()].flatMap((s) => [...s.builds.values()]);
    expect(builds.length).toBeGreaterThan(0);
    for (const b of builds) expect(new Date(String(b.json.date_created)).getTime()).toBe(CACHED_DEPLOY_TIME.getTime());
  });

  it('runs the same calls to the same transcripts as a fresh deploy', async () => {
    const [a, b] = [await runDay(fresh), await runDay(restored)];
    expect(a.length).toBe(DAY.length);
    for (let i = 0; i < DAY.length; i++) expect(b[i], `call ${i + 1} at ${DAY[i]!.at}`).toBe(a[i]);
    expect(a[2]).toContain('conference-join'); // Grandma rang through (the day is not all hang-ups)
  });

  it('is a fresh copy each time: one test\'s changes are not in the next restore', async () => {
    const first = await deployedHousehold(input);
    const before = serialize(Object.fromEntries(['numbers', 'services', 'syncServices', 'flows'].map((t) => [t, first.twin.state[t as 'numbers']])));
    for (const n of first.twin.state.numbers.values()) n.json.voice_url = 'https://changed.invalid/';
    for (const s of first.twin.state.syncServices.values()) s.documents.clear();
    await first.close();
    const second = await deployedHousehold({ ...input, startTime: local('2026-11-21 09:00') });
    try {
      const after = serialize(Object.fromEntries(['numbers', 'services', 'syncServices', 'flows'].map((t) => [t, second.twin.state[t as 'numbers']])));
      expect(after.equals(before)).toBe(true);
      expect(second.twin.clock.nowMs()).toBe(local('2026-11-21 09:00').getTime());
    } finally {
      await second.close();
    }
  });
});
