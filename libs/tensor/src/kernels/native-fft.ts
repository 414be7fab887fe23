import { NativeKernels, nativeKernels } from './native-kernels';
import { kernelTier } from './wasm-kernels';

/**
 * The native kernels for the spectral and fftConv kernels when they are the tier in use
 * (built, allowed, and not overridden by useKernels('wasm' | 'js')); null otherwise, and
 * those kernels run the JS plans (libs/tensor/src/fft), which are also what the WebAssembly
 * tier runs: there is no WebAssembly FFT.
 */
export function nativeFft(): NativeKernels | null {
  return kernelTier() === 'native' ? nativeKernels() : null;
}

/*
 * The native FFT runs a prime factor p above 5 as one generic radix, O(p^2) per butterfly:
 * at p = 4093 about 300 times an FFT's work, fine for the odd generic call, hopeless at a
 * prime near a million. Lengths with a larger prime factor go to the JS plans' Bluestein
 * transform, O(n log n) for any n.
 */
const LARGEST_NATIVE_PRIME = 4096;

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

/** nativeFft() for a transform of length n, unless n has a prime factor the generic radix would take too long on. */
export function nativeFftFor(n: number): NativeKernels | null {
  return largestPrimeFactor(n) <= LARGEST_NATIVE_PRIME ? nativeFft() : null;
}
