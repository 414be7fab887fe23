/** A Markdown table; `align` 'r' right-aligns a column (numbers). Cells are escaped by the caller. */
export function markdownTable(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string[] {
  const rule = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}
