// Typed errors. The one top-level handler in src/cli.ts maps them to exit codes and messages;
// core modules throw them and never print or exit themselves.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  cancelled: 3,
  auth: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorOptions {
  /** One line telling the user what to do about it. */
  hint?: string;
  cause?: unknown;
}

/** A failure the user can understand and act on (exit 1 unless a subclass says otherwise). */
export class HomephoneError extends Error {
  readonly exitCode: ExitCodeValue = ExitCode.failure;
  readonly hint: string | undefined;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad usage or bad input: a wrong flag, an invalid number, a corrupt file (exit 2). */
export class InputError extends HomephoneError {
  override readonly exitCode = ExitCode.usage;
}

/** The user cancelled, e.g. Ctrl-C in a prompt or "no" to a confirmation (exit 3). */
export class CancelledError extends HomephoneError {
  override readonly exitCode = ExitCode.cancelled;
}

/** Credentials are missing or rejected (exit 4). */
export class AuthError extends HomephoneError {
  override readonly exitCode = ExitCode.auth;
}

/** A prompt was needed but the session is non-interactive: names the flag to pass instead. */
export function missingFlag(flag: string, what: string): InputError {
  return new InputError(`missing ${flag}: ${what} is required`, {
    hint: `pass ${flag}, or run interactively without --yes`,
  });
}

const SYSCALL_VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'replace',
  unlink: 'remove',
  rmdir: 'remove the folder',
  stat: 'look at',
  lstat: 'look at',
  scandir: 'list the folder',
  utime: 'update',
  chmod: 'change the mode of',
  copyfile: 'copy',
  access: 'access',
};

/**
 * A file-system permission failure (EACCES, EPERM, EROFS) as a message saying what was denied and
 * where; undefined for anything else.
 */
export function describePermissionError(err: unknown): HomephoneError | undefined {
  const e = err as (NodeJS.ErrnoException & { dest?: string }) | undefined;
  if (!e || typeof e !== 'object' || !['EACCES', 'EPERM', 'EROFS'].includes(String(e.code))) return undefined;
  const verb = (e.syscall && SYSCALL_VERBS[e.syscall]) ?? e.syscall ?? 'use';
  const where = e.path ? `${e.path}${e.dest ? ` (to ${e.dest})` : ''}` : 'a file';
  const why = e.code === 'EROFS' ? 'the file system is read-only' : 'permission denied';
  return new HomephoneError(`${why}: could not ${verb} ${where} (${e.code})`, {
    hint: 'check the owner and mode of that file and its folders (ls -ld); homephone keeps its files private to the user who runs it (0600 files in a 0700 folder)',
    cause: err,
  });
}
