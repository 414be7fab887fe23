import { NativeKernels } from '@seqcast/tensor';
import type { AttentionCore } from './attention-core';
import { PrefixAttentionShape, PrefixLimits } from './prefix-limits';

/**
 * Multi-head prefix attention (AttentionCore) on the native kernels: per (batch row, head)
 * and query, the scores over its allowed keys only, the masked softmax, and the weighted
 * values, in one native pass; backward recomputes the weights (as the gemm core does,
 * rather than keeping B heads Q N floats) and accumulates dq, dk, dv. Any head width.
 */
export class NativePrefixAttention extends PrefixAttentionShape implements AttentionCore {
  private saved?: { qs: Float32Array; ks: Float32Array; vs: Float32Array };

  constructor(
    private readonly nk: NativeKernels,
    B: number,
    Q: number,
    N: number,
    d: number,
    heads: number,
    private readonly limitsOf: PrefixLimits,
    nullKey = false,
  ) {
    super(B, Q, N, d, heads, limitsOf, nullKey);
  }

  forward(qs: Float32Array, ks: Float32Array, vs: Float32Array): Float32Array {
    const { B, Q, N, d, heads } = this;
    const out = new Float32Array(B * Q * d);
    this.nk.attentionForward(qs, ks, vs, B, Q, N, d, heads, this.limitsOf, this.nullKey, out);
    this.saved = { qs, ks, vs };
    return out;
  }

  backward(g: Float32Array): { dq: Float32Array; dk: Float32Array; dv: Float32Array } {
    if (!this.saved) throw new Error('NativePrefixAttention: backward before forward');
    const { B, Q, N, d, heads } = this;
    const { qs, ks, vs } = this.saved;
    const dq = new Float32Array(B * Q * d);
    const dk = new Float32Array(B * N * d);
    const dv = new Float32Array(B * N * d);
    this.nk.attentionBackward(qs, ks, vs, g, B, Q, N, d, heads, this.limitsOf, this.nullKey, dq, dk, dv);
    return { dq, dk, dv };
  }
}

/** The prefixAttention pass's arguments: prefixAttentionCore's (prefix-attention-core.ts). */
type PrefixAttentionArgs = [B: number, Q: number, N: number, d: number, heads: number, limits: PrefixLimits, nullKey?: boolean];

/** The prefixAttention pass's native function (native-passes.ts). */
export function nativePrefixAttention(nk: NativeKernels, ...shape: PrefixAttentionArgs): AttentionCore {
  return new NativePrefixAttention(nk, ...shape);
}
