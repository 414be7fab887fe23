import { kernelTier } from '@seqcast/tensor';
import type { AttentionCore } from './attention-core';
import { GemmPrefixAttention } from './gemm-attention-core';
import { JsPrefixAttention } from './js-attention-core';
import { pass } from './native-passes';
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
  return prefixAttention(B, Q, N, d, heads, limits, nullKey);
}

/** The native core (native-attention-core.ts) where the native kernels are in use, else the gemm or JS core. */
const prefixAttention = pass('prefixAttention', (B, Q, N, d, heads, limits, nullKey = false): AttentionCore => {
  const useGemm = kernelTier() === 'wasm' && (d / heads) % 8 === 0;
  return useGemm ? new GemmPrefixAttention(B, Q, N, d, heads, limits, nullKey) : new JsPrefixAttention(B, Q, N, d, heads, limits, nullKey);
});
