import { deploy } from '../src/deploy/index.js';
import { startDeployHarness } from './deploy/helpers.js';
const h = await startDeployHarness();
const t0 = performance.now();
for (let i = 0; i < 20; i++) { h.reset(); await deploy(h.session()); }
console.log('20 first deploys', Math.round(performance.now() - t0), 'ms');
await h.twin.close();
