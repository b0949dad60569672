// test/pretest-build.mjs, which `npm test` runs first: it builds unless nothing the build reads
// changed since the last successful build. Run on a copy in a temp folder, with an `npm` on PATH
// that records its runs and makes the build's outputs, so no real build runs here.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from '../helpers/cli.js';

function project() {
  const dir = tempDir();
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  write('test/pretest-build.mjs', readFileSync(join(root, 'test/pretest-build.mjs'), 'utf8'));
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'packages/twin/package.json', 'packages/twin/tsconfig.json', 'node_modules/typescript/package.json']) {
    write(file, `{"file": "${file}"}`);
  }
  write('src/cli.ts', 'export {};\n');
  write('src/deploy/plan.ts', 'export const a = 1;\n');
  write('packages/twin/src/index.ts', 'export {};\n');
  // The fake npm: logs its arguments, makes both projects' outputs, fails when told to.
  write(
    'fake-bin/npm',
    `#!/bin/sh\necho "$@" >> "${dir}/npm-runs.log"\n[ -n "$FAIL_BUILD" ] && exit 7\nmkdir -p dist packages/twin/dist\ntouch dist/cli.js packages/twin/dist/index.js\n`,
  );
  chmodSync(join(dir, 'fake-bin/npm'), 0o755);
  const runs = () => (existsSync(join(dir, 'npm-runs.log')) ? readFileSync(join(dir, 'npm-runs.log'), 'utf8').trim().split('\n') : []);
  const pretest = (env: Record<string, string> = {}) =>
    execa('node', [join(dir, 'test/pretest-build.mjs')], {
      cwd: dir,
      reject: false,
      env: { PATH: `${join(dir, 'fake-bin')}:${process.env.PATH}`, ...env },
    });
  return { dir, write, runs, pretest };
}

describe('the pretest build', () => {
  it('builds the first time, then skips until an input changes', async () => {
    const p = project();
    expect((await p.pretest()).exitCode).toBe(0);
    expect(p.runs()).toEqual(['run build']);

    const skipped = await p.pretest();
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stdout).toMatch(/build: up to date/);
    expect(p.runs()).toHaveLength(1);

    p.write('src/deploy/plan.ts', 'export const a = 2;\n'); // a source edit
    await p.pretest();
    expect(p.runs()).toHaveLength(2);

    p.write('packages/twin/src/new-module.ts', 'export {};\n'); // a new file in the twin
    await p.pretest();
    expect(p.runs()).toHaveLength(3);

    p.write('node_modules/typescript/package.json', '{"version": "6.0.0"}'); // another compiler
    await p.pretest();
    expect(p.runs()).toHaveLength(4);

    await p.pretest();
    expect(p.runs()).toHaveLength(4);
  });

  it('builds again when an output is missing', async () => {
    const p = project();
    await p.pretest();
    rmSync(join(p.dir, 'packages/twin/dist/index.js'));
    await p.pretest();
    expect(p.runs()).toHaveLength(2);
  });

  it('a failed build fails the pretest with its exit code and is tried again next time', async () => {
    const p = project();
    await p.pretest();
    p.write('src/cli.ts', 'export const broken = ;\n');
    const failed = await p.pretest({ FAIL_BUILD: '1' });
    expect(failed.exitCode).toBe(7);
    expect(existsSync(join(p.dir, 'dist/.build-inputs'))).toBe(false);
    // Same sources, build now passing: it builds (the failure left no "up to date" stamp).
    expect((await p.pretest()).exitCode).toBe(0);
    expect(p.runs()).toHaveLength(3);
  });

  it('is what npm test runs first', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toBe('node test/pretest-build.mjs');
  });
});

