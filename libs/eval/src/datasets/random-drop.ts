import { Rng } from '@seqcast/numeric';

/**
 * The indices of a series of `length` points that stay when a fraction of its points is
 * dropped at random (irregular sampling made from a regular series, LS4's subsampling
 * protocol): round(fraction * length) of the first length - 1 indices, chosen uniformly
 * without replacement by a shuffle seeded with `seed`. The last index is never dropped, so
 * every method compared forecasts from the same end time. For one seed a larger fraction
 * drops the smaller one's points and more (the dropped sets are nested), so fractions compare
 * on the same draws.
 */
export function randomlyKept(length: number, fraction: number, seed: number): number[] {
  if (!Number.isInteger(length) || length < 1)
    throw new Error(`length must be a positive integer, got ${length}`);
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`fraction must be in [0, 1), got ${fraction}`);
  const dropCount = Math.min(Math.round(fraction * length), length - 1);
  const order = new Rng(seed).shuffle(Array.from({ length: length - 1 }, (_, i) => i));
  const dropped = new Set(order.slice(0, dropCount));
  return Array.from({ length }, (_, i) => i).filter((i) => !dropped.has(i));
}
