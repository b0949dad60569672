// `homephone demo` in-process through main(): the eight scenarios of both seeds on a demo household,
// in an embedded twin, with no configuration or Twilio account — and none of the user's read.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/demo/scenarios.js';
import { homephone, tempDir } from '../helpers/cli.js';

const NAMES = SCENARIOS.map((s) => s.name);

/** A config folder the demo must never read: a corrupt config.json, and credentials in the environment. */
function hostile(): { dir: string; env: Record<string, string> } {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.json'), '{ "twilio": ');
  return {
    dir,
    env: { TWILIO_ACCOUNT_SID: 'AC' + 'f'.repeat(32), TWILIO_AUTH_TOKEN: 'f'.repeat(32), HOMEPHONE_TWIN_URL: 'http://127.0.0.1:9' },
  };
}

describe('homephone demo', () => {
  it('--json: one document, all eight scenarios behaved as designed; the user’s config and credentials are never read', async () => {
    const { dir, env } = hostile();
    const r = await homephone(['demo', '--json'], { dir, env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      passed: boolean;
      failed: string[];
      kept: boolean;
      folder: string;
      scenarios: Array<{ name: string; passed: boolean; checks: Array<{ ok: boolean }>; functionInvocations: number; virtualSeconds: number; events: unknown[] }>;
    };
    expect(doc.passed).toBe(true);
    expect(doc.failed).toEqual([]);
    expect(doc.scenarios.map((s) => s.name)).toEqual(NAMES);
    for (const s of doc.scenarios) {
      expect(s.passed, s.name).toBe(true);
      expect(s.checks.length).toBeGreaterThan(2);
      expect(s.events.length).toBeGreaterThan(0);
    }
    expect(doc.scenarios.find((s) => s.name === 'whitelisted-caller')).toMatchObject({ functionInvocations: 2, virtualSeconds: 20 });
    // The temporary folder is gone; the corrupt file is as it was.
    expect(doc.kept).toBe(false);
    expect(existsSync(doc.folder)).toBe(false);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{ "twilio": ');
  });

  it('prints each scenario’s transcript and checks, then the summary table', async () => {
    const r = await homephone(['demo'], { dir: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('=== 1/8  whitelisted-caller  (home phone, Fri 2026-11-20 16:00)');
    expect(r.stdout).toContain('Decision: emergency: 911 is an emergency number: always dialled directly');
    expect(r.stdout).toMatch(/play +digits ww9/);
    expect(r.stdout).toContain("✔ the owner joins Grandma's room muted");
    expect(r.stdout).not.toContain('✖');
    expect(r.stdout).toMatch(/^Scenario +Expected +Result +Functions +Virtual time$/m);
    for (const name of NAMES) expect(r.stdout).toMatch(new RegExp(`^${name} +.+ ✔ pass +\\d+ +\\d+\\.\\d s$`, 'm'));
    expect(r.stdout).toContain('8 of 8 scenarios behaved as designed');
  });

  it('--scenario picks a subset, --quiet prints only the summary, --keep keeps the demo’s config folder', async () => {
    const r = await homephone(['demo', '--quiet', '--keep', '--scenario', 'buzz-open', '--scenario', 'owner-monitoring'], { dir: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('Summary\n')).toBe(true);
    expect(r.stdout).not.toContain('C1 ');
    expect(r.stdout).toMatch(/^owner-monitoring .+\n^buzz-open /m);
    expect(r.stdout).toContain('2 of 2 scenarios behaved as designed');
    const folder = /kept in (\S+) \(delete it when done\)/.exec(r.stdout)?.[1];
    expect(folder).toBeDefined();
    try {
      // Written by the real writers, and deploy's state saved beside it as `homephone deploy` does.
      const config = JSON.parse(readFileSync(join(folder!, 'config.json'), 'utf8')) as { household: { sipPassword?: string; homeNumber: string }; deploy?: object };
      expect(config.household.homeNumber).toBe('+15555550100');
      expect(config.household.sipPassword).toMatch(/^.{12,}$/);
      expect(config.deploy).toBeDefined();
      const whitelist = JSON.parse(readFileSync(join(folder!, 'whitelist.json'), 'utf8')) as unknown[];
      expect(whitelist).toContainEqual({ Number: '+15555550111', Person: 'Grandma', OverrideBedtime: true, PrimaryContact: null });
    } finally {
      rmSync(folder!, { recursive: true, force: true });
    }
  });

  it('an unknown scenario exits 2 naming the scenarios there are', async () => {
    const r = await homephone(['demo', '--scenario', 'fax'], { dir: tempDir() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: no demo scenario named fax');
    expect(r.stderr).toContain(`hint: the scenarios are ${NAMES.join(', ')}`);
  });

  it('help lists every scenario', async () => {
    const r = await homephone(['demo', '--help']);
    expect(r.exitCode).toBe(0);
    for (const name of NAMES) expect(r.stdout).toContain(name);
  });
});
