// A change of country changes the emergency numbers: they come from the country (at deploy time),
// and the old country's numbers stored by an older configuration do not follow the household.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homephone, initFlags, readJson, tempDir, writeFile } from '../helpers/cli.js';

type Household = { defaultCountry?: string; emergencyNumbers?: string[] };
const householdOf = (dir: string) => (readJson(join(dir, 'config.json')) as { household: Household }).household;

/** A GB set-up as the previous version wrote it: the country's numbers stored in the config. */
async function oldGbSetup(): Promise<string> {
  const dir = tempDir();
  const result = await homephone(['init', ...initFlags, '--country', 'GB', '--home-number', '+442079460000', '--owner-cell', '+447700900123', '--time-zone', 'Europe/London'], { dir });
  expect(result.exitCode, result.stderr).toBe(0);
  const path = join(dir, 'config.json');
  const config = readJson(path) as { household: Household };
  config.household.emergencyNumbers = ['999', '112', '101'];
  writeFile(dir, 'config.json', JSON.stringify(config));
  return dir;
}

describe('a change of country', () => {
  it('init --country US on a GB set-up drops 999 and 112, keeps an extra number, and says the new list', async () => {
    const dir = await oldGbSetup();
    const result = await homephone(['init', ...initFlags, '--country', 'US'], { dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(householdOf(dir)).toMatchObject({ defaultCountry: 'US', emergencyNumbers: ['101'] });
    expect(result.stdout).toContain('Emergency numbers, always connected directly: 101, 112, 911');
    expect(result.stdout).not.toContain('999');
  });

  it('config set household.defaultCountry does the same', async () => {
    const dir = await oldGbSetup();
    const result = await homephone(['config', 'set', 'household.defaultCountry', 'us'], { dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(householdOf(dir)).toMatchObject({ defaultCountry: 'US', emergencyNumbers: ['101'] });
  });

  it('--emergency-numbers given again is kept as given; "none" clears the extra numbers', async () => {
    const dir = await oldGbSetup();
    expect((await homephone(['init', ...initFlags, '--country', 'US', '--emergency-numbers', '311'], { dir })).exitCode).toBe(0);
    expect(householdOf(dir).emergencyNumbers).toEqual(['311']);
    expect((await homephone(['init', ...initFlags, '--country', 'US', '--emergency-numbers', 'none'], { dir })).exitCode).toBe(0);
    expect(householdOf(dir).emergencyNumbers).toBeUndefined();
  });
});
