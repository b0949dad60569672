// The first deploy, its k-th write failing in mode 500, then a plain deploy (see convergence.ts).
import { defineConvergence } from './convergence.js';

defineConvergence('first deploy', ['500']);
