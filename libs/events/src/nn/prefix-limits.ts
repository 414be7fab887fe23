import * as tf from '@tensorflow/tfjs';

/**
 * Keys each query may see: query i of batch row b attends to keys 0..limit inclusive,
 * limit = limits[b * Q + i] (length B * Q) or limits[i] in every row (length Q). A limit
 * of -1 (no keys) gives a zero output: padded queries, whose work would be wasted.
 */
export type PrefixLimits = Int32Array;

/**
 * Causal self-attention over T positions: position i sees positions 0..i. With the
 * batch's [B, T] mask, padded positions (mask 0) see nothing; that changes no real
 * position, since padding only follows a sequence's events (EventBatch) and so is never
 * among a real position's keys, and losses mask padded positions out.
 */
export function causalLimits(T: number, mask?: tf.Tensor2D): PrefixLimits {
  if (!mask) return Int32Array.from({ length: T }, (_, i) => i);
  return maskedLimits(
    Int32Array.from({ length: mask.size }, (_, i) => i % T),
    mask,
    1,
  );
}

/**
 * Limits for S queries after each position of a [B, P] grid: query s of position c sees
 * keys 0..limitAt[c], or none where mask[c] is 0 (padding; no mask: all real). [B * P * S].
 */
export function maskedLimits(limitAt: Int32Array, mask: tf.Tensor | undefined, S: number): PrefixLimits {
  const m = mask?.dataSync();
  if (m && m.length !== limitAt.length)
    throw new Error(`maskedLimits: ${m.length} mask values for ${limitAt.length} positions`);
  const limits = new Int32Array(limitAt.length * S);
  for (let c = 0; c < limitAt.length; c++) limits.fill(m && !m[c] ? -1 : limitAt[c], c * S, (c + 1) * S);
  return limits;
}

/** Row stride into `limits` (0 when shared by all rows), after checking every limit is a valid key. */
export function limitStride(limits: PrefixLimits, B: number, Q: number, N: number): number {
  if (limits.length !== Q && limits.length !== B * Q)
    throw new Error(`attention: ${limits.length} limits for B = ${B}, Q = ${Q}`);
  for (let i = 0; i < limits.length; i++) {
    if (!(limits[i] >= -1 && limits[i] < N))
      throw new Error(`attention: limit ${limits[i]} outside keys -1..${N - 1}`);
  }
  return limits.length === B * Q ? Q : 0;
}

/**
 * What both attention cores (js-attention-core.ts, gemm-attention-core.ts) share: the
 * shapes, the head width and score scale, and each query's limit.
 */
export abstract class PrefixAttentionShape {
  protected readonly dh: number;
  protected readonly scale: number;
  private readonly stride: number;

  constructor(
    readonly B: number,
    readonly Q: number,
    readonly N: number,
    readonly d: number,
    readonly heads: number,
    private readonly limits: PrefixLimits,
    protected readonly nullKey = false,
  ) {
    if (d % heads !== 0) throw new Error(`attention: ${heads} heads do not divide d = ${d}`);
    this.dh = d / heads;
    this.scale = 1 / Math.sqrt(this.dh);
    this.stride = limitStride(limits, B, Q, N);
  }

  /** The last key query i of batch row b sees (-1: none). */
  protected limitOf(b: number, i: number): number {
    return this.limits[b * this.stride + i];
  }
}
