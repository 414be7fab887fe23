import { nextPowerOfTwo } from './complex-fft';

/**
 * FFT length for a causal convolution of an L-step signal with a K-tap kernel. Any
 * n >= L + K - 1 avoids circular wrap-around in the first L outputs (and in both
 * correlations of the backward pass); powers of two take the fast radix-2 path.
 */
export function convFftSize(signalLength: number, kernelLength: number): number {
  const need = Math.max(1, signalLength + Math.min(kernelLength, signalLength) - 1);
  return Math.max(2, nextPowerOfTwo(need));
}
