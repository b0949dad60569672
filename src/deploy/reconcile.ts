// One pass over every resource in dependency order: service → environment → Functions/Assets →
// Variables → build → deployment → leftovers → flows → SIP → numbers. The same code makes the plan
// (dry run) and the apply, so what is shown is what is done.
import type { DesiredState } from './desired.js';
import type { RemoteState } from './read.js';
import { reconcileFlows, reconcileNumbers, reconcileSip } from './routing.js';
import type { Run } from './run.js';
import { reconcileSyncService } from './sync.js';
import {
  reconcileBuild,
  reconcileDeployment,
  reconcileFiles,
  reconcileLeftovers,
  reconcileService,
  reconcileVariables,
  versionSet,
  type StepContext,
} from './serverless.js';

export interface ReconcileOptions {
  validate: boolean;
}

interface Task {
  title: string;
  run: (sc: StepContext) => Promise<void>;
}

export function newStepContext(run: Run, desired: DesiredState, remote: RemoteState): StepContext {
  return { run, desired, remote, facts: { flowWebhooks: {} }, versions: new Map(), variablesChanged: false };
}

export async function reconcile(run: Run, desired: DesiredState, remote: RemoteState, options: ReconcileOptions): Promise<StepContext> {
  const sc = newStepContext(run, desired, remote);
  const tasks: Task[] = [
    { title: 'Serverless service and environment', run: reconcileService },
    { title: 'Sync service', run: reconcileSyncService },
    { title: 'Functions and assets', run: (c) => reconcileFiles(c, desired.files) },
    { title: 'Variables', run: reconcileVariables },
    { title: 'Build', run: (c) => reconcileBuild(c, versionSet(c.versions)) },
    { title: 'Deployment', run: reconcileDeployment },
    { title: 'Retired Functions and assets', run: reconcileLeftovers },
    { title: 'Studio flows', run: (c) => reconcileFlows(c, { validate: options.validate }) },
    { title: 'SIP domain and credentials', run: reconcileSip },
    { title: 'Phone numbers', run: reconcileNumbers },
  ];
  await runTasks(run, sc, tasks);
  return sc;
}

export async function runTasks(run: Run, sc: StepContext, tasks: Task[]): Promise<void> {
  const progress = run.dryRun ? undefined : run.deps.progress;
  for (const task of tasks) {
    const before = run.operations.length;
    progress?.start(task.title);
    try {
      await task.run(sc);
    } catch (err) {
      progress?.fail(task.title, err);
      throw err;
    }
    const writes = run.operations.length - before;
    progress?.done(task.title, writes ? `${writes} write${writes === 1 ? '' : 's'}` : 'unchanged');
  }
}
