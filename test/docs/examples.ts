// The command examples of the user docs, as data: every line of a ``` block in the README or
// docs/*.md that starts with `homephone` (or `$ homephone`), split into words like a shell would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli.js';
import type { Io } from '../../src/commands/context.js';
import { root } from '../helpers/cli.js';

export interface Example {
  file: string;
  line: number;
  /** The example as written (continuation lines joined). */
  text: string;
  /** Its words after `homephone`, up to a comment, redirection, pipe, `;` or `&`. */
  args: string[];
}

/** The user docs: the README, docs/*.md (not the architecture notes) and the twin's README. */
export const docFiles = (): string[] => [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md') && f !== 'ARCHITECTURE.md')
    .map((f) => `docs/${f}`),
  'packages/twin/README.md',
];

/** A synopsis line (`homephone twin start [--port N] …`) shows a form, not a command to run. */
export const isSynopsis = (e: Example): boolean => e.args.some((a) => a.startsWith('[-'));

/** Shell words of one command line; stops at an unquoted #comment, >, <, |, ; or &. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const push = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unbalanced ${c} in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (/\s/.test(c)) {
      push();
      i += 1;
    } else if ((c === '#' && word === undefined) || '><|;&'.includes(c)) {
      break;
    } else {
      word = (word ?? '') + c;
      i += 1;
    }
  }
  push();
  return words;
}

export function docExamples(files = docFiles()): Example[] {
  const examples: Example[] = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    let inBlock = false;
    for (let n = 0; n < lines.length; n += 1) {
      const trimmed = lines[n]!.trim();
      if (trimmed.startsWith('```')) {
        inBlock = !inBlock;
        continue;
      }
      if (!inBlock) continue;
      const command = trimmed.replace(/^\$ /, '');
      if (!/^homephone(\s|$)/.test(command)) continue;
      let text = command;
      const start = n;
      while (text.endsWith('\\') && n + 1 < lines.length) {
        n += 1;
        text = `${text.slice(0, -1).trimEnd()} ${lines[n]!.trim()}`;
      }
      examples.push({ file, line: start + 1, text, args: shellWords(text).slice(1) });
    }
  }
  return examples;
}

const quietIo = (): Io => {
  const sink = { write: () => true } as unknown as Io['stdout'];
  return { stdout: sink, stderr: sink, stdinIsTTY: false, env: {} };
};

/**
 * Checks a command line against the real commander program without running it, the way commander
 * itself dispatches: each command parses its options and hands the rest to the subcommand named.
 * Returns what is wrong (nothing when the line would reach a command's action).
 */
export async function usageProblems(args: string[]): Promise<string[]> {
  const program = await buildProgram(quietIo(), []);
  try {
    return check(program, [], args, 'homephone');
  } catch (err) {
    return [(err as Error).message];
  }
}

function check(cmd: Command, operandsIn: string[], unknownIn: string[], path: string): string[] {
  const parsed = cmd.parseOptions(unknownIn);
  const operands = [...operandsIn, ...parsed.operands];
  const unknown = parsed.unknown;
  if (unknown.includes('--help') || unknown.includes('-h') || parsed.operands.includes('--help')) return [];
  const sub = operands.length ? cmd.commands.find((c) => c.name() === operands[0] || c.aliases().includes(operands[0]!)) : undefined;
  if (sub) return check(sub, operands.slice(1), unknown, `${path} ${sub.name()}`);
  const problems: string[] = [];
  if (cmd.commands.length && !(cmd as unknown as { _actionHandler?: unknown })._actionHandler) {
    problems.push(operands.length ? `${path}: unknown command '${operands[0]}'` : `${path}: needs a subcommand`);
    return problems;
  }
  if (unknown.length) problems.push(`${path}: unknown option(s) ${unknown.join(' ')}`);
  const declared = cmd.registeredArguments;
  const required = declared.filter((a) => a.required).length;
  if (operands.length < required) problems.push(`${path}: needs ${required} argument(s), got ${operands.length}`);
  if (!declared.some((a) => a.variadic) && operands.length > declared.length) {
    problems.push(`${path}: too many arguments (${operands.join(' ')})`);
  }
  for (const option of cmd.options) {
    if (option.mandatory && cmd.getOptionValue(option.attributeName()) === undefined) problems.push(`${path}: missing ${option.flags}`);
  }
  return problems;
}

/** Every command path in the program ("homephone", "homephone whitelist", "homephone whitelist add", …). */
export async function commandPaths(): Promise<string[][]> {
  const program = await buildProgram(quietIo(), []);
  const out: string[][] = [];
  const walk = (cmd: Command, path: string[]) => {
    out.push(path);
    for (const sub of cmd.commands) if (sub.name() !== 'help') walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return out;
}

/** The example lines of a help text: "homephone …" lines after an "Example(s):" heading, continuations joined. */
export function helpExamples(help: string): string[] {
  const at = help.search(/^Examples?:$/m);
  if (at < 0) return [];
  const out: string[] = [];
  let open = false;
  for (const line of help.slice(at).split('\n').map((l) => l.trim())) {
    if (open) out[out.length - 1] = `${out.at(-1)!.slice(0, -1).trimEnd()} ${line}`;
    else if (line.startsWith('homephone ')) out.push(line);
    else continue;
    open = out.at(-1)!.endsWith('\\');
  }
  return out;
}
