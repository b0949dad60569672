// One build's Functions and Assets, isolated: the build's files are written to a folder of its own
// and its modules are loaded by our own CommonJS loader with a cache per build, so a new
// deployment changes behaviour and two builds never share module state. Each module sees the
// runtime's globals (Runtime, Twilio, and a Date on the twin's virtual clock) as variables of an
// enclosing scope, so a Function may still shadow them as it can on Twilio.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { runInThisContext } from 'node:vm';
import type { VersionRecord } from '../state.js';

export interface RuntimeGlobals {
  Runtime: unknown;
  Twilio: unknown;
  Date: DateConstructor;
  /** What the Functions log goes to (Twilio's Function logs; the twin's transcript). */
  console: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>;
}

interface LoadedModule {
  exports: unknown;
  filename: string;
  id: string;
  loaded: boolean;
}

const projectRequire = createRequire(import.meta.url);

/** Where a version's file lives inside the build folder. */
function fileFor(root: string, v: VersionRecord): string {
  const rel = v.json.path.replace(/^\/+/, '');
  if (v.kind === 'asset') return join(root, 'assets', rel);
  return join(root, 'functions', rel.endsWith('.js') ? rel : `${rel}.js`);
}

export class Sandbox {
  readonly dir: string;
  private cache = new Map<string, LoadedModule>();
  readonly files = new Map<string, { version: VersionRecord; file: string }>();

  constructor(
    buildSid: string,
    versions: VersionRecord[],
    private readonly globals: () => RuntimeGlobals,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `homephone-twin-${buildSid}-`));
    for (const v of versions) {
      const file = fileFor(this.dir, v);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, v.content);
      this.files.set(v.json.path, { version: v, file });
    }
  }

  /** Loads (once per build) the module at an absolute path inside this build. */
  load(file: string): unknown {
    const cached = this.cache.get(file);
    if (cached) return cached.exports;
    const module: LoadedModule = { exports: {}, filename: file, id: file, loaded: false };
    this.cache.set(file, module);
    try {
      const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
      // One line of prefix, so stack traces keep the file's line numbers.
      const wrapper = `(function (Runtime, Twilio, Date, console) { return function (exports, require, module, __filename, __dirname) {${source}\n}; })`;
      const outer = runInThisContext(wrapper, { filename: file }) as (
        r: unknown,
        t: unknown,
        d: DateConstructor,
        c: RuntimeGlobals['console'],
      ) => (e: unknown, req: NodeJS.Require, m: LoadedModule, f: string, d: string) => void;
      const g = this.globals();
      outer(g.Runtime, g.Twilio, g.Date, g.console)(module.exports, this.requireFrom(file), module, file, dirname(file));
      module.loaded = true;
      return module.exports;
    } catch (e) {
      this.cache.delete(file);
      throw e;
    }
  }

  private requireFrom(file: string): NodeJS.Require {
    const nodeRequire = createRequire(file);
    const resolve = (id: string): string => {
      try {
        return nodeRequire.resolve(id);
      } catch (e) {
        // Packages (twilio, …) come from the project's own node_modules, as the build's dependencies.
        if (!id.startsWith('.') && !id.startsWith('/')) return projectRequire.resolve(id);
        throw e;
      }
    };
    const req = ((id: string) => {
      const resolved = resolve(id);
      if (resolved.startsWith(this.dir + sep)) {
        if (resolved.endsWith('.json')) return JSON.parse(readFileSync(resolved, 'utf8')) as unknown;
        return this.load(resolved);
      }
      return resolved === id || !resolved.includes(sep) ? nodeRequire(id) : projectRequire(resolved);
    }) as NodeJS.Require;
    Object.assign(req, { resolve, cache: {}, main: undefined, extensions: {} });
    return req;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.cache.clear();
  }
}
