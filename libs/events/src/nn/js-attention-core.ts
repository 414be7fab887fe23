/**
 * Multi-head prefix attention in plain JS loops on Float32Arrays (one of the two
 * AttentionCores behind fusedPrefixAttention; see fused-attention.ts for what it computes).
 *
 * Why loops: a dense mask computes every masked-out score only to zero it, and every caller
 * masks a prefix of the keys (causal self-attention; AttNHP's queries see the events up to
 * their context), so the loops visit only allowed keys.
 */
import type { AttentionCore } from './attention-core';
import { PrefixAttentionShape, PrefixLimits } from './prefix-limits';

/*
 * Kernels over keys j0..j1 of one head; key j's dh values start at mOff + j * stride.
 * Each keeps four or eight independent sums in flight (so additions do not wait on one
 * another) and the `2` variants serve two queries over the same keys, sharing each load
 * of a key: together ~2x faster in V8 than plain loops. Queries are taken in pairs
 * because neighbours see (nearly) the same prefix: AttNHP's S queries after one
 * position see the same keys, causal neighbours differ by one key.
 */

/** out[j] = sum_e a[aOff + e] * M[mOff + j * stride + e] for j0 <= j <= j1 (scores, or g . v_j). */
function dotRows(
  a: Float32Array,
  aOff: number,
  M: Float32Array,
  mOff: number,
  stride: number,
  dh: number,
  j0: number,
  j1: number,
  out: Float64Array,
): void {
  let j = j0;
  for (; j + 3 <= j1; j += 4) {
    const m0 = mOff + j * stride;
    const m1 = m0 + stride;
    const m2 = m1 + stride;
    const m3 = m2 + stride;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let e = 0; e < dh; e++) {
      const x = a[aOff + e];
      s0 += x * M[m0 + e];
      s1 += x * M[m1 + e];
      s2 += x * M[m2 + e];
      s3 += x * M[m3 + e];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j <= j1; j++) {
    const m = mOff + j * stride;
    let s = 0;
    for (let e = 0; e < dh; e++) s += a[aOff + e] * M[m + e];
    out[j] = s;
  }
}

/** dotRows for two queries (a at aOff and bOff) over keys 0..j1. */
function dotRows2(
  a: Float32Array,
  aOff: number,
  bOff: number,
  M: Float32Array,
  mOff: number,
  stride: number,
  dh: number,
  j1: number,
  outA: Float64Array,
  outB: Float64Array,
): void {
  let j = 0;
  for (; j + 3 <= j1; j += 4) {
    const m0 = mOff + j * stride;
    const m1 = m0 + stride;
    const m2 = m1 + stride;
    const m3 = m2 + stride;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let e = 0; e < dh; e++) {
      const x = a[aOff + e];
      const y = a[bOff + e];
      const k0 = M[m0 + e];
      const k1 = M[m1 + e];
      const k2 = M[m2 + e];
      const k3 = M[m3 + e];
      s0 += x * k0;
      s1 += x * k1;
      s2 += x * k2;
      s3 += x * k3;
      t0 += y * k0;
      t1 += y * k1;
      t2 += y * k2;
      t3 += y * k3;
    }
    outA[j] = s0;
    outA[j + 1] = s1;
    outA[j + 2] = s2;
    outA[j + 3] = s3;
    outB[j] = t0;
    outB[j + 1] = t1;
    outB[j + 2] = t2;
    outB[j + 3] = t3;
  }
  if (j <= j1) {
    dotRows(a, aOff, M, mOff, stride, dh, j, j1, outA);
    dotRows(a, bOff, M, mOff, stride, dh, j, j1, outB);
  }
}

/**
 * acc[e] += sum_{j0 <= j <= j1} w[j] * M[mOff + j * stride + e] (weighted values, or dq
 * from the keys), four columns at a time summed over the keys in locals.
 */
function weightedRows(
  w: Float64Array,
  M: Float32Array,
  mOff: number,
  stride: number,
  dh: number,
  j0: number,
  j1: number,
  acc: Float64Array,
): void {
  let e = 0;
  for (; e + 3 < dh; e += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = j0, m = mOff + j0 * stride + e; j <= j1; j++, m += stride) {
      const wj = w[j];
      a0 += wj * M[m];
      a1 += wj * M[m + 1];
      a2 += wj * M[m + 2];
      a3 += wj * M[m + 3];
    }
    acc[e] += a0;
    acc[e + 1] += a1;
    acc[e + 2] += a2;
    acc[e + 3] += a3;
  }
  for (; e < dh; e++) {
    let a = 0;
    for (let j = j0, m = mOff + j0 * stride + e; j <= j1; j++, m += stride) a += w[j] * M[m];
    acc[e] += a;
  }
}

