import { Rng } from '@seqcast/numeric';
import type { Seq2SeqData } from './types';

/**
 * A data set whose target is a known function of chunk statistics, for specs: one input
 * channel of iid N(0, 1) samples and, for chunk k of `ratio` samples,
 *   target_k = mean(chunk k) + max(chunk k - 1)      (max of the chunk before; 0 for k = 0)
 * with no noise, so a model that reads chunks whole and remembers one chunk back can fit it
 * exactly. Sequences of `chunks` chunks, or of lengths drawn in [chunks / 2, chunks] when `ragged`.
 */
export function chunkStatisticsData(
  sequences: number,
  chunks: number,
  ratio: number,
  seed: number,
  ragged = false,
): Seq2SeqData {
  const rng = new Rng(seed);
  const inputs: Float32Array[][] = [];
  const targets: Float32Array[][] = [];
  for (let s = 0; s < sequences; s++) {
    const n = ragged ? Math.ceil(chunks / 2) + rng.int(chunks - Math.ceil(chunks / 2) + 1) : chunks;
    const x = Float32Array.from({ length: n * ratio }, () => rng.normal());
    const y = new Float32Array(n);
    let prevMax = 0;
    for (let k = 0; k < n; k++) {
      const chunk = x.subarray(k * ratio, (k + 1) * ratio);
      y[k] = chunk.reduce((a, b) => a + b, 0) / ratio + prevMax;
      prevMax = Math.max(...chunk);
    }
    inputs.push([x]);
    targets.push([y]);
  }
  return { inputs, targets };
}

/**
 * A HiSS small enough to fit `chunkStatisticsData` in seconds on two cores (one S4D block of
 * width 16 per level, state 8, no dropout), its learning rate raised to match: the specs' model.
 */
export const CHUNK_STATISTICS_HISS = {
  lowWidth: 16,
  lowLayers: 1,
  highWidth: 16,
  highLayers: 1,
  stateSize: 8,
  dropout: 0,
  learningRate: 2e-2,
  batchSize: 8,
  seed: 4,
} as const;
