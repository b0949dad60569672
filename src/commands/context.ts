// What every command handler receives: the global flags, the streams, and the one way to print a
// result. Colour and interactivity are decided here, once.
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import { InputError } from '../errors.js';

export interface GlobalOptions {
  json?: boolean;
  yes?: boolean;
  color?: boolean;
  debug?: boolean;
}

/**
 * Everything a command may take from its surroundings. main() gets the process's; tests pass their
 * own, so many commands can run in one process without sharing anything.
 */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** The terminal input prompts read (default: the process's stdin). */
  stdin?: Readable;
  /** Where relative paths on the command line are resolved (default: the process's cwd). */
  cwd?: string;
  /** The clock for "now" (default: the system clock). */
  now?: () => Date;
}

export interface CommandContext {
  readonly json: boolean;
  readonly yes: boolean;
  readonly debug: boolean;
  /** True when prompts may be shown: a TTY on stdin, no --yes, not in CI. */
  readonly interactive: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly io: Io;
  /** The working directory relative paths are resolved against. */
  readonly cwd: string;
  /** The current time (the injected clock in tests). */
  now(): Date;
  /** A path from the command line, absolute. */
  resolvePath(path: string): string;
  /** Colours for stderr (progress, messages); plain text when colour is off or stderr is no terminal. */
  readonly style: Style;
  /** Colours for stdout (results): plain when stdout is a file or a pipe, whatever stderr is. */
  readonly outStyle: Style;
  /** Progress and notes: always stderr, so stdout stays clean for results and --json. */
  info(line: string): void;
  warn(line: string): void;
  /** Print the command's result: `human` as text, or `data` as the one JSON document. */
  result(human: string | (() => string), data: unknown): void;
  /** Finish with this exit code though nothing failed (e.g. 2 = "changes pending" for deploy --detailed-exitcode). */
  setExitCode(code: number): void;
}

const requestedExitCodes = new WeakMap<Io, number>();

/** The exit code a handler asked for with setExitCode, if any. */
export function requestedExitCode(io: Io): number | undefined {
  return requestedExitCodes.get(io);
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    stdin: process.stdin,
    cwd: process.cwd(),
  };
}

/** Colour follows the stream it is written to: on for a terminal, off for a file or pipe. */
export function colorEnabled(opts: GlobalOptions, io: Io, stream: 'stdout' | 'stderr' = 'stderr'): boolean {
  if (opts.color === false) return false;
  if (io.env.NO_COLOR) return false;
  if (io.env.TERM === 'dumb') return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return Boolean((io[stream] as { isTTY?: boolean }).isTTY);
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

export type Style = Pick<ChalkInstance, 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'cyan'>;

const plain = (text: string) => text;
const plainStyle: Style = { red: plain, yellow: plain, green: plain, dim: plain, bold: plain, cyan: plain } as Style;

/** chalk only when colour is on: piped and scripted runs never pay for loading it. */
export async function loadStyle(opts: GlobalOptions, io: Io, stream: 'stdout' | 'stderr' = 'stderr'): Promise<Style> {
  if (!colorEnabled(opts, io, stream)) return plainStyle;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}

export async function createContext(opts: GlobalOptions, io: Io): Promise<CommandContext> {
  const json = Boolean(opts.json);
  const yes = Boolean(opts.yes);
  const style = await loadStyle(opts, io, 'stderr');
  const outStyle = await loadStyle(opts, io, 'stdout');
  let printed = false;
  const cwd = io.cwd ?? process.cwd();
  return {
    json,
    yes,
    debug: Boolean(opts.debug),
    interactive: io.stdinIsTTY && !yes && !isCi(io.env),
    env: io.env,
    io,
    cwd,
    now: () => (io.now ? io.now() : new Date()),
    resolvePath: (path) => resolve(cwd, path),
    style,
    outStyle,
    info: (line) => void io.stderr.write(`${line}\n`),
    warn: (line) => void io.stderr.write(`${style.yellow('warning:')} ${line}\n`),
    setExitCode: (code) => void requestedExitCodes.set(io, code),
    result(human, data) {
      if (printed) throw new Error('a command printed two results');
      printed = true;
      if (json) {
        io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      } else {
        const text = typeof human === 'function' ? human() : human;
        if (text) io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
  };
}

/** Ask, or fail naming the flag when prompts are not allowed. */
export async function askOrFail<T>(
  ctx: CommandContext,
  flag: string,
  what: string,
  ask: () => Promise<T>,
): Promise<T> {
  if (!ctx.interactive) {
    throw new InputError(`missing ${flag}: ${what} is required`, {
      hint: `pass ${flag}${ctx.yes ? '' : ' (prompts need an interactive terminal)'}`,
    });
  }
  return ask();
}
