import { KernelArena, kernelArena } from '@seqcast/tensor';
import type { AttentionCore } from './attention-core';
import { PrefixAttentionShape, PrefixLimits } from './prefix-limits';

/**
 * Multi-head prefix attention (AttentionCore) as small products on the wasm gemm: for each
 * batch row b and head h, scores S = Q K^T [Q', N'], the masked softmax P in JS, then
 * out = P V; backward (P recomputed) dP = dOut V^T, dS by the softmax rule, dQ = dS K,
 * dK = dS^T Q, dV = P^T dOut. Q' and N' are Q and N rounded up to the kernel's tile (rows of zeros).
 *
 * Why: the JS loops (JsPrefixAttention) visit only allowed keys but run at ~0.5 GMAC/s;
 * these products compute the masked half too and still finish several times sooner at the
 * kernel's ~7-10 GMAC/s. Needs heads of a multiple of 8 columns (the kernel's tile width).
 */
export class GemmPrefixAttention extends PrefixAttentionShape implements AttentionCore {
  /** Q and N rounded up to multiples of 8 */
  private readonly Qp: number;
  private readonly Np: number;
  private saved?: { qs: Float32Array; ks: Float32Array; vs: Float32Array };

  constructor(B: number, Q: number, N: number, d: number, heads: number, limits: PrefixLimits, nullKey = false) {
    super(B, Q, N, d, heads, limits, nullKey);
    if (this.dh % 8 !== 0) throw new Error(`GemmPrefixAttention: heads of ${this.dh} columns (need a multiple of 8)`);
    this.Qp = (Q + 7) & ~7;
    this.Np = (N + 7) & ~7;
  }

  forward(qs: Float32Array, ks: Float32Array, vs: Float32Array): Float32Array {
    const { B, Q, N, d, heads, dh, Qp, Np } = this;
    const block = Qp * Np;
    // arena: queries and values in padded rows, keys transposed per (row, head), one
    // score block, the output
    const oQ = 0;
    const oKt = oQ + B * Qp * d;
    const oV = oKt + B * heads * dh * Np;
    const oS = oV + B * Np * d;
    const oO = oS + block;
    const arena = kernelArena(oO + B * Qp * d);
    const buf = arena.buf;
    padRows(qs, B, Q, Qp, d, buf, oQ);
    padRows(vs, B, N, Np, d, buf, oV);
    transposedHeads(ks, B, N, Np, d, heads, buf, oKt);
    buf.fill(0, oO, oO + B * Qp * d);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < heads; h++) {
        this.weights(arena, b, h, oQ, oKt, oS);
        arena.gemm(Qp, dh, Np, oS, Np, oV + b * Np * d + h * dh, d, oO + b * Qp * d + h * dh, d);
      }
    }
    const out = new Float32Array(B * Q * d);
    unpadRows(buf, oO, B, Q, Qp, d, out);
    this.saved = { qs, ks, vs };
    return out;
  }

  /**
   * The attention weights of row b, head h into the block at oS: scores Q K^T from the
   * padded queries at oQ and the transposed keys at oKt, then the masked softmax by rows.
   * The backward pass recomputes them rather than keeping B heads blocks of Q' N' floats
   * (hundreds of MB for long sequences with many queries, as AttNHP's evaluation has).
   */
  private weights(arena: KernelArena, b: number, h: number, oQ: number, oKt: number, oS: number): void {
    const { Q, d, heads, dh, Qp, Np, scale, nullKey } = this;
    const buf = arena.buf;
    buf.fill(0, oS, oS + Qp * Np);
    arena.gemm(Qp, Np, dh, oQ + b * Qp * d + h * dh, d, oKt + (b * heads + h) * dh * Np, Np, oS, Np);
    for (let i = 0; i < Qp; i++) softmaxRow(buf, oS + i * Np, i < Q ? this.limitOf(b, i) : -1, Np, scale, nullKey);
  }

  backward(g: Float32Array): { dq: Float32Array; dk: Float32Array; dv: Float32Array } {
    if (!this.saved) throw new Error('GemmPrefixAttention: backward before forward');
    const { B, Q, N, d, heads, dh, Qp, Np, scale } = this;
    const { qs, ks, vs } = this.saved;
    const block = Qp * Np;
    const oQ = 0;
    const oK = oQ + B * Qp * d;
    const oKt = oK + B * Np * d;
    const oVt = oKt + B * heads * dh * Np;
    const oG = oVt + B * heads * dh * Np;
    const oP = oG + B * Qp * d;
    const oDS = oP + block;
    const oDQ = oDS + block;
    const oDK = oDQ + B * Qp * d;
    const oDV = oDK + B * Np * d;
    const arena = kernelArena(oDV + B * Np * d);
    const buf = arena.buf;
    padRows(qs, B, Q, Qp, d, buf, oQ);
    padRows(ks, B, N, Np, d, buf, oK);
    padRows(g, B, Q, Qp, d, buf, oG);
    transposedHeads(ks, B, N, Np, d, heads, buf, oKt);
    transposedHeads(vs, B, N, Np, d, heads, buf, oVt);
    buf.fill(0, oDQ, oDV + B * Np * d);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < heads; h++) {
        this.weights(arena, b, h, oQ, oKt, oP);
        // dP = dOut V^T, then dS in place
        buf.fill(0, oDS, oDS + block);
        arena.gemm(Qp, Np, dh, oG + b * Qp * d + h * dh, d, oVt + (b * heads + h) * dh * Np, Np, oDS, Np);
        for (let i = 0; i < Qp; i++) {
          const L = i < Q ? this.limitOf(b, i) : -1;
          softmaxBackwardRow(buf, oP + i * Np, oDS + i * Np, L, Np, scale);
        }
        const q = oQ + b * Qp * d + h * dh;
        const k = oK + b * Np * d + h * dh;
        // dQ = dS K; dK = dS^T Q and dV = P^T dOut (A read transposed: lda 1, column stride Np)
        arena.gemm(Qp, dh, Np, oDS, Np, k, d, oDQ + b * Qp * d + h * dh, d);
        arena.gemm(Np, dh, Qp, oDS, 1, q, d, oDK + b * Np * d + h * dh, d, Np);
        arena.gemm(Np, dh, Qp, oP, 1, oG + b * Qp * d + h * dh, d, oDV + b * Np * d + h * dh, d, Np);
      }
    }
    const dq = new Float32Array(B * Q * d);
    const dk = new Float32Array(B * N * d);
    const dv = new Float32Array(B * N * d);
    unpadRows(buf, oDQ, B, Q, Qp, d, dq);
    unpadRows(buf, oDK, B, N, Np, d, dk);
    unpadRows(buf, oDV, B, N, Np, d, dv);
    return { dq, dk, dv };
  }
}

