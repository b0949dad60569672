// Where homephone keeps its files: HOMEPHONE_CONFIG_DIR, or the per-user config folder.
import { join } from 'node:path';
import envPaths from 'env-paths';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HOMEPHONE_CONFIG_DIR;
  if (override) return override;
  return envPaths('homephone', { suffix: '' }).config;
}

export const configPath = (env?: NodeJS.ProcessEnv): string => join(configDir(env), 'config.json');
export const whitelistPath = (env?: NodeJS.ProcessEnv): string => join(configDir(env), 'whitelist.json');
