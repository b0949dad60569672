// File writes that never leave half a file, and a lock so parallel processes lose nothing.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { HomephoneError } from '../errors.js';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Write to a temp file beside the target, fsync, then rename over it: readers see old or new. */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  ensurePrivateDir(dirname(path));
  // A unique name per writer; 'wx' refuses to reuse one that somehow exists.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Run `fn` holding an exclusive lock on `path` (a `path.lock` directory), across processes. */
export async function withFileLock<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
  ensurePrivateDir(dirname(path));
  // Loaded here, not at the top: readers (e.g. `whitelist list`) never need it.
  const { default: lockfile } = await import('proper-lockfile');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
    });
  } catch (err) {
    throw new HomephoneError(`could not lock ${path}: ${(err as Error).message}`, {
      hint: `another homephone may be writing it; if none is running, remove ${path}.lock`,
      cause: err,
    });
  }
  try {
    return await fn();
  } finally {
    await release();
  }
}
