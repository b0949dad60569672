// Studio steps share whole-second dates: the check orders them by following each step's
// transitioned_to to the next step's transitioned_from (check/records.ts).
import { describe, expect, it } from 'vitest';
import { orderSteps } from '../../src/check/records.js';

describe('orderSteps', () => {
  it('follows the transitions whatever the listed order, starting where nothing led', () => {
    const steps = [
      { from: 'is_owner', to: 'screen', at: 1000 },
      { from: 'screen', to: 'Ended', at: 1000 },
      { from: 'Trigger', to: 'is_owner', at: 1000 },
    ];
    expect(orderSteps(steps)).toEqual(['Trigger', 'is_owner', 'screen', 'Ended']);
  });

  it('no steps: no path', () => {
    expect(orderSteps([])).toEqual([]);
  });
});
