// A later deploy changing everything, its k-th write failing in every mode (see convergence.ts).
import { defineConvergence, MODES } from './convergence.js';

defineConvergence('a later deploy changing everything', MODES);
