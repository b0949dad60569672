// Interrupted deploys converge (the sweeps; the *.test.ts files pick scenario and modes). For every k, the k-th write request of a deploy fails, in each
// mode: before it takes effect (500), after it took effect with the answer lost (after-500), or
// after it took effect with the connection dropped (after-drop). A plain deploy then must leave
// Twilio exactly as one uninterrupted deploy does (no duplicate, no orphan: versions, builds,
// deployments and flow revisions are counted), and a third deploy must have nothing to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy, type DeploySession } from '../../src/deploy/index.js';
import type { FaultKind } from '@homephone/twin';
import { householdConfig, startDeployHarness, WHITELIST, type DeployHarness } from './helpers.js';
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

async function writesOf(run: () => Promise<unknown>): Promise<number> {
  const before = h.twin.log.all().length;
  await run();
  return h.twin.log.all().slice(before).filter((r) => r.method !== 'GET').length;
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
    const setup = async () => {
      h.reset();
      if (scenario === 'a later deploy changing everything') await deploy(h.session());
    };
    const target = () => (scenario === 'first deploy' ? h.session() : changed());
    let reference: Outcome;
    let total = 0;

    beforeAll(async () => {
      await setup();
      total = await writesOf(() => deploy(target()));
      reference = outcome();
    });

    it('has write requests to interrupt', () => {
      expect(total).toBeGreaterThan(scenario === 'first deploy' ? 40 : 8);
    });

    for (const mode of modes) {
      it(`converges for every k in mode ${mode}`, async () => {
        const failures: string[] = [];
        for (let k = 1; k <= total; k++) {
          await setup();
          h.twin.admin.addFault({ method: 'WRITE', path: '/*', nth: k, fault: mode });
          const interrupted = await deploy(target()).then(
            () => 'completed',
            (e: Error) => e.message,
          );
          h.twin.admin.clearFaults();
          if (interrupted === 'completed') failures.push(`k=${k}: the deploy did not fail`);
          await deploy(target());
          const got = outcome();
          if (got.twilio !== reference.twilio) failures.push(`k=${k}: Twilio differs after "${interrupted}"`);
          if (JSON.stringify(got.rollback) !== JSON.stringify(reference.rollback)) failures.push(`k=${k}: rollback state differs`);
          const extra = await writesOf(() => deploy(target()));
          if (extra !== 0) failures.push(`k=${k}: a third deploy still made ${extra} writes`);
        }
        expect(failures).toEqual([]);
        // Up to three deploys for each of ~70 writes: the timeout only catches a hang, on a busy machine too.
      }, 600_000);
    }
  });
}
