// Every relative link in the user docs points at a file that exists and, with a #fragment, at a
// heading of that file (GitHub's anchors), so the README split left no dead link behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  'packages/twin/README.md',
  ...readdirSync(join(root, 'packages/twin/docs')).filter((f) => f.endsWith('.md')).map((f) => `packages/twin/docs/${f}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.trimStart().startsWith('```')) inCode = !inCode;
    const heading = !inCode && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

function links(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t));
}

describe('links in the docs', () => {
  it('anchors are computed as GitHub does', () => {
    expect([...anchors('# `homephone demo`\n## The public HTTPS URL, and a reverse proxy\n## Notes\n## Notes')]).toEqual([
      'homephone-demo',
      'the-public-https-url-and-a-reverse-proxy',
      'notes',
      'notes-1',
    ]);
  });

  it('every relative link and #anchor resolves', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const text = readFileSync(join(root, page), 'utf8');
      for (const link of links(text)) {
        checked += 1;
        const [path, fragment] = link.split('#') as [string, string | undefined];
        const target = path ? join(dirname(join(root, page)), decodeURIComponent(path)) : join(root, page);
        if (!existsSync(target)) {
          broken.push(`${page}: ${link} (no file ${relative(root, target)})`);
          continue;
        }
        if (fragment && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(fragment)) {
          broken.push(`${page}: ${link} (no heading #${fragment} in ${relative(root, target)})`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});
