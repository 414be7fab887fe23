import { existsSync } from 'fs';
import * as path from 'path';

/**
 * The team's public data folder: $SEQCAST_SHARED_DATA, else `../shared/data` beside the
 * repository root. The root is found by walking up from this file to the folder holding
 * package.json and libs/, so the answer is the same from sources, from dist/ and from any
 * working directory.
 */
export function sharedDataDir(): string {
  if (process.env.SEQCAST_SHARED_DATA) return path.resolve(process.env.SEQCAST_SHARED_DATA);
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'libs'))) return path.resolve(dir, '..', 'shared', 'data');
    dir = path.dirname(dir);
  }
  return path.resolve(process.cwd(), '..', 'shared', 'data');
}

/** A path under the shared data folder, whether or not the file is there. */
export function sharedDataPath(...parts: string[]): string {
  return path.join(sharedDataDir(), ...parts);
}

/** A file under the shared data folder, or null when it is absent (tests and benchmarks skip then). */
export function sharedDataFile(relative: string): string | null {
  const f = sharedDataPath(relative);
  return existsSync(f) ? f : null;
}
