// The Hue bridge answers, and knows homephone's user.
import type { HueSection } from '../config/schema.js';
import { fail, pass, skip, type CheckResult } from './checks.js';

export async function checkHue(hue: HueSection | undefined): Promise<CheckResult> {
  const title = 'Hue bridge reachable';
  if (!hue?.bridgeAddress || !hue.username) return skip('hue', title, 'no bridge paired (optional)');
  const { createNodeHueBridge } = await import('../hue/node-hue-api.js');
  try {
    const lights = await createNodeHueBridge({ address: hue.bridgeAddress, username: hue.username, timeoutMs: 3000 }).listLights();
    const wanted = hue.lights?.length ? hue.lights : lights.map((l) => l.id);
    const missing = wanted.filter((id) => !lights.some((l) => l.id === id));
    if (missing.length) return fail('hue', title, `light(s) ${missing.join(', ')} no longer exist on the bridge`, 'homephone hue use <ids> (see homephone hue lights)');
    return pass('hue', title, `${hue.bridgeAddress}, ${wanted.length} light(s) flash on a buzz`);
  } catch (err) {
    const kind = (err as { kind?: string }).kind;
    return fail(
      'hue',
      title,
      (err as Error).message,
      kind === 'unauthorized' ? 'pair again: homephone hue pair' : 'check the bridge is on and at hue.bridgeAddress (homephone hue pair --bridge ADDRESS)',
    );
  }
}
