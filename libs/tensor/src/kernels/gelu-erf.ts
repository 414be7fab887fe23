import { geluArrays } from '@seqcast/numeric';
import { nativeKernels } from './native-kernels';
import { kernelTier } from './wasm-kernels';

const NONE = new Float32Array(0);

/**
 * y = x Phi(x), the exact GELU, and, where `der` is given, der = Phi(x) + x phi(x), over
 * whole arrays: on the native kernels (vector registers, one exponential for both) where
 * they are the tier in use, else @seqcast/numeric's geluArrays (the same formula in double).
 */
export function geluErfInto(x: Float32Array, y: Float32Array, der: Float32Array | null = null): void {
  const nk = kernelTier() === 'native' ? nativeKernels() : null;
  if (nk) nk.geluErf(x, y, der ?? NONE);
  else geluArrays(x, y, der);
}
