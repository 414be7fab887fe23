import * as tf from '@tensorflow/tfjs';

/**
 * The core of multi-head attention (scores, softmax, weighted values, all heads) as ONE
 * tfjs op (tf.customGrad) with forward and backward loops on Float32Arrays in plain JS.
 *
 * Why: in tfjs ops the core is ~8 ops per direction per layer (head split transposes,
 * two batched matMuls of tiny [T, dh] blocks, a dense mask penalty, softmax, transpose
 * back) plus their gradients, and on tfjs-cpu each op carries tens of us of overhead while
 * the arithmetic is small; a dense mask also computes every masked-out score only to
 * zero it. Every caller masks a prefix of the keys (causal self-attention; AttNHP's
 * queries see the events up to their context), so the loops visit only allowed keys.
 * Checked against a tfjs-op reference in fused-attention.spec.ts.
 */

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
function limitStride(limits: PrefixLimits, B: number, Q: number, N: number): number {
  if (limits.length !== Q && limits.length !== B * Q)
    throw new Error(`fusedPrefixAttention: ${limits.length} limits for B = ${B}, Q = ${Q}`);
  for (let i = 0; i < limits.length; i++) {
    if (!(limits[i] >= -1 && limits[i] < N))
      throw new Error(`fusedPrefixAttention: limit ${limits[i]} outside keys -1..${N - 1}`);
  }
  return limits.length === B * Q ? Q : 0;
}

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

/** softmax(scale * w[0..L]) in place; the normaliser in float64 (it sums up to N terms). */
function softmaxPrefix(w: Float64Array, L: number, scale: number): void {
  let mx = -Infinity;
  for (let j = 0; j <= L; j++) if (w[j] > mx) mx = w[j];
  let z = 0;
  for (let j = 0; j <= L; j++) z += w[j] = Math.exp((w[j] - mx) * scale);
  const inv = 1 / z;
  for (let j = 0; j <= L; j++) w[j] *= inv;
}

/** Softmax backward in place: dp[j] = p_j (dp_j - sum_l p_l dp_l) * scale, for j <= L. */
function softmaxBackward(p: Float64Array, dp: Float64Array, L: number, scale: number): void {
  let pdp = 0;
  for (let j = 0; j <= L; j++) pdp += p[j] * dp[j];
  for (let j = 0; j <= L; j++) dp[j] = p[j] * (dp[j] - pdp) * scale;
}

/**
 * Multi-head attention core: q [B, Q, d], k and v [B, N, d] -> [B, Q, d]. Heads are column
 * blocks (head h = columns h * dh .. (h + 1) * dh - 1, dh = d / heads), each attending by
 * softmax(q . k / sqrt(dh)) over keys 0..limit of its query (see PrefixLimits). Gradients
 * flow to q, k and v.
 */
export function fusedPrefixAttention(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  limits: PrefixLimits,
  heads: number,
): tf.Tensor3D {
  const [B, Q, d] = q.shape;
  const N = k.shape[1];
  if (k.shape[0] !== B || k.shape[2] !== d || !v.shape.every((s, i) => s === k.shape[i])) {
    throw new Error(`fusedPrefixAttention: q [${q.shape}], k [${k.shape}], v [${v.shape}] do not match`);
  }
  if (d % heads !== 0) throw new Error(`fusedPrefixAttention: ${heads} heads do not divide d = ${d}`);
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const stride = limitStride(limits, B, Q, N);
  const limitOf = (b: number, i: number) => limits[b * stride + i];
  // softmax weights of query (b, i) live at wOff[b * Q + i], one block of limit + 1 per head
  const wOff = new Int32Array(B * Q + 1);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < Q; i++) wOff[b * Q + i + 1] = wOff[b * Q + i] + heads * (limitOf(b, i) + 1);

  const op = tf.customGrad(((qT: tf.Tensor, kT: tf.Tensor, vT: tf.Tensor) => {
    const qs = qT.dataSync() as Float32Array;
    const ks = kT.dataSync() as Float32Array;
    const vs = vT.dataSync() as Float32Array;
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
        softmaxPrefix(pA, La, scale);
        if (Lb >= 0) {
          dotRows(qs, qb, ks, ho, d, dh, Lc + 1, Lb, pB);
          softmaxPrefix(pB, Lb, scale);
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
    const value = tf.tensor3d(out, [B, Q, d]);

    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
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
      return [
        tf.tensor3d(dq, [B, Q, d]),
        tf.tensor3d(new Float32Array(dk), [B, N, d]),
        tf.tensor3d(new Float32Array(dv), [B, N, d]),
      ];
    };
    return { value, gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(q, k, v) as tf.Tensor3D;
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
