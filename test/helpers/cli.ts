// Runs homephone command lines for tests: in-process through main() (fast, isolated), or the built
// binary for the few smoke tests that need a real process.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { execa } from 'execa';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/commands/context.js';

export const root = resolve(import.meta.dirname, '../..');
export const bin = join(root, 'bin/homephone');

import { tempDir } from './temp.js';
export { removeTempDirs, tempDir } from './temp.js';

export interface RunOptions {
  dir?: string;
  env?: Record<string, string | undefined>;
  /** Text on stdin (never a terminal). */
  input?: string;
  cwd?: string;
  /** The clock the command sees (default: the system clock). */
  now?: () => Date;
  /** Pretend stdout / stderr are terminals (to test colour and prompts decisions). */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
}

export interface CliResult {
  exitCode: number;
  /** What the command wrote, without one final newline (as execa returns it). */
  stdout: string;
  stderr: string;
}

/** The environment a test command sees: the test process's, minus credentials, CI on, no colour. */
function commandEnv(options: RunOptions): Record<string, string> {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    CI: '1',
    NO_COLOR: '1',
    TWILIO_ACCOUNT_SID: undefined,
    TWILIO_AUTH_TOKEN: undefined,
    TWILIO_API_KEY: undefined,
    TWILIO_API_SECRET: undefined,
    HOMEPHONE_TWIN_URL: undefined,
    ...(options.dir ? { HOMEPHONE_CONFIG_DIR: options.dir } : {}),
    ...options.env,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}

/** A stream that collects what is written to it. */
class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super({ decodeStrings: false });
  }
  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    done();
  }
}

const stripFinalNewline = (text: string) => text.replace(/\r?\n$/, '');

/**
 * Runs one homephone command line in this process, through the CLI's own main() with its own
 * streams, environment, working directory and clock: nothing is shared with other runs (the
 * commands read no process-wide state). Never throws on a non-zero exit.
 */
export async function homephone(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const stdout = new Capture(Boolean(options.stdoutIsTTY));
  const stderr = new Capture(Boolean(options.stderrIsTTY));
  const io: Io = {
    stdout,
    stderr,
    stdinIsTTY: false,
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    env: commandEnv(options),
    cwd: options.cwd ?? process.cwd(),
    ...(options.now ? { now: options.now } : {}),
  };
  const exitCode = await main(args, io);
  return { exitCode, stdout: stripFinalNewline(stdout.text), stderr: stripFinalNewline(stderr.text) };
}

/**
 * Runs the built binary (bin/homephone → dist/cli.js) as a child process, for the smoke tests of
 * what only a real process shows: start-up, exit status, signals, terminals, loaded modules.
 */
export async function homephoneBinary(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const result = await execa('node', [bin, ...args], {
    env: commandEnv(options),
    extendEnv: false,
    reject: false,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = 'feedfacefeedfacefeedfacefeedface';

/** Flags for a complete non-interactive init of a US household. */
export const initFlags = [
  '--yes',
  '--account-sid', ACCOUNT_SID,
  '--auth-token', AUTH_TOKEN,
  '--home-number', '+15551230000',
  '--owner-cell', '(555) 123-0001',
  '--time-zone', 'America/New_York',
  '--sip-domain', 'myhome',
  '--monitor-code', '2468',
];

/** The household initInTwin sets up, after the twin's credentials. */
export const twinInitFlags = [
  '--home-number', '+15551230000', '--owner-cell', '+15551230001', '--time-zone', 'America/New_York',
  '--sip-domain', 'myhome', '--monitor-code', '2468',
];

/**
 * `homephone init` of that household against a twin (its credentials; HOMEPHONE_TWIN_URL in the
 * env returned), in a fresh folder: the folder and env to run the next commands with.
 */
export async function initInTwin(
  twin: { url: string; credentials: { accountSid: string; authToken: string } },
  extra: string[] = [],
): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = tempDir();
  const env = { HOMEPHONE_TWIN_URL: twin.url };
  const init = await homephone(
    ['init', '--yes', '--account-sid', twin.credentials.accountSid, '--auth-token', twin.credentials.authToken, ...twinInitFlags, ...extra],
    { dir, env },
  );
  if (init.exitCode !== 0) throw new Error(`homephone init failed (exit ${init.exitCode}): ${init.stderr}`);
  return { dir, env };
}
