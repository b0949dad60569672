// Every REST route the twin serves, in one router.
import { Router } from '../router.js';
import { TwinState } from '../state.js';
import { registerApi2010 } from './api2010.js';
import { registerMonitor } from './monitor.js';
import { registerServerless } from './serverless.js';
import { registerSip } from './sip.js';
import { registerStudio } from './studio.js';
import { registerStudioExecutions } from './studio-executions.js';
import { registerSync } from './sync.js';

export function buildRouter(state: TwinState): Router {
  const router = new Router();
  registerApi2010(router, state);
  registerSip(router, state);
  registerServerless(router, state);
  registerStudio(router, state);
  registerStudioExecutions(router, state);
  registerSync(router, state);
  registerMonitor(router, state);
  return router;
}

/** The operations served, as (product, method, OpenAPI path) — e.g. for the fidelity test. */
export function servedOperations(): ReturnType<Router['list']> {
  return buildRouter(new TwinState()).list();
}
