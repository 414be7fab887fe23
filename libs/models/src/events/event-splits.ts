import { Unprocessable } from '@seqcast/core';
import { Rng } from '@seqcast/tensor';

/**
 * A stored dataset's sequences shuffled with the seed, then 70% train, 15% dev, 15% test
 * (EasyTPP-style splits). Training a model and evaluating on the dataset both split this
 * way, so the same seed gives the same test sequences.
 */
export function trainDevTestSplit<T>(items: T[], seed: number): { train: T[]; dev: T[]; test: T[] } {
  const order = new Rng(seed + 1).shuffle(items.map((_, i) => i));
  const nTrain = Math.max(1, Math.round(items.length * 0.7));
  const nDev = Math.round(items.length * 0.15);
  const pick = (a: number, b: number) => order.slice(a, b).map((i) => items[i]);
  return {
    train: pick(0, nTrain),
    dev: pick(nTrain, nTrain + nDev),
    test: pick(nTrain + nDev, items.length),
  };
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
