// Where a JSON text goes wrong. Node 20's JSON.parse error has no position, so find it ourselves.
// jsonc-parser is loaded only on the error path, so readers of good files never pay for it.
import { createRequire } from 'node:module';
import type { ParseError } from 'jsonc-parser';

const require = createRequire(import.meta.url);

export interface JsonErrorLocation {
  line: number;
  column: number;
  problem: string;
}

export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const { parse, printParseErrorCode } = require('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return { line, column, problem: printParseErrorCode(first.error) };
}

/** "line 3, column 7 (ValueExpected)" or the parser's own message when no position is found. */
export function describeJsonError(text: string, err: unknown): string {
  const where = locateJsonError(text);
  if (where) return `line ${where.line}, column ${where.column} (${where.problem})`;
  return err instanceof Error ? err.message : String(err);
}
