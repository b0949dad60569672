// `homephone config set household.ownerCell …` then `homephone deploy`, through the built binary
// against an in-process twin: the plan says it is Variables only (no new build, no deployment),
// the apply writes the Variable (and the flow holding the number) and nothing else, and the twin,
// which refuses a deployment of the live build with 409 as Twilio does, is never asked for one,
// not even by a config file whose deploy state an earlier version wrote with "redeploy owed".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '@homephone/twin';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homephone } from '../helpers/cli.js';
import { deployedCliHousehold, SHARED_NUMBERS, SHARED_RECIPE, SHARED_TWIN_ACCOUNT } from '../helpers/cli-household.js';

const HOME = SHARED_NUMBERS.home;
const NEW_CELL = '+15551230009';
let twin: Twin;

beforeAll(async () => {
  twin = await startTwin({ numbers: [HOME, SHARED_NUMBERS.buzzer], credentials: SHARED_TWIN_ACCOUNT });
});
afterAll(async () => {
  await twin.close();
});

describe('a Variable-only change through the CLI', () => {
  it('config set, then deploy: the plan says "Variables only", the apply makes no build and no deployment', async () => {
    // A first `deploy --yes` of the shared household, copied when this worker has made it (helpers/cli-household.ts).
    const { dir, env } = await deployedCliHousehold(twin, SHARED_RECIPE);

    expect((await homephone(['config', 'set', 'household.ownerCell', NEW_CELL], { dir })).exitCode).toBe(0);
    const plan = await homephone(['deploy', '--dry-run'], { dir, env });
    expect(plan.stdout).toContain('~ update  Variable OWNER_CELL');
    expect(plan.stdout).toContain('note: Variables only: no new build and no deployment');
    expect(plan.stdout).toContain('= unchanged: Build, Deployment to production');

    twin.log.clear();
    const applied = await homephone(['--json', 'deploy', '--yes'], { dir, env });
    expect(applied.exitCode).toBe(0);
    expect(JSON.parse(applied.stdout).applied.breakdown).toEqual({ 'update Variable': 1, 'update Studio flow': 1 });
    const writes = twin.log.all().filter((r) => r.method !== 'GET' && !r.path.endsWith('/Flows/Validate'));
    expect(writes.some((r) => r.path.endsWith('/Deployments') || r.path.endsWith('/Builds'))).toBe(false);
    expect(writes.every((r) => r.status !== null && r.status < 300)).toBe(true);
    const [environment] = [...twin.state.services.values()].flatMap((s) => [...s.environments.values()]);
    expect([...environment!.variables.values()].find((v) => v.json.key === 'OWNER_CELL')?.json.value).toBe(NEW_CELL);

    // A config file whose deploy state the previous version wrote, still owing a redeploy.
    const file = join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { deploy: Record<string, unknown> };
    writeFileSync(file, JSON.stringify({ ...config, deploy: { ...config.deploy, redeployOwed: true } }, null, 2), { mode: 0o600 });
    twin.log.clear();
    const again = await homephone(['deploy', '--yes'], { dir, env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('No changes');
    expect(twin.log.all().filter((r) => r.method !== 'GET')).toEqual([]);
    // Seven runs of the binary: the timeout only catches a hang, on a busy machine too.
  }, 120_000);
});
