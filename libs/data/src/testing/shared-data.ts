import { sharedDataDir, sharedDataPath } from '@seqcast/core';
import * as fs from 'node:fs';

/** A real file the tests may read, never copy (the shared data folder: @seqcast/core). */
export function sharedFile(rel: string): string {
  return sharedDataPath(rel);
}

type Describe = (name: string, body: () => void) => void;
// Jest's globals, typed here so this helper also compiles in the production build (which has no jest types).
const jestGlobals = globalThis as unknown as { describe: Describe; xdescribe: Describe };

/** `describe` when the shared data is present; otherwise the block is reported as skipped, saying which file is missing. */
export function describeIfData(name: string, files: string[], body: () => void): void {
  const missing = files.filter((f) => !fs.existsSync(sharedFile(f)));
  if (missing.length === 0) {
    jestGlobals.describe(name, body);
    return;
  }
  const why = `skipped: ${missing.join(', ')} not found under ${sharedDataDir()} (set SEQCAST_SHARED_DATA)`;
  process.stderr.write(`[data] ${name}: ${why}\n`);
  jestGlobals.xdescribe(`${name} (${why})`, body);
}
