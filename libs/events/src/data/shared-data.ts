import { existsSync } from 'fs';
import * as path from 'path';

/** `../shared/data` beside the repository root, or $SEQCAST_SHARED_DATA. */
export function sharedDataDir(): string {
  if (process.env.SEQCAST_SHARED_DATA) return path.resolve(process.env.SEQCAST_SHARED_DATA);
  // libs/events/src/data -> repo root is four levels up (also from dist/libs/events/src/data, five)
  let dir = __dirname;
  for (let i = 0; i < 7; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'libs'))) return path.resolve(dir, '..', 'shared', 'data');
    dir = path.dirname(dir);
  }
  return path.resolve(process.cwd(), '..', 'shared', 'data');
}

export function sharedDataFile(relative: string): string | null {
  const f = path.join(sharedDataDir(), relative);
  return existsSync(f) ? f : null;
}
