// Temp folders for tests, removed after each test file (test/setup.ts). Node built-ins only: the
// set-up runs for the twin's test files too, which must load nothing of the product.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/** Removes the folders tempDir made; test/setup.ts runs it after each test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function tempDir(prefix = 'homephone-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
