import { kernelTier, nativeKernels } from '@seqcast/tensor';
import { GemmPrefixAttention } from './gemm-attention-core';
import { JsPrefixAttention } from './js-attention-core';
import { NativePrefixAttention } from './native-attention-core';
import { PrefixLimits } from './prefix-limits';

/**
 * Multi-head prefix attention on row-major Float32Arrays: q [B, Q, d], k and v [B, N, d]
 * -> [B, Q, d]. Heads are column blocks (head h = columns h * dh .. (h + 1) * dh - 1,
 * dh = d / heads), each attending by softmax(q . k / sqrt(dh)) over keys 0..limit of its
 * query (PrefixLimits; -1: no keys, zero output). With nullKey each softmax has one more
 * key of score 0 and value 0, so the weights sum to less than 1 and the output can grow
 * with the number of strong keys (AttNHP's normaliser, 1 + sum exp). `forward` keeps what
 * `backward` needs; `backward` takes dL/dout and gives the gradients of q, k and v.
 */
export interface AttentionCore {
  forward(qs: Float32Array, ks: Float32Array, vs: Float32Array): Float32Array;
  backward(g: Float32Array): { dq: Float32Array; dk: Float32Array; dv: Float32Array };
}

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