/** weightedRows for two weight vectors over keys 0..j1, into accA and accB (overwritten). */
function weightedRows2(
  wA: Float64Array,
  wB: Float64Array,
  M: Float32Array,
  mOff: number,
  stride: number,
  dh: number,
  j1: number,
  accA: Float64Array,
  accB: Float64Array,
): void {
  let e = 0;
  for (; e + 3 < dh; e += 4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let j = 0, m = mOff + e; j <= j1; j++, m += stride) {
      const x = wA[j];
      const y = wB[j];
      const v0 = M[m];
      const v1 = M[m + 1];
      const v2 = M[m + 2];
      const v3 = M[m + 3];
      a0 += x * v0;
      a1 += x * v1;
      a2 += x * v2;
      a3 += x * v3;
      b0 += y * v0;
      b1 += y * v1;
      b2 += y * v2;
      b3 += y * v3;
    }
    accA[e] = a0;
    accA[e + 1] = a1;
    accA[e + 2] = a2;
    accA[e + 3] = a3;
    accB[e] = b0;
    accB[e + 1] = b1;
    accB[e + 2] = b2;
    accB[e + 3] = b3;
  }
  for (; e < dh; e++) {
    let a = 0;
    let b = 0;
    for (let j = 0, m = mOff + e; j <= j1; j++, m += stride) {
      a += wA[j] * M[m];
      b += wB[j] * M[m];
    }
    accA[e] = a;
    accB[e] = b;
  }
}

/** M[mOff + j * stride + e] += w[j] * x[xOff + e] for j0 <= j <= j1 (dk and dv: rank-1 updates of key rows). */
function addOuter(
  w: Float64Array,
  x: Float32Array,
  xOff: number,
  M: Float64Array,
  mOff: number,
  stride: number,
  dh: number,
  j0: number,
  j1: number,
): void {
  for (let j = j0; j <= j1; j++) {
    const wj = w[j];
    const m = mOff + j * stride;
    let e = 0;
    for (; e + 3 < dh; e += 4) {
      M[m + e] += wj * x[xOff + e];
      M[m + e + 1] += wj * x[xOff + e + 1];
      M[m + e + 2] += wj * x[xOff + e + 2];
      M[m + e + 3] += wj * x[xOff + e + 3];
    }
    for (; e < dh; e++) M[m + e] += wj * x[xOff + e];
  }
}

/** addOuter of two queries (weights wA, wB; vectors at xA, xB) over keys 0..j1: one pass over each key row. */
function addOuter2(
  wA: Float64Array,
  wB: Float64Array,
  x: Float32Array,
  xA: number,
  xB: number,
  M: Float64Array,
  mOff: number,
  stride: number,
  dh: number,
  j1: number,
): void {
  for (let j = 0; j <= j1; j++) {
    const a = wA[j];
    const b = wB[j];
    const m = mOff + j * stride;
    let e = 0;
    for (; e + 3 < dh; e += 4) {
      M[m + e] += a * x[xA + e] + b * x[xB + e];
      M[m + e + 1] += a * x[xA + e + 1] + b * x[xB + e + 1];
      M[m + e + 2] += a * x[xA + e + 2] + b * x[xB + e + 2];
      M[m + e + 3] += a * x[xA + e + 3] + b * x[xB + e + 3];
    }
    for (; e < dh; e++) M[m + e] += a * x[xA + e] + b * x[xB + e];
  }
}

/**
 * softmax(scale * w[0..L]) in place; the normaliser in float64 (it sums up to N terms).
 * nullKey: one more key of score 0 and value 0 in the normaliser (AttNHP's 1 + sum exp).
 */
function softmaxPrefix(w: Float64Array, L: number, scale: number, nullKey: boolean): void {
  let mx = nullKey ? 0 : -Infinity;
  for (let j = 0; j <= L; j++) if (w[j] > mx) mx = w[j];
  let z = nullKey ? Math.exp(-mx * scale) : 0;
  for (let j = 0; j <= L; j++) z += w[j] = Math.exp((w[j] - mx) * scale);
  const inv = 1 / z;
  for (let j = 0; j <= L; j++) w[j] *= inv;
}

