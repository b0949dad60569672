// Smoke test through the built binary under a pseudo-terminal (util-linux `script`): a real prompt
// on a real terminal, answered by typing; the secret typed is masked on screen and stored hashed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { bin, homephone, readJson, tempDir } from '../helpers/cli.js';

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasScript)('a prompt on a terminal (pty)', () => {
  it('buzzer code add asks for the code, masks it, and stores only its hash', async () => {
    const dir = tempDir();
    const init = await homephone(
      ['init', '--yes', '--account-sid', 'AC0123456789abcdef0123456789abcdef', '--auth-token', 'feedfacefeedfacefeedfacefeedface', '--home-number', '+15551230000', '--owner-cell', '+15551230001', '--time-zone', 'America/New_York', '--sip-domain', 'myhome', '--monitor-code', '2468', '--buzzer-number', '+15551239999', '--enterphone-number', '+15551238888', '--tenant', 'Alex=+15551110000', '--public-url', 'https://buzz.example.org/'],
      { dir },
    );
    expect(init.exitCode, init.stderr).toBe(0);
    const env: NodeJS.ProcessEnv = { ...process.env, HOMEPHONE_CONFIG_DIR: dir, NO_COLOR: '1' };
    delete env.CI;
    const child = execa('script', ['-qfec', `${process.execPath} ${bin} buzzer code add cleaner`, '/dev/null'], { env, extendEnv: false, reject: false, stdin: 'pipe' });
    let screen = '';
    let typed = false;
    child.stdout!.on('data', (d: Buffer) => {
      screen += d.toString('utf8');
      if (!typed && screen.includes('Entry code for cleaner')) {
        typed = true;
        child.stdin!.write('4821\r');
      }
    });
    const r = await child;
    expect(r.exitCode, screen).toBe(0);
    expect(screen).toContain('****');
    expect(screen).not.toContain('4821');
    const stored = readJson(join(dir, 'config.json')) as { buzzer: { entryCodes: Array<{ name: string; hash: string }> } };
    expect(stored.buzzer.entryCodes).toEqual([{ name: 'cleaner', hash: expect.stringMatching(/^scrypt\$/) }]);
  });
});
