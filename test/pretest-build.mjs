#!/usr/bin/env node
// What `npm test` runs before vitest: the build, because the smoke tests run the built binary. A
// build that has nothing to do still costs about 5 s (tsc reads and checks both projects to find
// that out), so this skips it when none of the build's inputs changed since the last build that
// succeeded here: a SHA-256 of every input file (both projects' sources, tsconfigs, manifests, the
// lockfile and the TypeScript version), kept in dist/.build-inputs. Anything else runs
// `npm run build`, exactly as before.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const stampFile = join(root, 'dist/.build-inputs');
const outputs = ['dist/cli.js', 'packages/twin/dist/index.js'];
const inputFiles = [
  'package.json', 'package-lock.json', 'tsconfig.json',
  'packages/twin/package.json', 'packages/twin/tsconfig.json',
  'node_modules/typescript/package.json',
];
const inputDirs = ['src', 'packages/twin/src'];

function filesUnder(dir) {
  const entries = readdirSync(join(root, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

function inputsHash() {
  const hash = createHash('sha256');
  const files = [...inputFiles, ...inputDirs.flatMap(filesUnder)].sort();
  for (const file of files) {
    const path = join(root, file);
    hash.update(`${file}\0`);
    hash.update(existsSync(path) ? readFileSync(path) : '(missing)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

const wanted = inputsHash();
const built = outputs.every((file) => existsSync(join(root, file)));
if (built && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === wanted) {
  console.log('build: up to date (no source, tsconfig, manifest or TypeScript change since the last build)');
  process.exit(0);
}
rmSync(stampFile, { force: true }); // a failed build must not leave a stamp saying it is up to date
const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampFile, `${wanted}\n`);
