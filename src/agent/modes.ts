// The modes a household switches while the agent runs (`homephone buzzer open-for`, entry codes):
// read from the configuration file on each buzz, re-parsed only when the file changed, so a
// separate `homephone buzzer …` command takes effect without restarting the agent.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BuzzerSection, EntryCode, HomephoneConfig } from '../config/schema.js';
import type { ConfigStore } from '../config/store.js';
import { InputError } from '../errors.js';
import { assertPrivateFile, assertPrivateFolder } from '../util/files.js';
import type { BuzzModes } from './buzz.js';
import type { AgentLogger } from './logger.js';

export const MAX_WINDOW_MINUTES = 24 * 60;
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
  const file = new ModesFile(path, initial, log, now);
  return () => file.read();
}

/** The configuration file's modes, re-parsed only when the file changed (or was written here). */
export class ModesFile {
  private modes: BuzzModes;
  private seen = -1;

  constructor(
    readonly path: string,
    initial: HomephoneConfig,
    private readonly log: AgentLogger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.modes = modesOf(initial, now(), log);
  }

  read(): BuzzModes {
    try {
      assertPrivateFolder(dirname(this.path));
      assertPrivateFile(this.path);
      const mtime = statSync(this.path).mtimeMs;
      if (mtime !== this.seen) {
        this.seen = mtime;
        this.modes = modesOf(JSON.parse(readFileSync(this.path, 'utf8')) as HomephoneConfig, this.now(), this.log);
      }
    } catch (err) {
      this.log.warn('agent.config-unreadable', { path: this.path, error: err instanceof Error ? err.message : String(err) });
    }
    return this.modes;
  }

  /**
   * The next read parses the file again: after a write of our own, whose modification time may
   * equal the last one seen (timestamps are coarser than two quick writes).
   */
  forget(): void {
    this.seen = -1;
  }
}

/** Where the agent writes the delivery window when the owner texts `open` or `close`. */
export interface DeliveryWindowStore {
  /** Opens the window until `until` (replacing any open one). */
  open(until: Date): Promise<void>;
  /** Closes it; gives the end of the window that was set, if any. */
  close(): Promise<Date | undefined>;
}

/** The buzzer section, or a clear refusal when the buzzer was never set up. */
export function buzzerSection(config: HomephoneConfig): BuzzerSection {
  if (!config.buzzer?.number) {
    throw new InputError('the buzzer is not set up', { hint: 'set it up first: homephone init (answer yes to the buzzer)' });
  }
  return config.buzzer;
}

/**
 * Writes the delivery window into the configuration: under the store's lock, validated, atomic,
 * mode 0600 (ConfigStore). `homephone buzzer open-for`/`close` and the agent's texts both write
 * through here, so the window is written one way only.
 */
export async function writeDeliveryWindow(store: ConfigStore, until: Date | undefined): Promise<{ config: HomephoneConfig; was: string | undefined }> {
  let was: string | undefined;
  const config = await store.update((c) => {
    const buzzer = { ...buzzerSection(c) };
    was = buzzer.openUntil;
    if (until) buzzer.openUntil = until.toISOString();
    else delete buzzer.openUntil;
    return { ...c, buzzer };
  });
  return { config, was };
}

/**
 * The running agent's modes and window, both on the configuration file: what a text writes, the
 * next buzz reads (the same file `homephone buzzer open-for` writes).
 */
export function configModes(
  store: ConfigStore,
  initial: HomephoneConfig,
  log: AgentLogger,
  now: () => Date = () => new Date(),
): { modes: () => BuzzModes; window: DeliveryWindowStore } {
  const file = new ModesFile(store.path, initial, log, now);
  return {
    modes: () => file.read(),
    window: {
      open: async (until) => {
        try {
          await writeDeliveryWindow(store, until);
        } finally {
          file.forget();
        }
      },
      close: async () => {
        try {
          const { was } = await writeDeliveryWindow(store, undefined);
          const end = was === undefined ? undefined : new Date(was);
          return end && !Number.isNaN(end.getTime()) ? end : undefined;
        } finally {
          file.forget();
        }
      },
    },
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
