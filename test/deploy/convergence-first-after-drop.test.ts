// The first deploy, its k-th write failing in mode after-drop, then a plain deploy (see convergence.ts).
import { defineConvergence } from './convergence.js';

defineConvergence('first deploy', ['after-drop']);
