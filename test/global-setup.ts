// Runs once, before any test file. Tests write many small files into the temp folder (the
// configuration is saved, fsynced, after every write of a deploy; the twin writes each build's
// files), and an fsync on a disk costs milliseconds of waiting and of system time each. On Linux
// the run's temp folder is therefore a folder of its own in /dev/shm (memory), where fsync is free,
// removed when the run ends; the code under test is the same (it still fsyncs). Elsewhere, or with
// HOMEPHONE_TEST_TMPDIR=system, the system's temp folder is used as it is.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';

export default function setup(): (() => void) | undefined {
  if (process.env.HOMEPHONE_TEST_TMPDIR === 'system' || process.platform !== 'linux') return undefined;
  let dir: string;
  try {
    if (!statSync('/dev/shm').isDirectory()) return undefined;
    dir = mkdtempSync('/dev/shm/homephone-tests-');
    // Others may pass through it, as through /tmp (a test runs the binary as another user, who must
    // reach the test's own private folder to be refused there); only its owner writes in it.
    chmodSync(dir, 0o755);
  } catch {
    return undefined;
  }
  const previous = process.env.TMPDIR;
  // The workers and the processes they start take their environment from this process's.
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
