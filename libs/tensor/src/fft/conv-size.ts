import { nextPowerOfTwo } from './complex-fft';

/**
 * FFT length for a causal convolution of an L-step signal with a K-tap kernel. Any
 * n >= L + K - 1 avoids circular wrap-around in the first L outputs (and in both
 * correlations of the backward pass); the cheapest fast length is taken (fastFftLength):
 * one whose half is 7-smooth on the native FFT, 5-smooth on the JS plans, whose radix 7 is
 * a plain O(p^2) loop (2.5x a radix-5 plan's time per sample at n = 672 and 1344).
 */
export function convFftSize(signalLength: number, kernelLength: number, native = false): number {
  const need = Math.max(1, signalLength + Math.min(kernelLength, signalLength) - 1);
  return fastFftLength(need, native ? 7 : 5);
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

/**
 * The modelled cost of a real FFT of even length n, or Infinity where n / 2 has a prime
 * factor above largestPrime (7 or 5). The JS plans' costs per sample were as flat over the
 * 5-smooth lengths (11-17 ns at 720 .. 2880), so one model serves both.
 */
export function realFftCost(n: number, largestPrime = 7): number {
  const half = n / 2;
  if (!Number.isInteger(half) || half < 1) return Infinity;
  let m = half;
  let passes = 0;
  for (const p of [4, 2, 3, 5, 7].filter((q) => q <= largestPrime)) {
    while (m % p === 0) {
      passes += PASS_COST[p];
      m /= p;
    }
  }
  return m === 1 ? half * (FIXED_COST + passes) : Infinity;
}

const chosen = new Map<string, number>();

/** The even length >= need (at least 2) of least modelled cost, up to the next power of two. */
export function fastFftLength(need: number, largestPrime = 7): number {
  const key = `${need} ${largestPrime}`;
  let best = chosen.get(key);
  if (best !== undefined) return best;
  const cost = (n: number) => realFftCost(n, largestPrime);
  const limit = Math.max(2, nextPowerOfTwo(need));
  best = limit;
  for (let n = Math.max(2, need + (need % 2)); n < limit; n += 2) {
    if (cost(n) < cost(best)) best = n;
  }
  chosen.set(key, best);
  return best;
}
