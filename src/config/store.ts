// The conf-backed configuration store. Every write is validated against the schema, written
// atomically with mode 0600 (never through a symbolic link, never handed to another owner), and
// made under a lock so parallel processes don't lose updates. A folder or file others can write
// is refused before anything is read.
import { existsSync, readFileSync } from 'node:fs';
import Conf from 'conf';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormatsModule from 'ajv-formats';
import { InputError } from '../errors.js';
import { describeJsonError } from '../util/json-error.js';
import { assertPrivateFile, ensurePrivateDir, withFileLock, writeFileAtomic, type HeldLock } from '../util/files.js';
import { configDir, configPath } from './paths.js';
import { configSchema, type HomephoneConfig } from './schema.js';

export class ConfigStore {
  readonly path: string;
  readonly #conf: Conf<HomephoneConfig>;
  /** The lock held by the write in progress: conf's write checks it before committing. */
  #lock: HeldLock | undefined;

  private constructor(conf: Conf<HomephoneConfig>, path: string) {
    this.#conf = conf;
    this.path = path;
  }

  static open(env: NodeJS.ProcessEnv = process.env): ConfigStore {
    const dir = configDir(env);
    const path = configPath(env);
    ensurePrivateDir(dir);
    assertPrivateFile(path);
    try {
      // No schema handed to conf: it would compile one with a new ajv for every instance (tens of
      // milliseconds, and every command opens the store). Its one validation hook uses ours,
      // compiled once per process with the same settings, from the first read on.
      const conf = new Conf<HomephoneConfig>({ cwd: dir, configName: 'config', configFileMode: 0o600, clearInvalidConfig: false });
      const store = new ConfigStore(conf, path);
      // conf writes through \`atomically\`, which follows a symbolic link and copies the old
      // file's owner to the new one (as root, that hands the auth token to the link target's
      // owner). Its one write method goes through our writer instead.
      const internals = conf as unknown as { _write(value: unknown): void; _serialize(value: unknown): string; _validate(value: unknown): void };
      internals._write = (value) =>
        writeFileAtomic(path, internals._serialize(value), { mode: 0o600, beforeCommit: () => store.#lock?.assertHeld() });
      internals._validate = validateConfig;
      // What conf's constructor did with a schema: refuse an invalid file on opening it.
      void conf.store;
      return store;
    } catch (err) {
      throw explainReadError(err, path);
    }
  }

  /** The whole configuration (a fresh read of the file). */
  read(): HomephoneConfig {
    try {
      return this.#conf.store;
    } catch (err) {
      throw explainReadError(err, this.path);
    }
  }

  get(dotted: string): unknown {
    return this.#conf.get(dotted as keyof HomephoneConfig);
  }

  /** Replace the whole configuration in one validated, atomic write. */
  async replace(next: HomephoneConfig): Promise<void> {
    await this.#locked(() => {
      this.#conf.store = next;
    });
  }

  /** Change the configuration with a function of its current value, read and written under the lock. */
  async update(change: (current: HomephoneConfig) => HomephoneConfig): Promise<HomephoneConfig> {
    return this.#locked(() => {
      const next = change(structuredClone(this.read()));
      this.#conf.store = next;
      return next;
    });
  }

  async set(dotted: string, value: unknown): Promise<void> {
    await this.#locked(() => this.#conf.set(dotted, value));
  }

  async unset(dotted: string): Promise<void> {
    await this.#locked(() => this.#conf.delete(dotted as keyof HomephoneConfig));
  }

  async #locked<T>(fn: () => T): Promise<T> {
    return withFileLock(this.path, (lock) => {
      this.#lock = lock;
      try {
        return fn();
      } catch (err) {
        throw explainWriteError(err);
      } finally {
        this.#lock = undefined;
      }
    });
  }
}

let validator: ValidateFunction | undefined;

/** conf's own validation (its ajv settings and its error message), with the schema compiled once. */
function validateConfig(data: unknown): void {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, useDefaults: true });
    // conf's workaround for ajv-formats' CommonJS default export (ajv-validator/ajv#2047).
    (ajvFormatsModule as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
    validator = ajv.compile({ type: 'object', properties: configSchema });
  }
  if (validator(data) || !validator.errors) return;
  const errors = validator.errors.map(({ instancePath, message = '' }) => `\`${instancePath.slice(1)}\` ${message}`);
  throw new Error(`Config schema violation: ${errors.join('; ')}`);
}

function explainReadError(err: unknown, path: string): Error {
  const message = (err as Error)?.message ?? String(err);
  if ((err as Error)?.name === 'SyntaxError') {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    return new InputError(`the config file ${path} is not valid JSON at ${describeJsonError(text, err)}`, {
      hint: 'fix the file by hand or move it away and run homephone init; homephone will not overwrite it',
    });
  }
  if (message.startsWith('Config schema violation:')) {
    return new InputError(`the config file ${path} is invalid: ${message.slice('Config schema violation: '.length)}`, {
      hint: 'fix the named fields in the file, or move it away and run homephone init',
    });
  }
  return err as Error;
}

function explainWriteError(err: unknown): Error {
  const message = (err as Error)?.message ?? String(err);
  if (message.startsWith('Config schema violation:')) {
    return new InputError(`invalid configuration: ${message.slice('Config schema violation: '.length)}`, {
      hint: 'see homephone config show for the current values',
    });
  }
  return err as Error;
}
