import { Unprocessable } from '@seqcast/core';
import { splitSequences } from '@seqcast/events';

/**
 * A stored dataset's sequences 70% train, 15% dev, 15% test, shuffled by the seed
 * (EasyTPP-style splits). Training a model and evaluating on the dataset both split this
 * way, so the same seed gives the same test sequences.
 */
export function trainDevTestSplit<T>(items: T[], seed: number): { train: T[]; dev: T[]; test: T[] } {
  const [train, dev, test] = splitSequences(items, [0.7, 0.15, 0.15], seed);
  return { train, dev, test };
}

/**
 * The split of a dataset's sequences of two or more events (the others have nothing to
 * score); at least 3 are needed, one per part. `field` names the dataset in the error.
 */
export function splitUsable<S extends { times: ArrayLike<number> }>(
  sequences: S[],
  seed: number,
  dataset: { id: string; field: string },
): { train: S[]; dev: S[]; test: S[] } {
  const usable = sequences.filter((s) => s.times.length >= 2);
  if (usable.length < 3) {
    throw new Unprocessable(
      `dataset ${dataset.id} has ${usable.length} sequences of 2 or more events; at least 3 are needed (train, dev, test)`,
      [{ field: dataset.field, reason: 'too few sequences' }],
    );
  }
  return trainDevTestSplit(usable, seed);
}