/**
 * Softmax backward in place: dp[j] = p_j (dp_j - sum_l p_l dp_l) * scale, for j <= L (also
 * with a null key: its value is 0, so it adds nothing to the sum).
 */
function softmaxBackward(p: Float64Array, dp: Float64Array, L: number, scale: number): void {
  let pdp = 0;
  for (let j = 0; j <= L; j++) pdp += p[j] * dp[j];
  for (let j = 0; j <= L; j++) dp[j] = p[j] * (dp[j] - pdp) * scale;
}

/**
 * Multi-head attention core on Float32Arrays: q [B, Q, d], k and v [B, N, d] (row-major)
 * -> [B, Q, d]. Heads are column blocks (head h = columns h * dh .. (h + 1) * dh - 1,
 * dh = d / heads), each attending by softmax(q . k / sqrt(dh)) over keys 0..limit of its
 * query (see PrefixLimits). With `nullKey` each softmax has one more key of score 0 and
 * value 0, so weights sum to less than 1 and the output can grow with the number of
 * strong keys (AttNHP's normaliser, 1 + sum exp). `forward` keeps what `backward` needs.
 * The plain-JS core: only allowed keys are visited, any head width (GemmPrefixAttention
 * needs heads of a multiple of 8 columns).
 */
export class JsPrefixAttention extends PrefixAttentionShape implements AttentionCore {
  /** softmax weights of query (b, i) live at wOff[b * Q + i], one block of limit + 1 per head */
  private readonly wOff: Int32Array;
  private saved?: { qs: Float32Array; ks: Float32Array; vs: Float32Array; w: Float32Array };

