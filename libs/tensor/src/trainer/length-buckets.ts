import { Rng } from '@seqcast/numeric';

/** Batches per pool: larger pools pad less, smaller ones keep batches more random. */
export const POOL_BATCHES = 8;

/**
 * Reorders shuffled rows so that each batch holds rows of similar length (less padding
 * for variable-length sequences), keeping the epoch random: the shuffled rows are cut
 * into pools of POOL_BATCHES batches, each pool is sorted by length and cut into
 * batches, and the full batches are shuffled. The one partial batch (if any) goes last,
 * so slicing the result by batchSize gives exactly these batches (and dropLast drops it).
 * Every row appears once.
 */
export function bucketByLength(
  order: number[],
  lengthOf: (row: number) => number,
  batchSize: number,
  rng: Rng,
): number[] {
  const full: number[][] = [];
  let partial: number[] = [];
  const pool = POOL_BATCHES * batchSize;
  for (let p = 0; p < order.length; p += pool) {
    // stable sort: equal lengths keep their shuffled order
    const rows = order.slice(p, p + pool).sort((a, b) => lengthOf(a) - lengthOf(b));
    for (let s = 0; s < rows.length; s += batchSize) {
      const batch = rows.slice(s, s + batchSize);
      if (batch.length === batchSize) full.push(batch);
      else partial = batch;
    }
  }
  rng.shuffle(full);
  return [...full.flat(), ...partial];
}
