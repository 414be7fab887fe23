import type { Rng } from '@seqcast/numeric';

/**
 * n inverted-dropout factors, one per (sample, channel): 1 / (1 - rate) with probability
 * 1 - rate, else 0 (S4D's DropoutNd: a mask shared along the sequence). The S4D block's fused
 * GELU and GLU ops multiply them in (no dropout pass of its own each way).
 */
export function dropoutScales(n: number, rate: number, rng: Rng): Float32Array {
  const keep = 1 - rate;
  const scale = new Float32Array(n);
  for (let i = 0; i < n; i++) scale[i] = rng.next() < keep ? 1 / keep : 0;
  return scale;
}
