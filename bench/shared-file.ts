import { sharedDataDir, sharedDataFile } from '@seqcast/core';

/** A file under the shared data folder, or null after saying on stderr which part of the bench is skipped. */
export function benchDataFile(relative: string): string | null {
  const file = sharedDataFile(relative);
  if (!file)
    console.error(`skipping ${relative}: not found under ${sharedDataDir()} (set SEQCAST_SHARED_DATA)`);
  return file;
}