  constructor(B: number, Q: number, N: number, d: number, heads: number, limits: PrefixLimits, nullKey = false) {
    super(B, Q, N, d, heads, limits, nullKey);
    this.wOff = new Int32Array(B * Q + 1);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < Q; i++) this.wOff[b * Q + i + 1] = this.wOff[b * Q + i] + heads * (this.limitOf(b, i) + 1);
  }

  forward(qs: Float32Array, ks: Float32Array, vs: Float32Array): Float32Array {
    const { B, Q, N, d, heads, dh, scale, wOff, nullKey } = this;
    const limitOf = (b: number, i: number) => this.limitOf(b, i);
    const w = new Float32Array(wOff[B * Q]);
    const out = new Float32Array(B * Q * d);
    const [pA, pB] = [new Float64Array(N), new Float64Array(N)];
    const [accA, accB] = [new Float64Array(dh), new Float64Array(dh)];

    /**
     * Query i of row b (limit La >= 0), and query i + 1 where Lb >= 0: the keys both see,
     * 0..Lc, with the pair kernels (Lc = -1: none; they then only zero accA and accB).
     */
    const forward = (b: number, i: number, La: number, Lb: number) => {
      const Lc = Math.min(La, Lb);
      for (let h = 0; h < heads; h++) {
        const ho = b * N * d + h * dh; // head h of key 0 in row b
        const qa = (b * Q + i) * d + h * dh;
        const qb = qa + d;
        dotRows2(qs, qa, qb, ks, ho, d, dh, Lc, pA, pB);
        dotRows(qs, qa, ks, ho, d, dh, Lc + 1, La, pA);
        softmaxPrefix(pA, La, scale, nullKey);
        if (Lb >= 0) {
          dotRows(qs, qb, ks, ho, d, dh, Lc + 1, Lb, pB);
          softmaxPrefix(pB, Lb, scale, nullKey);
        }
        weightedRows2(pA, pB, vs, ho, d, dh, Lc, accA, accB);
        weightedRows(pA, vs, ho, d, dh, Lc + 1, La, accA);
        narrow(pA, La + 1, w, wOff[b * Q + i] + h * (La + 1));
        narrow(accA, dh, out, qa);
        if (Lb >= 0) {
          weightedRows(pB, vs, ho, d, dh, Lc + 1, Lb, accB);
          narrow(pB, Lb + 1, w, wOff[b * Q + i + 1] + h * (Lb + 1));
          narrow(accB, dh, out, qb);
        }
      }
    };
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < Q;) {
        const La = limitOf(b, i);
        const Lb = i + 1 < Q ? limitOf(b, i + 1) : -1;
        if (La >= 0) forward(b, i, La, Lb); // La < 0: no keys, zero output
        i += La >= 0 && Lb >= 0 ? 2 : 1;
      }
    }
    this.saved = { qs, ks, vs, w };
    return out;
  }

  /** Gradients for q, k and v given g = dL/dout (after forward). */
  backward(g: Float32Array): { dq: Float32Array; dk: Float32Array; dv: Float32Array } {
    if (!this.saved) throw new Error('JsPrefixAttention: backward before forward');
    const { B, Q, N, d, heads, dh, scale, wOff } = this;
    const { qs, ks, vs, w } = this.saved;
    const limitOf = (b: number, i: number) => this.limitOf(b, i);
    const [pA, pB] = [new Float64Array(N), new Float64Array(N)];
    const [accA, accB] = [new Float64Array(dh), new Float64Array(dh)];
    const dq = new Float32Array(B * Q * d);
    // dk and dv sum over every query that saw the key: float64 accumulators
    const dk = new Float64Array(B * N * d);
    const dv = new Float64Array(B * N * d);
    const [dpA, dpB] = [new Float64Array(N), new Float64Array(N)];

    /** The backward pass of `forward` for query i (and i + 1 where Lb >= 0). */
    const backward = (b: number, i: number, La: number, Lb: number) => {
      const Lc = Math.min(La, Lb);
      for (let h = 0; h < heads; h++) {
        const ho = b * N * d + h * dh;
        const qa = (b * Q + i) * d + h * dh; // also the offset into g and dq
        const qb = qa + d;
        // dScore_j = p_j (dp_j - sum_l p_l dp_l) with dp_j = g . v_j
        widen(w, wOff[b * Q + i] + h * (La + 1), La + 1, pA);
        dotRows2(g, qa, qb, vs, ho, d, dh, Lc, dpA, dpB);
        dotRows(g, qa, vs, ho, d, dh, Lc + 1, La, dpA);
        softmaxBackward(pA, dpA, La, scale);
        if (Lb >= 0) {
          widen(w, wOff[b * Q + i + 1] + h * (Lb + 1), Lb + 1, pB);
          dotRows(g, qb, vs, ho, d, dh, Lc + 1, Lb, dpB);
          softmaxBackward(pB, dpB, Lb, scale);
        }
        // dq = sum_j dScore_j k_j; dk_j += dScore_j q; dv_j += p_j g
        weightedRows2(dpA, dpB, ks, ho, d, dh, Lc, accA, accB);
        weightedRows(dpA, ks, ho, d, dh, Lc + 1, La, accA);
        narrow(accA, dh, dq, qa);
        addOuter2(dpA, dpB, qs, qa, qb, dk, ho, d, dh, Lc);
        addOuter(dpA, qs, qa, dk, ho, d, dh, Lc + 1, La);
        addOuter2(pA, pB, g, qa, qb, dv, ho, d, dh, Lc);
        addOuter(pA, g, qa, dv, ho, d, dh, Lc + 1, La);
        if (Lb >= 0) {
          weightedRows(dpB, ks, ho, d, dh, Lc + 1, Lb, accB);
          narrow(accB, dh, dq, qb);
          addOuter(dpB, qs, qb, dk, ho, d, dh, Lc + 1, Lb);
          addOuter(pB, g, qb, dv, ho, d, dh, Lc + 1, Lb);
        }
      }
    };
    // queries without keys or without gradient (padding) are skipped
    const live = (b: number, i: number) => (i < Q && !isZero(g, (b * Q + i) * d, d) ? limitOf(b, i) : -1);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < Q;) {
        const La = live(b, i);
        const Lb = La >= 0 ? live(b, i + 1) : -1;
        if (La >= 0) backward(b, i, La, Lb);
        i += La >= 0 && Lb >= 0 ? 2 : 1;
      }
    }
    return { dq, dk: new Float32Array(dk), dv: new Float32Array(dv) };
  }
}

/*
 * Copies between float64 scratch and float32 storage: plain loops (no subarray views to
 * allocate), one function per direction so that each sees one pair of array types.
 */

/** to[toOff + e] = from[e] for e < n. */
function narrow(from: Float64Array, n: number, to: Float32Array, toOff: number): void {
  for (let e = 0; e < n; e++) to[toOff + e] = from[e];
}

/** to[e] = from[fromOff + e] for e < n. */
function widen(from: Float32Array, fromOff: number, n: number, to: Float64Array): void {
  for (let e = 0; e < n; e++) to[e] = from[fromOff + e];
}

/** Whether a[off..off + n) is all zeros. */
function isZero(a: Float32Array, off: number, n: number): boolean {
  for (let e = 0; e < n; e++) if (a[off + e] !== 0) return false;
  return true;
}
