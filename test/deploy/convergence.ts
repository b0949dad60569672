// Interrupted deploys converge (the sweeps; the *.test.ts files pick scenario and modes). The k-th
// write request of a deploy fails, in each mode: before it takes effect (500), after it took
// effect with the answer lost (after-500), or after it took effect with the connection dropped
// (after-drop). A plain deploy then must leave Twilio exactly as one uninterrupted deploy does (no
// duplicate, no orphan: versions, builds, deployments and flow revisions are counted), and a third
// deploy must have nothing to do.
//
// Which k: the writes of a deploy come in kinds (create a Function, upload a Function version,
// create a Variable, …; the same method on the same path with the SIDs left out), and a kind's
// writes are made one after the other by one loop that handles each item by itself (found again
// by name, a version reused by content hash or journal). A failure at the i-th write of a kind
// leaves the items before it done and those after it untouched, so the first write of a kind
// (nothing of it done yet), the second (one done, one failing, more to come) and the last (all
// done but the one failing) cover the situations any other one does: each sweep runs those k
// for every kind, which is every k for the kinds of one to three writes (the service, the build,
// the deployment, the flows, the SIP resources, the numbers, …). HOMEPHONE_SWEEP=every-write
// (npm run test:sweeps) runs every k instead: about 2.3 times the work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, type DeploySession } from '../../src/deploy/index.js';
import type { FaultKind } from '@homephone/twin';
import { householdConfig, startDeployHarness, WHITELIST, type DeployHarness, type SavedDeploy } from './helpers.js';
import { describeBuild, snapshot } from './snapshot.js';

let h: DeployHarness;

export const MODES: FaultKind[] = ['500', 'after-500', 'after-drop'];
export type Scenario = 'first deploy' | 'a later deploy changing everything';

/** The second scenario: a later deploy that changes a bit of everything. */
function changed(): DeploySession {
  const config = householdConfig();
  config.household!.ownerCell = '+15551239001';
  config.household!.messages = { phoneUnavailable: 'Nobody is home.' };
  config.household!.sipPassword = 'Changed-Password-42xy';
  config.buzzer!.publicUrl = 'https://buzz2.example.org/hook';
  return h.session({ config, whitelist: WHITELIST.slice(0, 1) });
}

interface Outcome {
  twilio: string;
  rollback: { build: string | null; flows: Record<string, number | undefined> };
}

function outcome(): Outcome {
  const state = h.store.current;
  return {
    twilio: snapshot(h.twin.state),
    rollback: {
      build: describeBuild(h.twin.state, state.previousBuildSid),
      flows: Object.fromEntries(Object.entries(state.flows ?? {}).map(([k, f]) => [k, f.previousRevision])),
    },
  };
}

/** The write requests (all but GET, as the twin's WRITE faults count them) a run makes, by kind. */
async function writesOf(run: () => Promise<unknown>): Promise<string[]> {
  const before = h.twin.log.all().length;
  await run();
  return h.twin.log
    .all()
    .slice(before)
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.product}${r.path.replace(/[A-Z]{2}[0-9a-f]{32}/g, '{sid}')}`);
}

const everyWrite = process.env.HOMEPHONE_SWEEP === 'every-write';

/** The k (1-based) to interrupt: the first, second and last write of each kind (see the top), or every k. */
function writesToInterrupt(kinds: string[]): number[] {
  if (everyWrite) return kinds.map((_, i) => i + 1);
  const positions = new Map<string, number[]>();
  kinds.forEach((kind, i) => positions.set(kind, [...(positions.get(kind) ?? []), i + 1]));
  const picked = new Set<number>();
  for (const at of positions.values()) for (const k of [at[0]!, at[1], at.at(-1)!]) if (k !== undefined) picked.add(k);
  return [...picked].sort((a, b) => a - b);
}

/**
 * The sweeps for one scenario and some modes, on a twin of their own. The first deploy's sweeps are
 * split over several test files so that vitest's workers run them side by side.
 */
export function defineConvergence(scenario: Scenario, modes: FaultKind[]): void {
  beforeAll(async () => {
    h = await startDeployHarness();
  });
  afterAll(async () => {
    await h.twin.close();
  });
  describe(`${scenario}: the k-th write fails, then a plain deploy`, () => {
    // The later deploy's sweeps start each k from what a first deploy leaves: made by a real
    // deploy once, then put back as a copy (twin resources and deploy state) instead of deploying
    // again, checked to be the same.
    let firstDeployed: { saved: SavedDeploy; twilio: string } | undefined;
    const setup = async () => {
      h.reset();
      if (scenario === 'first deploy') return;
      if (!firstDeployed) {
        await deploy(h.session());
        firstDeployed = { saved: h.save(), twilio: snapshot(h.twin.state) };
        return;
      }
      h.restore(firstDeployed.saved);
      expect(snapshot(h.twin.state)).toBe(firstDeployed.twilio);
    };
    const target = () => (scenario === 'first deploy' ? h.session() : changed());
    let reference: Outcome;
    let kinds: string[] = [];
    let sweep: number[] = [];

    beforeAll(async () => {
      await setup();
      kinds = await writesOf(() => deploy(target()));
      reference = outcome();
      sweep = writesToInterrupt(kinds);
    });

    it('has write requests to interrupt, and the sweep interrupts every kind of them', () => {
      expect(kinds.length).toBeGreaterThan(scenario === 'first deploy' ? 40 : 8);
      expect(new Set(sweep.map((k) => kinds[k - 1]))).toEqual(new Set(kinds));
      if (everyWrite) expect(sweep).toHaveLength(kinds.length);
    });

    for (const mode of modes) {
      it(`converges when ${everyWrite ? 'any write' : 'the first, second or last write of each kind'} fails, in mode ${mode}`, async () => {
        const failures: string[] = [];
        for (const k of sweep) {
          await setup();
          h.twin.admin.addFault({ method: 'WRITE', path: '/*', nth: k, fault: mode });
          const interrupted = await deploy(target()).then(
            () => 'completed',
            (e: Error) => e.message,
          );
          h.twin.admin.clearFaults();
          if (interrupted === 'completed') failures.push(`k=${k} (${kinds[k - 1]}): the deploy did not fail`);
          await deploy(target());
          const got = outcome();
          if (got.twilio !== reference.twilio) failures.push(`k=${k}: Twilio differs after "${interrupted}"`);
          if (JSON.stringify(got.rollback) !== JSON.stringify(reference.rollback)) failures.push(`k=${k}: rollback state differs`);
          const extra = await writesOf(() => deploy(target()));
          if (extra.length !== 0) failures.push(`k=${k}: a third deploy still made ${extra.length} writes (${extra.join(', ')})`);
        }
        expect(failures).toEqual([]);
        expect(sweep.length).toBeGreaterThan(0);
        // Up to three deploys for each k (every k: ~70): the timeout only catches a hang, on a busy machine too.
      }, 600_000);
    }
  });
}
