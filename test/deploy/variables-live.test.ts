// Variables are live, and the build that is live is never deployed again. Twilio refuses a
// Deployment of the build already active in the environment (409), and Functions read Variables
// at each execution, so a change to the owner's cell is only its Variable write (and the flow
// that also holds the number): no build, no deployment, and the very next call rings the new cell.
// A deploy state written by the previous version, still saying a redeploy is owed, deploys cleanly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deploy } from '../../src/deploy/index.js';
import { runCall } from '../../src/simulate/home-call.js';
import type { DeployedTwin } from '../../src/simulate/deployed-twin.js';
import { HOME, OWNER, firstDeploy, householdConfig, startDeployHarness, type DeployHarness } from './helpers.js';

const NEW_CELL = '+15551239001';
const STRANGER = '+15550009999';

let h: DeployHarness;
beforeAll(async () => {
  h = await startDeployHarness();
});
afterAll(async () => {
  await h.twin.close();
});
beforeEach(() => h.reset());

const withCell = (cell: string) => {
  const config = householdConfig();
  config.household!.ownerCell = cell;
  return config;
};

/** The household deployed in the harness's twin, as the call scenarios see it. */
function deployed(ownerCell: string): DeployedTwin {
  const environment = [...h.twin.state.services.values()].flatMap((s) => [...s.environments.values()])[0]!;
  return { twin: h.twin, domain: environment.json.domain_name, homeNumber: HOME, ownerCell, sipUri: 'sip:homephone@myhome.sip.twilio.com', close: async () => {} };
}

const deployments = () => h.writes().filter((w) => w.path.endsWith('/Deployments'));

describe("changing the owner's cell", () => {
  it('writes the Variable (no build, no deployment, no 409) and the next call from the phone rings the new cell', async () => {
    await firstDeploy(h);
    const before = await runCall(deployed(OWNER), { to: 'phone', dial: STRANGER, hangupAfter: 20 });
    expect(before.calls.filter((c) => c.to === OWNER)).toHaveLength(1);

    h.clearLog();
    const result = await deploy(h.session({ config: withCell(NEW_CELL) }));
    expect(result.applied?.breakdown).toEqual({ 'update Variable': 1, 'update Studio flow': 1 });
    expect(deployments()).toEqual([]);
    expect(h.writes().filter((w) => w.path.endsWith('/Builds'))).toEqual([]);
    expect(h.writes().every((w) => w.status !== null && w.status < 300)).toBe(true);

    const after = await runCall(deployed(NEW_CELL), { to: 'phone', dial: STRANGER, hangupAfter: 20 });
    expect(after.decision).toMatchObject({ path: 'owner', number: STRANGER });
    expect(after.calls.filter((c) => c.to === NEW_CELL).map((c) => c.from)).toEqual([HOME]);
    expect(after.calls.filter((c) => c.to === OWNER)).toEqual([]);
  });

  it('a deploy that also needs a new build makes exactly one deployment of that new build', async () => {
    await firstDeploy(h);
    const first = h.store.current.buildSid;
    h.clearLog();
    const config = withCell(NEW_CELL);
    config.household!.messages = { phoneUnavailable: 'Nobody is home.' };
    await deploy(h.session({ config }));
    expect(deployments()).toHaveLength(1);
    expect(h.store.current.buildSid).not.toBe(first);
  });
});

describe('a deploy state written by the previous version', () => {
  it('with "redeploy owed" and nothing changed: no write at all, and the flag is gone', async () => {
    await firstDeploy(h);
    h.store.current = { ...h.store.current, redeployOwed: true };
    h.clearLog();
    const result = await deploy(h.session());
    expect(result.plan.hasChanges).toBe(false);
    expect(h.writes()).toEqual([]);
    // The next deploy that saves the state drops it.
    await deploy(h.session({ config: withCell(NEW_CELL) }));
    expect(h.store.current).not.toHaveProperty('redeployOwed');
  });

  it('with "redeploy owed" and a Variable change: the Variable is written, the live build is not deployed again', async () => {
    await firstDeploy(h);
    // As the previous version left it after an interrupted Variable-only deploy.
    h.store.current = { ...h.store.current, redeployOwed: true };
    h.clearLog();
    const result = await deploy(h.session({ config: withCell(NEW_CELL) }));
    expect(result.applied?.breakdown).toEqual({ 'update Variable': 1, 'update Studio flow': 1 });
    expect(deployments()).toEqual([]);
    expect((await deploy(h.session({ config: withCell(NEW_CELL) }))).plan.hasChanges).toBe(false);
  });
});
