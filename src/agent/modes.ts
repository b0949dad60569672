// The modes a household switches while the agent runs (`homephone buzzer open-for`, entry codes):
// read from the configuration file on each buzz, re-parsed only when the file changed, so a
// separate `homephone buzzer …` command takes effect without restarting the agent.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EntryCode, HomephoneConfig } from '../config/schema.js';
import { InputError } from '../errors.js';
import { assertPrivateFile, assertPrivateFolder } from '../util/files.js';
import type { BuzzModes } from './buzz.js';
import type { AgentLogger } from './logger.js';

export function modesOf(config: HomephoneConfig): BuzzModes {
  const until = config.buzzer?.openUntil ? new Date(config.buzzer.openUntil) : undefined;
  return {
    openUntil: until && !Number.isNaN(until.getTime()) ? until : undefined,
    entryCodes: (config.buzzer?.entryCodes ?? []) as EntryCode[],
  };
}

/**
 * Modes read from `path`; a file that cannot be read keeps the last good modes (and says so). So
 * does one that became unsafe while the agent runs (a folder others can write, a link planted as
 * config.json): a delivery window opens the door, so it is read only from a private file.
 */
export function watchModes(path: string, initial: HomephoneConfig, log: AgentLogger): () => BuzzModes {
  let modes = modesOf(initial);
  let seen = -1;
  return () => {
    try {
      assertPrivateFolder(dirname(path));
      assertPrivateFile(path);
      const mtime = statSync(path).mtimeMs;
      if (mtime !== seen) {
        seen = mtime;
        modes = modesOf(JSON.parse(readFileSync(path, 'utf8')) as HomephoneConfig);
      }
    } catch (err) {
      log.warn('agent.config-unreadable', { path, error: err instanceof Error ? err.message : String(err) });
    }
    return modes;
  };
}

const MAX_WINDOW_MINUTES = 24 * 60;

/** "30m", "2h", "1h30m", "45" (minutes) → minutes; at most a day. */
export function parseWindow(text: string): number {
  const m = /^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:m|min)?)?\s*$/i.exec(text);
  const minutes = m && (m[1] || m[2]) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : NaN;
  if (!Number.isInteger(minutes) || minutes <= 0 || minutes > MAX_WINDOW_MINUTES) {
    throw new InputError(`"${text}" is not a duration of 1 minute to 24 hours`, { hint: 'write it like 30m, 2h or 1h30m' });
  }
  return minutes;
}
