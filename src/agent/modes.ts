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

const MAX_WINDOW_MINUTES = 24 * 60;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The modes in a configuration, checked as the agent reads them (the file may have been edited by
 * hand): a delivery window that is not a UTC timestamp is ignored, and one that ends more than 24
 * hours from now is cut to 24 hours. Either is logged.
 */
export function modesOf(config: HomephoneConfig, now: Date = new Date(), log?: AgentLogger): BuzzModes {
  const raw: unknown = config.buzzer?.openUntil;
  let openUntil: Date | undefined;
  if (raw !== undefined) {
    const until = typeof raw === 'string' && ISO_UTC.test(raw) ? new Date(raw) : undefined;
    if (!until || Number.isNaN(until.getTime())) {
      log?.warn('agent.open-window-invalid', { openUntil: String(raw).slice(0, 40), hint: 'homephone buzzer open-for 30m, or buzzer close' });
    } else {
      const latest = now.getTime() + MAX_WINDOW_MINUTES * 60_000;
      if (until.getTime() > latest) log?.warn('agent.open-window-capped', { openUntil: raw, until: new Date(latest).toISOString() });
      openUntil = new Date(Math.min(until.getTime(), latest));
    }
  }
  const codes = config.buzzer?.entryCodes;
  return {
    openUntil,
    entryCodes: Array.isArray(codes) ? (codes.filter((c) => typeof c?.name === 'string' && typeof c?.hash === 'string') as EntryCode[]) : [],
  };
}

/**
 * Modes read from `path`; a file that cannot be read keeps the last good modes (and says so). So
 * does one that became unsafe while the agent runs (a folder others can write, a link planted as
 * config.json): a delivery window opens the door, so it is read only from a private file.
 */
export function watchModes(path: string, initial: HomephoneConfig, log: AgentLogger, now: () => Date = () => new Date()): () => BuzzModes {
  let modes = modesOf(initial, now(), log);
  let seen = -1;
  return () => {
    try {
      assertPrivateFolder(dirname(path));
      assertPrivateFile(path);
      const mtime = statSync(path).mtimeMs;
      if (mtime !== seen) {
        seen = mtime;
        modes = modesOf(JSON.parse(readFileSync(path, 'utf8')) as HomephoneConfig, now(), log);
      }
    } catch (err) {
      log.warn('agent.config-unreadable', { path, error: err instanceof Error ? err.message : String(err) });
    }
    return modes;
  };
}

/** "30m", "2h", "1h30m", "45" (minutes) → minutes; at most a day. */
export function parseWindow(text: string): number {
  const m = /^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:m|min)?)?\s*$/i.exec(text);
  const minutes = m && (m[1] || m[2]) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : NaN;
  if (!Number.isInteger(minutes) || minutes <= 0 || minutes > MAX_WINDOW_MINUTES) {
    throw new InputError(`"${text}" is not a duration of 1 minute to 24 hours`, { hint: 'write it like 30m, 2h or 1h30m' });
  }
  return minutes;
}
