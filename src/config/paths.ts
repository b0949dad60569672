// Where homephone keeps its files: HOMEPHONE_CONFIG_DIR, or the per-user config folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The platform's per-user config folder (as env-paths names it), without loading a package for it. */
function userConfigHome(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences');
  if (process.platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME || join(homedir(), '.config');
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOMEPHONE_CONFIG_DIR || join(userConfigHome(env), 'homephone');
}

export const configPath = (env?: NodeJS.ProcessEnv): string => join(configDir(env), 'config.json');
export const whitelistPath = (env?: NodeJS.ProcessEnv): string => join(configDir(env), 'whitelist.json');
