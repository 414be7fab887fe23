import { NativeKernels, nativeKernels } from './native-kernels';
import { kernelTier } from './wasm-kernels';

/**
 * The native kernels for the spectral and fftConv kernels when they are the tier in use
 * (built, allowed, and not overridden by useKernels('wasm' | 'js')); null otherwise, and
 * those kernels run the WebAssembly SIMD FFT (fft/wasm-fft.ts) where it takes the length,
 * else the JS plans (libs/tensor/src/fft).
 */
export function nativeFft(): NativeKernels | null {
  return kernelTier() === 'native' ? nativeKernels() : null;
}

/*
 * The native FFT runs a prime factor p above 5 as one generic radix, O(p^2) per butterfly:
 * at p = 4093 about 300 times an FFT's work, fine for the odd generic call, hopeless at a
 * prime near a million. And it transforms rows 16 at a time in lane buffers of 16 n floats
 * each, kept per thread for the next call: at n = 2^18 about 16 MiB a buffer, 8 of them.
 * Longer lengths, and lengths with a larger prime factor, go to the JS plans (radix 2, or
 * Bluestein's O(n log n) for any n); the models' lengths are a few thousand.
 */
const LARGEST_NATIVE_PRIME = 4096;
const LONGEST_NATIVE_LENGTH = 1 << 18;

function largestPrimeFactor(n: number): number {
  let largest = 1;
  for (let p = 2; p * p <= n; p++) {
    while (n % p === 0) {
      largest = p;
      n /= p;
    }
  }
  return Math.max(largest, n);
}

/** nativeFft() for a transform of length n, unless n is too long or has too large a prime factor (above). */
export function nativeFftFor(n: number): NativeKernels | null {
  return n <= LONGEST_NATIVE_LENGTH && largestPrimeFactor(n) <= LARGEST_NATIVE_PRIME ? nativeFft() : null;
}
