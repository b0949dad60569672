// The files deployed as they are: templates/functions/ (Twilio Functions) and templates/assets/.
// Adding a Function is adding a file; its name says its path and visibility:
//   templates/functions/incoming.js          → /incoming, protected (Twilio-signed requests only)
//   templates/functions/lib/bedtime.js       → /lib/bedtime, private (Runtime.getFunctions() only)
//   templates/functions/x.private.js         → /x, private;   x.public.js → /x, public
//   templates/assets/chime.wav               → /chime.wav, protected; chime.public.wav → public
// Only *.js are Functions; package.json (it only makes Node treat the folder as CommonJS), *.d.ts,
// and names starting with '.' or '_' are never uploaded.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Visibility } from '../twilio/upload.js';

/** templates/ at the package root (the same from src/deploy and dist/deploy). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface TemplateFile {
  kind: 'function' | 'asset';
  /** Served path, also the Function's or Asset's friendly name. */
  path: string;
  visibility: Visibility;
  contentType: string;
  filename: string;
  content: Buffer;
  /** Where it came from, for the plan. */
  source: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.xml': 'text/xml',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function contentTypeFor(name: string): string {
  return CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Strips a .private/.public/.protected suffix before the extension; returns the visibility it named. */
function visibilitySuffix(name: string): { name: string; visibility?: Visibility } {
  const m = /^(.*)\.(private|public|protected)(\.[^.]+)$/.exec(name);
  return m ? { name: `${m[1]}${m[3]}`, visibility: m[2] as Visibility } : { name };
}

function served(root: string, file: string): string {
  return `/${relative(root, file).split(sep).join('/')}`;
}

export function functionTemplates(templatesDir = TEMPLATES_DIR): TemplateFile[] {
  const root = join(templatesDir, 'functions');
  return walk(root)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const { name, visibility } = visibilitySuffix(served(root, file));
      const path = name.replace(/\.js$/, '');
      return {
        kind: 'function' as const,
        path,
        visibility: visibility ?? (path.startsWith('/lib/') ? 'private' : 'protected'),
        contentType: 'application/javascript',
        filename: `${path.split('/').pop()}.js`,
        content: readFileSync(file),
        source: `templates/functions${served(root, file)}`,
      };
    });
}

export function assetTemplates(templatesDir = TEMPLATES_DIR): TemplateFile[] {
  const root = join(templatesDir, 'assets');
  return walk(root).map((file) => {
    const { name: path, visibility } = visibilitySuffix(served(root, file));
    return {
      kind: 'asset' as const,
      path,
      visibility: visibility ?? 'protected',
      contentType: contentTypeFor(path),
      filename: path.split('/').pop() ?? path,
      content: readFileSync(file),
      source: `templates/assets${served(root, file)}`,
    };
  });
}
