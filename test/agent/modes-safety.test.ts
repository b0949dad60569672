// The agent re-reads the delivery window (which opens the door) from config.json on each buzz:
// once the file or its folder becomes unsafe, the last good modes stay and a warning is logged.
import { chmodSync, renameSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchModes } from '../../src/agent/modes.js';
import type { AgentLogger } from '../../src/agent/index.js';
import { tempDir } from '../helpers/cli.js';

const OPEN = { buzzer: { number: '+15551239999', openUntil: '2099-01-01T00:00:00.000Z' } };

function recorder(): AgentLogger & { warnings: Array<{ event: string; error: unknown }> } {
  const warnings: Array<{ event: string; error: unknown }> = [];
  return { warnings, info() {}, error() {}, warn: (event, fields) => void warnings.push({ event, error: fields?.error }) };
}

describe('modes read by a running agent', () => {
  it('are not taken from a config.json replaced by a link', () => {
    const dir = tempDir('homephone-modes-');
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ buzzer: { number: '+15551239999' } }), { mode: 0o600 });
    const log = recorder();
    const modes = watchModes(path, {}, log);
    expect(modes().openUntil).toBeUndefined();
    const planted = join(tempDir('homephone-elsewhere-'), 'evil.json');
    writeFileSync(planted, JSON.stringify(OPEN));
    renameSync(path, `${path}.old`);
    symlinkSync(planted, path);
    expect(modes().openUntil).toBeUndefined();
    expect(log.warnings).toEqual([{ event: 'agent.config-unreadable', error: expect.stringContaining('is a symbolic link') }]);
  });

  it('are not taken from a folder others can write', () => {
    const dir = tempDir('homephone-modes-');
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ buzzer: { number: '+15551239999' } }), { mode: 0o600 });
    const log = recorder();
    const modes = watchModes(path, {}, log);
    expect(modes().openUntil).toBeUndefined();
    chmodSync(dir, 0o777);
    writeFileSync(path, JSON.stringify(OPEN));
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(modes().openUntil).toBeUndefined();
    expect(log.warnings[0]?.error).toEqual(expect.stringContaining('can be written by its group and every user'));
    chmodSync(dir, 0o700);
    // Private again: the window is read (and, ending past 24 hours from now, cut to 24 hours).
    const read = modes().openUntil?.getTime() ?? 0;
    expect(read).toBeGreaterThan(Date.now());
    expect(read).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
  });
});
