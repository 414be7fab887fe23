import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';

/** Replaces (or appends) the `## <heading>` section of docs/benchmarks.md with `section`. */
export function writeBenchmarksSection(heading: string, section: string): void {
  const file = path.join(__dirname, '..', 'docs', 'benchmarks.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(`## ${heading}`);
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n\n${section}`;
  else {
    const after = text.indexOf('\n## ', start + 3);
    next = text.slice(0, start) + section + (after < 0 ? '' : `\n${text.slice(after + 1)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}
