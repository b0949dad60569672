// Households made through the CLI once per test worker, then copied, for tests whose subject comes
// after them. `homephone init` hashes the monitor code with scrypt (slow on purpose: ~50 ms of CPU)
// and a first `homephone deploy --yes` saves the configuration after each of its ~84 writes
// (~0.4 s of CPU). The first request for a household runs the real commands in a fresh folder and
// keeps what they wrote: every file of the configuration folder with its mode and, for a deployed
// household, the twin's account (its snapshot) taken at the same moment. Later requests write those
// files into a fresh folder and restore that snapshot into the caller's twin, so the deploy state in
// the configuration and the twin match as `homephone deploy` left them. A copy is byte for byte what
// the commands wrote for those flags, one draw of their randomness (the monitor code's salt, the
// generated SIP password). Tests of init or of a first deploy run the commands themselves.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Twin, TwinSnapshot } from '@homephone/twin';
import { homephone, tempDir, twinInitFlags } from './cli.js';

/**
 * The account of the twins that share deployed households: a twin snapshot loads only into a twin
 * of its own account. A twin with other credentials gets a household of its own (deployed for real).
 */
export const SHARED_TWIN_ACCOUNT = { accountSid: `AC${'c1'.repeat(16)}`, authToken: '5e'.repeat(16) };

/** The numbers of the shared household: seed the twin with both. */
export const SHARED_NUMBERS = { home: '+15551230000', buzzer: '+15551239999' };

/**
 * The household most CLI tests against a twin need (initInTwin's, with a buzzer and Grandma on the
 * whitelist): files that ask for this same recipe share one deploy when they share a worker.
 */
export const SHARED_RECIPE: DeployedRecipe = {
  init: [...twinInitFlags, '--buzzer-number', SHARED_NUMBERS.buzzer, '--enterphone-number', '+15551238888', '--tenant', 'Alex=+15551110000', '--public-url', 'https://buzz.example.org/'],
  whitelist: [['+15555555555', 'Grandma']],
};

/** A folder's files and subfolders, relative paths, with their modes (file contents read whole). */
type Folder = Array<{ path: string; mode: number; content: Buffer | null }>;

function readFolder(dir: string, under = ''): Folder {
  return readdirSync(join(dir, under)).flatMap((name): Folder => {
    const path = join(under, name);
    const stat = statSync(join(dir, path));
    if (stat.isDirectory()) return [{ path, mode: stat.mode & 0o777, content: null }, ...readFolder(dir, path)];
    return [{ path, mode: stat.mode & 0o777, content: readFileSync(join(dir, path)) }];
  });
}

function writeFolder(folder: Folder, dir: string): void {
  for (const entry of folder) {
    const path = join(dir, entry.path);
    if (entry.content === null) mkdirSync(path, { mode: entry.mode });
    else writeFileSync(path, entry.content, { mode: entry.mode });
    chmodSync(path, entry.mode); // exactly the mode the command left, whatever the umask
  }
}

const initialised = new Map<string, Promise<Folder>>();

/**
 * A fresh folder holding what `homephone init <args>` writes into an empty configuration folder
 * (init reaches no network: its output is a function of its arguments). Runs init for real the
 * first time in this worker; throws if it fails.
 */
export async function initialisedFolder(args: string[]): Promise<string> {
  const key = JSON.stringify(args);
  let saved = initialised.get(key);
  if (!saved) {
    saved = (async () => {
      const dir = tempDir();
      const init = await homephone(['init', ...args], { dir });
      if (init.exitCode !== 0) throw new Error(`homephone init failed (exit ${init.exitCode}): ${init.stderr}`);
      return readFolder(dir);
    })();
    initialised.set(key, saved);
    saved.catch(() => initialised.delete(key)); // not kept: the next caller sees the error again
  }
  const folder = await saved;
  const dir = tempDir();
  writeFolder(folder, dir);
  return dir;
}

export interface DeployedRecipe {
  /** Flags after `init --yes --account-sid … --auth-token …` (the twin's credentials), e.g. twinInitFlags. */
  init: string[];
  /** Contacts added after init with `whitelist add <number> --name <name>`. */
  whitelist?: Array<[number: string, name: string]>;
}

const deployed = new Map<string, Promise<{ folder: Folder; snapshot: TwinSnapshot }>>();

/**
 * A household initialised, given its whitelist and deployed (`deploy --yes`) through the CLI into
 * `twin`: a fresh configuration folder, and the twin holding that deploy (everything else in the
 * twin is gone, its request log empty). The first request in this worker for the recipe and the
 * twin's account runs the commands for real; later ones restore the twin's snapshot and copy the
 * folder. Start the twin with SHARED_TWIN_ACCOUNT to share one deploy between test files.
 */
export async function deployedCliHousehold(twin: Twin, recipe: DeployedRecipe): Promise<{ dir: string; env: Record<string, string> }> {
  const env = { HOMEPHONE_TWIN_URL: twin.url };
  const credentials = ['--account-sid', twin.credentials.accountSid, '--auth-token', twin.credentials.authToken];
  // The twin's own numbers too (a deploy configures those it finds): twins seeded alike share.
  const numbers = [...twin.state.numbers.values()].map((n) => n.json.phone_number).sort();
  const key = JSON.stringify([credentials, numbers, recipe]);
  let saved = deployed.get(key);
  if (!saved) {
    saved = (async () => {
      twin.admin.reset();
      const dir = tempDir();
      const run = async (args: string[]) => {
        const r = await homephone(args, { dir, env });
        if (r.exitCode !== 0) throw new Error(`homephone ${args[0]} failed (exit ${r.exitCode}): ${r.stderr}`);
      };
      await run(['init', '--yes', ...credentials, ...recipe.init]);
      for (const [number, name] of recipe.whitelist ?? []) await run(['whitelist', 'add', number, '--name', name]);
      await run(['deploy', '--yes']);
      return { folder: readFolder(dir), snapshot: twin.admin.snapshot() };
    })();
    deployed.set(key, saved);
    saved.catch(() => deployed.delete(key));
  }
  const { folder, snapshot } = await saved;
  twin.admin.restore(snapshot); // also when this twin just made it: the same request log (none) either way
  const dir = tempDir();
  writeFolder(folder, dir);
  return { dir, env };
}
