// Runs the built `homephone` binary (bin/homephone → dist/cli.js) in its own config folder.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type Result } from 'execa';

export const root = resolve(import.meta.dirname, '../..');
export const bin = join(root, 'bin/homephone');

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

export interface RunOptions {
  dir?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
}

export type CliResult = Result<{ reject: false }>;

/** Runs homephone non-interactively (no TTY, CI set), never throwing on a non-zero exit. */
export async function homephone(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = {
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
  return execa('node', [bin, ...args], {
    env,
    extendEnv: true,
    reject: false,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  }) as Promise<CliResult>;
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
