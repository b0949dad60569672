// Files homephone writes: whole or not at all, never through a symbolic link, never handed to
// another owner, in folders nobody else can write; and a lock that knows when it was lost.
import * as fs from 'node:fs';
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { HomephoneError, InputError } from '../errors.js';

/** A file or folder homephone will not use as it is: a link, a loose mode, another owner. */
export class UnsafeFileError extends HomephoneError {}

const isPosix = process.platform !== 'win32';

function whoCanWrite(mode: number): string {
  const who = [mode & 0o020 ? 'its group' : '', mode & 0o002 ? 'every user' : ''].filter(Boolean);
  return who.join(' and ');
}

function ownerProblem(uid: number): string | undefined {
  const me = process.getuid?.();
  if (me === undefined || uid === me || uid === 0) return undefined;
  return `belongs to user ${uid}, not to you (user ${me})`;
}

/**
 * Refuses a folder anyone but its owner (you, or root) can write: whoever can write there can
 * replace config.json, or swap it for a link to another file.
 */
export function assertPrivateFolder(dir: string): void {
  if (!isPosix) return;
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new UnsafeFileError(`${dir} is not a folder`);
  if (stat.mode & 0o022) {
    throw new UnsafeFileError(
      `the configuration folder ${dir} can be written by ${whoCanWrite(stat.mode)} (mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')}): ` +
        'homephone will not use it, since anyone who can write there can replace its files',
      { hint: `make it private: chmod 700 ${dir}` },
    );
  }
  const owner = ownerProblem(stat.uid);
  if (owner) throw new UnsafeFileError(`the configuration folder ${dir} ${owner}: homephone will not use it`, { hint: `chown it to yourself, or set HOMEPHONE_CONFIG_DIR to a folder of your own` });
}

/** Refuses an existing configuration file that is a link, or that someone else can write (a missing one is fine). */
export function assertPrivateFile(path: string): void {
  if (!isPosix) return;
  let stat: fs.Stats;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (stat.isSymbolicLink()) {
    throw new UnsafeFileError(`${path} is a symbolic link: homephone never reads or writes its files through one`, {
      hint: 'replace the link with the file itself (or remove it), then run the command again',
    });
  }
  if (!stat.isFile()) throw new UnsafeFileError(`${path} is not a regular file`);
  if (stat.mode & 0o022) {
    throw new UnsafeFileError(
      `${path} can be written by ${whoCanWrite(stat.mode)} (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}): homephone will not use it`,
      { hint: `make it private: chmod 600 ${path}` },
    );
  }
  const owner = ownerProblem(stat.uid);
  if (owner) throw new UnsafeFileError(`${path} ${owner}: homephone will not use it`, { hint: `chown it to yourself (it may hold secrets), or move it away` });
}

/** Creates the configuration folder (mode 0700) if needed, then refuses it if it is not private. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertPrivateFolder(dir);
}

export interface WriteOptions {
  mode?: number;
  /** Called just before the new file replaces the old one; throwing leaves the old file as it was. */
  beforeCommit?: () => void;
}

