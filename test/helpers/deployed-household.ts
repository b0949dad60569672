// Deployed households for tests, deployed once per test worker: the first request for a
// configuration and whitelist runs the real deploy (startDeployedTwin) into a twin and keeps the
// twin's snapshot; every request after that gets a fresh twin of the same account with a fresh
// copy of that snapshot restored, its clock at the caller's start. A deploy is ~120 REST requests;
// a restore is a deserialize. test/calls/restore.test.ts proves a restored household behaves as a
// freshly deployed one. Test code only: `homephone simulate` always deploys.
import { startTwin, type Credentials, type TwinSnapshot } from '@homephone/twin';
import { startDeployedTwin, type DeployedTwin, type DeployedTwinInput } from '../../src/simulate/deployed-twin.js';

/**
 * The cached deploys run with the clock here, before any test's start, so the records they make
 * (build and version dates) are in every test's past, as a household deployed earlier would be.
 */
export const CACHED_DEPLOY_TIME = new Date('2020-01-01T00:00:00Z');

interface Saved {
  snapshot: TwinSnapshot;
  credentials: Credentials;
  numbers: string[];
  domain: string;
  homeNumber: string;
  ownerCell: string;
  sipUri: string;
}

const saved = new Map<string, Promise<Saved>>();

async function deployAndSave(input: DeployedTwinInput): Promise<Saved> {
  const deployed = await startDeployedTwin({ ...input, startTime: CACHED_DEPLOY_TIME });
  try {
    return {
      snapshot: deployed.twin.admin.snapshot(),
      credentials: { ...deployed.twin.credentials },
      numbers: [...deployed.twin.state.numbers.values()].map((n) => n.json.phone_number),
      domain: deployed.domain,
      homeNumber: deployed.homeNumber,
      ownerCell: deployed.ownerCell,
      sipUri: deployed.sipUri,
    };
  } finally {
    await deployed.close();
  }
}

/** A twin holding the household's deploy, as startDeployedTwin would leave it (a fresh copy). */
export async function deployedHousehold(input: DeployedTwinInput): Promise<DeployedTwin> {
  const start = input.startTime ?? new Date();
  if (start.getTime() < CACHED_DEPLOY_TIME.getTime()) return startDeployedTwin(input); // before the cached deploy: deploy for real
  const key = JSON.stringify([input.config, input.whitelist, input.templatesDir ?? null]);
  let entry = saved.get(key);
  if (!entry) {
    entry = deployAndSave(input);
    saved.set(key, entry);
    entry.catch(() => saved.delete(key)); // a failed deploy is not cached: the next caller sees its error again
  }
  const s = await entry;
  const twin = await startTwin({ numbers: s.numbers, startTime: start, credentials: s.credentials });
  try {
    twin.admin.restore(s.snapshot);
  } catch (e) {
    await twin.close();
    throw e;
  }
  return { twin, domain: s.domain, homeNumber: s.homeNumber, ownerCell: s.ownerCell, sipUri: s.sipUri, close: () => twin.close() };
}
