// The twin is a package of its own: its code and its tests import only what is inside
// packages/twin, Node's built-ins and the packages its package.json names, never the product
// (the repository's src/, test/ or templates/). This keeps that true as files are added.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    // openapi/ and fixtures/ hold data: Twilio's specs, and the seed's own Functions (code Twilio runs).
    if (['node_modules', 'dist', 'openapi', 'fixtures'].includes(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? sources(path) : /\.(c|m)?(t|j)s$/.test(e.name) ? [path] : [];
  });
}

/** Every module specifier in a file: static imports and re-exports, import(), require(). */
function specifiers(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"]+)\1/gm, // import … from '…' (over several lines too)
    /^\s*import\s*(['"])([^'"]+)\1/gm, // import '…'
    /\b(?:import|require)\s*\(\s*(['"])([^'"]+)\1/g, // import('…'), require('…')
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[2]!));
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

describe('the twin package imports nothing of the product', () => {
  const self = fileURLToPath(import.meta.url); // its own examples below reach outside on purpose
  const files = [...sources(join(root, 'src')), ...sources(join(root, 'test')), join(root, 'vitest.config.ts')].filter((f) => f !== self);

  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.endsWith(join('src', 'index.ts')))).toBe(true);
  });

  it('every relative import stays inside packages/twin; every bare one is a built-in or a declared dependency', () => {
    const outside: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const where = `${relative(root, file)}: ${spec}`;
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (target !== root && !target.startsWith(root + sep)) outside.push(where);
        } else if (!spec.startsWith('node:') && !declared.has(packageOf(spec))) {
          outside.push(where);
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it('would catch a file reaching into the product', () => {
    const file = join(root, 'test', 'voice', 'example.test.ts');
    const spec = specifiers(
      `import {\n  main,\n} from '../../../../src/cli.js';\nconst x = await import("../../../../test/helpers/cli.js");\nconst from = 'data.from';`,
    );
    expect(spec).toEqual(['../../../../src/cli.js', '../../../../test/helpers/cli.js']);
    expect(spec.every((s) => !resolve(dirname(file), s).startsWith(root + sep))).toBe(true);
  });
});