/** src [B, R, d] into buf at off as [B, Rp, d], rows R..Rp - 1 of each batch row zero. */
function padRows(src: Float32Array, B: number, R: number, Rp: number, d: number, buf: Float32Array, off: number): void {
  for (let b = 0; b < B; b++) {
    buf.set(src.subarray(b * R * d, (b + 1) * R * d), off + b * Rp * d);
    buf.fill(0, off + (b * Rp + R) * d, off + (b + 1) * Rp * d);
  }
}

/** The inverse of padRows: buf at off [B, Rp, d] -> out [B, R, d]. */
function unpadRows(buf: Float32Array, off: number, B: number, R: number, Rp: number, d: number, out: Float32Array): void {
  for (let b = 0; b < B; b++) out.set(buf.subarray(off + b * Rp * d, off + (b * Rp + R) * d), b * R * d);
}

/** src [B, N, d] -> per (row b, head h) the block [dh, Np] of head h's columns transposed, columns N.. zero. */
function transposedHeads(src: Float32Array, B: number, N: number, Np: number, d: number, heads: number, buf: Float32Array, off: number): void {
  const dh = d / heads;
  buf.fill(0, off, off + B * heads * dh * Np);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < N; j++) {
      const s = (b * N + j) * d;
      for (let h = 0; h < heads; h++) {
        const t = off + (b * heads + h) * dh * Np + j;
        for (let e = 0; e < dh; e++) buf[t + e * Np] = src[s + h * dh + e];
      }
    }
  }
}

/**
 * Row of scores at buf[o..o + Np) -> softmax(scale * s) over columns 0..L (with the null
 * key's exp(0) in the normaliser), zeros elsewhere; L = -1 zeroes the row.
 */
function softmaxRow(buf: Float32Array, o: number, L: number, Np: number, scale: number, nullKey: boolean): void {
  if (L >= 0) {
    let mx = nullKey ? 0 : -Infinity;
    for (let j = 0; j <= L; j++) if (buf[o + j] > mx) mx = buf[o + j];
    let z = nullKey ? Math.exp(-mx * scale) : 0;
    for (let j = 0; j <= L; j++) {
      const e = Math.exp((buf[o + j] - mx) * scale);
      buf[o + j] = e;
      z += e;
    }
    const inv = 1 / z;
    for (let j = 0; j <= L; j++) buf[o + j] *= inv;
  }
  buf.fill(0, o + L + 1, o + Np);
}

/** dS_j = p_j (dp_j - sum_l p_l dp_l) scale in place of dp (the null key's value is 0: it adds nothing), zero beyond L. */
function softmaxBackwardRow(buf: Float32Array, p: number, ds: number, L: number, Np: number, scale: number): void {
  let pdp = 0;
  for (let j = 0; j <= L; j++) pdp += buf[p + j] * buf[ds + j];
  for (let j = 0; j <= L; j++) buf[ds + j] = buf[p + j] * (buf[ds + j] - pdp) * scale;
  buf.fill(0, ds + L + 1, ds + Np);
}
