import { nativeKernels } from './native-kernels';
import { kernelTier } from './wasm-kernels';

/**
 * The kernel tier in use with the native build's instruction set (`native-avx512`,
 * `native-avx2`, `native-base`, `wasm`, `js`): float32 sums round differently on each, so
 * specs that pin trained numbers say which tier they were recorded on.
 */
export function kernelTierName(): string {
  const tier = kernelTier();
  return tier === 'native' ? `native-${nativeKernels()!.isa()}` : tier;
}