/**
 * Writes a temp file beside the target (created exclusively, never through a link), fsyncs it,
 * then renames it over the target: readers see the old file or the new one. A target that is a
 * symbolic link is refused, never followed; the new file is owned by whoever runs homephone
 * (ownership is never copied from the old file). The folder must exist: none is created.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, modeOrOptions: number | WriteOptions = {}): void {
  const options = typeof modeOrOptions === 'number' ? { mode: modeOrOptions } : modeOrOptions;
  const mode = options.mode ?? 0o600;
  const dir = dirname(resolve(path));
  let dirStat: fs.Stats;
  try {
    dirStat = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`the folder ${dir} does not exist, so ${path} cannot be written`, { hint: `create it first (mkdir -p ${dir}) or choose another path` });
    }
    throw err;
  }
  if (!dirStat.isDirectory()) throw new InputError(`${dir} is not a folder, so ${path} cannot be written`);
  refuseLinkOrSpecial(path);
  // A unique name per writer; O_EXCL|O_NOFOLLOW refuses an existing name or a planted link.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  let created = false;
  try {
    const fd = openSync(tmp, flags, mode);
    created = true;
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    options.beforeCommit?.();
    refuseLinkOrSpecial(path);
    renameSync(tmp, path);
  } catch (err) {
    if (created) rmSync(tmp, { force: true });
    throw err;
  }
}

function refuseLinkOrSpecial(path: string): void {
  let stat: fs.Stats;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (stat.isSymbolicLink()) {
    throw new UnsafeFileError(`${path} is a symbolic link: homephone never writes through one`, {
      hint: `replace the link with the file itself (or remove it), then run the command again`,
    });
  }
  if (!stat.isFile()) throw new UnsafeFileError(`${path} is not a regular file: homephone will not replace it`);
}

/** Reads a file, refusing more than `maxBytes` (checked while reading, so /dev/zero or a pipe cannot fill memory). */
export function readFileCapped(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(`${path} is a folder, not a file`);
    if (stat.isFile() && stat.size > maxBytes) throw tooBig(path, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooBig(path, maxBytes);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function tooBig(path: string, maxBytes: number): InputError {
  return new InputError(`${path} is larger than ${Math.round(maxBytes / (1 << 20))} MiB, the most homephone reads`, {
    hint: 'split it into smaller files, or check that it is the file you meant',
  });
}

// --- the lock ------------------------------------------------------------------------------

/** A lock older than this (no refresh) is taken to be abandoned and may be taken over. */
export const LOCK_STALE_MS = 10_000;
/** A holder that has not refreshed its lock for this long no longer trusts it. */
const LOCK_TRUST_MS = LOCK_STALE_MS - 2_000;

export interface HeldLock {
  /** Throws unless this process still holds the lock and has kept it fresh; call before committing a write. */
  assertHeld(): void;
}

/** The lock was taken over (it looked abandoned): whatever the holder was about to write is dropped. */
export class LockLostError extends HomephoneError {}

/**
 * Runs `fn` holding an exclusive lock on `path` (proper-lockfile's `path.lock` folder), across
 * processes. proper-lockfile refreshes the folder's mtime every 5 s; a holder whose event loop is
 * blocked cannot, and after 10 s another writer may take the lock over. So the holder watches its
 * own lock (through the `fs` proper-lockfile is given) and `assertHeld()` fails if the lock is no
 * longer exactly as it left it, or has not been refreshed lately: nothing is then written.
 */
export async function withFileLock<T>(path: string, fn: (lock: HeldLock) => T | Promise<T>): Promise<T> {
  // Loaded here, not at the top: readers (e.g. `whitelist list`) never need it.
  const { default: lockfile } = await import('proper-lockfile');
  const lockDir = `${resolve(path)}.lock`;
  const held = { holding: false, mtime: 0, refreshedAt: 0, compromised: undefined as Error | undefined };
  const ours = () => {
    try {
      return statSync(lockDir).mtime.getTime() === held.mtime;
    } catch {
      return false;
    }
  };
  // proper-lockfile takes an fs: watching its utimes tells us the mtime it set and when; its
  // rmdir must never remove a lock another process has since taken over.
  const watchedFs = {
    ...fs,
    utimes(p: fs.PathLike, atime: Date, mtime: Date, callback: (err: NodeJS.ErrnoException | null) => void) {
      fs.utimes(p, atime, mtime, (err) => {
        if (!err && resolve(String(p)) === lockDir) Object.assign(held, { mtime: mtime.getTime(), refreshedAt: Date.now() });
        callback(err);
      });
    },
    rmdir(p: fs.PathLike, callback: (err: NodeJS.ErrnoException | null) => void) {
      if (held.holding && resolve(String(p)) === lockDir && !ours()) return callback(null);
      fs.rmdir(p, callback);
    },
    rmdirSync(p: fs.PathLike) {
      if (held.holding && resolve(String(p)) === lockDir && !ours()) return;
      fs.rmdirSync(p);
    },
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: LOCK_STALE_MS,
      fs: watchedFs,
      onCompromised: (err) => void (held.compromised = err),
      retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
    });
  } catch (err) {
    throw new HomephoneError(`could not lock ${path}: ${(err as Error).message}`, {
      hint: `another homephone may be writing it; if none is running, remove ${path}.lock`,
      cause: err,
    });
  }
  held.holding = true;
  if (!held.refreshedAt) Object.assign(held, { mtime: statSync(lockDir).mtime.getTime(), refreshedAt: Date.now() });
  const lock: HeldLock = {
    assertHeld() {
      const lost = held.compromised !== undefined || !ours();
      if (lost || Date.now() - held.refreshedAt > LOCK_TRUST_MS) {
        throw new LockLostError(
          lost
            ? `another process took over the lock on ${path} while this one held it: nothing was written, so its change is kept`
            : `the lock on ${path} was held too long without being refreshed, so another process may take it: nothing was written`,
          { hint: 'run the command again' },
        );
      }
    },
  };
  try {
    return await fn(lock);
  } finally {
    // Released after a takeover, the rmdir above leaves the new holder's lock alone.
    await release().catch(() => {});
  }
}
