// Plain text tables for human output (no colour codes, so widths stay right when piped).

export function formatTable(header: string[], rows: string[][]): string {
  // A loop, not Math.max(...rows): spreading a few hundred thousand rows overflows the stack.
  const widths = header.map((h, i) => rows.reduce((width, r) => Math.max(width, (r[i] ?? '').length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
