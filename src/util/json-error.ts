// Where a JSON text goes wrong. Node 20's JSON.parse error has no position, so find it ourselves.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface JsonErrorLocation {
  line: number;
  column: number;
  problem: string;
}

export function locateJsonError(text: string): JsonErrorLocation | undefined {
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
