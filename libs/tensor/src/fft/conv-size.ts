import { nextPowerOfTwo } from './complex-fft';

/**
 * FFT length for a causal convolution of an L-step signal with a K-tap kernel. Any
 * n >= L + K - 1 avoids circular wrap-around in the first L outputs (and in both
 * correlations of the backward pass). The JS transforms are fast only at powers of two
 * (other lengths go through Bluestein); the native mixed-radix FFT (`mixedRadix`) is fast
 * at any length whose half is 7-smooth, so it takes the cheapest of those (fastFftLength).
 */
export function convFftSize(signalLength: number, kernelLength: number, mixedRadix = false): number {
  const need = Math.max(1, signalLength + Math.min(kernelLength, signalLength) - 1);
  return mixedRadix ? fastFftLength(need) : Math.max(2, nextPowerOfTwo(need));
}

/*
 * The native real FFT of length n runs one complex transform of n / 2 in passes of radix 4,
 * 2, 3, 5 and 7 (native/src/fft-plan.h). Its cost per complex element: a fixed part (packing
 * rows into lanes, the real-FFT twiddle pass, the spectrum product, unpacking) and, per pass,
 * a radix's butterfly and twiddle work in float operations per element (radix 4 covers two
 * factors of 2 for about the price of one radix 2). Timed with rfftRows on 1024 rows
 * (AVX-512) at lengths 1440 .. 2400 the fixed part dominates (1.0-1.4 ns of CPU per sample
 * whatever the factors; 1.4-1.7 at powers of two from 2048 to 8192, once their rows no
 * longer shared cache sets), so the model mostly prefers the shortest smooth length and the
 * pass weights break ties.
 */
const FIXED_COST = 60;
const PASS_COST: Record<number, number> = { 4: 12, 2: 10, 3: 13, 5: 18, 7: 24 };

/** The modelled cost of a native real FFT of even length n, or Infinity where n / 2 has a prime factor above 7. */
export function realFftCost(n: number): number {
  const half = n / 2;
  if (!Number.isInteger(half) || half < 1) return Infinity;
  let m = half;
  let passes = 0;
  for (const p of [4, 2, 3, 5, 7]) {
    while (m % p === 0) {
      passes += PASS_COST[p];
      m /= p;
    }
  }
  return m === 1 ? half * (FIXED_COST + passes) : Infinity;
}

const chosen = new Map<number, number>();

/** The even length >= need (at least 2) of least modelled cost, up to the next power of two. */
export function fastFftLength(need: number): number {
  let best = chosen.get(need);
  if (best !== undefined) return best;
  const limit = Math.max(2, nextPowerOfTwo(need));
  best = limit;
  for (let n = Math.max(2, need + (need % 2)); n < limit; n += 2) {
    if (realFftCost(n) < realFftCost(best)) best = n;
  }
  chosen.set(need, best);
  return best;
}
