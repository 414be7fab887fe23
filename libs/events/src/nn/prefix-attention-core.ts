import { kernelTier, nativeKernels } from '@seqcast/tensor';
import type { AttentionCore } from './attention-core';
import { GemmPrefixAttention } from './gemm-attention-core';
import { JsPrefixAttention } from './js-attention-core';
import { NativePrefixAttention } from './native-attention-core';
import { PrefixLimits } from './prefix-limits';

/**
 * The fastest core at hand: the native kernels' (any head width) where they are built and
 * in use; per-(row, head) products on the wasm gemm where WebAssembly SIMD runs and heads
 * are a multiple of 8 columns wide (the kernel's tile); else the plain-JS loops, which
 * visit only allowed keys.
 */
export function prefixAttentionCore(
  B: number,
  Q: number,
  N: number,
  d: number,
  heads: number,
  limits: PrefixLimits,
  nullKey = false,
): AttentionCore {
  if (d % heads !== 0) throw new Error(`attention: ${heads} heads do not divide d = ${d}`);
  const tier = kernelTier();
  const nk = tier === 'native' ? nativeKernels() : null;
  if (nk) return new NativePrefixAttention(nk, B, Q, N, d, heads, limits, nullKey);
  const useGemm = tier === 'wasm' && (d / heads) % 8 === 0;
  return useGemm ? new GemmPrefixAttention(B, Q, N, d, heads, limits, nullKey) : new JsPrefixAttention(B, Q, N, d, heads, limits, nullKey);
}
