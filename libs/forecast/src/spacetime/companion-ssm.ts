import { kernelTier, nativeKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/**
 * Companion-matrix SSM maths. A = S + a e_{d-1}^T (S shifts the state down by one, a is
 * the learned last column), so A v = shift(v) + a v_{d-1} costs O(d), and every power
 * sequence the model needs is a recurrence of O(d) steps:
 *   Krylov columns  A^j b            (encoder kernel c^T A^j b, decoder last state)
 *   closed-loop rows c^T (A + b k^T)^i  = ((A + b k^T)^T)^i c  (decoder rollout)
 * Both are one op, `shiftPowers`, with a hand-written adjoint, so a kernel of length L
 * costs O(heads * L * d) forward and backward instead of log2(L) dense d x d products
 * (the reference's repeated squaring). Computed in Float64, returned as float32.
 */

/**
 * v_{j+1} = T v_j + sum_m P_m (Q_m . v_j), j < n - 1, with T the down shift
 * ((T v)_i = v_{i-1}) or the up shift ((T v)_i = v_{i+1}). v0: [K, d]; P, Q: [K, M, d].
 * Returns [K, n, d] (row j = v_j). Differentiable in v0, P and Q.
 */
export function shiftPowers(
  v0: tf.Tensor2D,
  P: tf.Tensor3D,
  Q: tf.Tensor3D,
  n: number,
  shift: 'down' | 'up',
  reverse = false,
): tf.Tensor3D {
  const [K, d] = v0.shape;
  const M = P.shape[1];
  const op = tf.customGrad((...args: unknown[]) => {
    const [v0t, Pt, Qt] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as tf.GradSaveFunc;
    save([v0t, Pt, Qt]);
    const V = powersForward(
      v0t.dataSync() as Float32Array,
      Pt.dataSync() as Float32Array,
      Qt.dataSync() as Float32Array,
      K,
      d,
      M,
      n,
      shift,
    );
    const value = tf.tensor3d(reverse ? reverseRows(V, K, n, d) : Float32Array.from(V), [K, n, d]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const raw = (Array.isArray(dy) ? dy[0] : dy).dataSync() as Float32Array;
      const g = reverse ? reverseRows(raw, K, n, d) : raw;
      const [, sP, sQ] = saved;
      const grads = powersBackward(
        g,
        V,
        sP.dataSync() as Float32Array,
        sQ.dataSync() as Float32Array,
        K,
        d,
        M,
        n,
        shift,
      );
      return [
        tf.tensor2d(grads.dv0, [K, d]),
        tf.tensor3d(grads.dP, [K, M, d]),
        tf.tensor3d(grads.dQ, [K, M, d]),
      ];
    };
    return { value, gradFunc };
  });
  return op(v0, P, Q) as tf.Tensor3D;
}

/** Row order reversed within each of K blocks of n rows of d. */
function reverseRows(V: ArrayLike<number>, K: number, n: number, d: number): Float32Array {
  const out = new Float32Array(K * n * d);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < n; j++) {
      const src = (k * n + j) * d;
      const dst = (k * n + n - 1 - j) * d;
      for (let i = 0; i < d; i++) out[dst + i] = V[src + i];
    }
  }
  return out;
}

function applyShift(
  src: Float64Array,
  so: number,
  dst: Float64Array,
  doff: number,
  d: number,
  shift: 'down' | 'up',
): void {
  if (shift === 'down') {
    dst[doff] = 0;
    for (let i = 1; i < d; i++) dst[doff + i] = src[so + i - 1];
  } else {
    for (let i = 0; i < d - 1; i++) dst[doff + i] = src[so + i + 1];
    dst[doff + d - 1] = 0;
  }
}

/** The addon where the native kernels are the tier in use (the same recurrences in C++, over the pool by heads). */
const native = () => (kernelTier() === 'native' ? nativeKernels() : null);

function powersForward(
  v0: Float32Array,
  P: Float32Array,
  Q: Float32Array,
  K: number,
  d: number,
  M: number,
  n: number,
  shift: 'down' | 'up',
): Float64Array {
  const V = new Float64Array(K * n * d);
  const nk = native();
  if (nk) {
    nk.shiftPowersForward(v0, P, Q, K, d, M, n, shift === 'down', V);
    return V;
  }
  for (let k = 0; k < K; k++) {
    const base = k * n * d;
    for (let i = 0; i < d; i++) V[base + i] = v0[k * d + i];
    for (let j = 0; j + 1 < n; j++) {
      const cur = base + j * d;
      const nxt = cur + d;
      applyShift(V, cur, V, nxt, d, shift);
      for (let m = 0; m < M; m++) {
        const pm = (k * M + m) * d;
        let dot = 0;
        for (let i = 0; i < d; i++) dot += Q[pm + i] * V[cur + i];
        if (dot !== 0) for (let i = 0; i < d; i++) V[nxt + i] += P[pm + i] * dot;
      }
    }
  }
  return V;
}

/** The adjoint pass, given the forward pass's powers V (kept in double by the op, not recomputed). */
function powersBackward(
  G: Float32Array,
  V: Float64Array,
  P: Float32Array,
  Q: Float32Array,
  K: number,
  d: number,
  M: number,
  n: number,
  shift: 'down' | 'up',
): { dv0: Float32Array; dP: Float32Array; dQ: Float32Array } {
  const dP = new Float64Array(K * M * d);
  const dQ = new Float64Array(K * M * d);
  const nk = native();
  if (nk) {
    const dv = new Float64Array(K * d);
    nk.shiftPowersBackward(G, V, P, Q, K, d, M, n, shift === 'down', dv, dP, dQ);
    return { dv0: Float32Array.from(dv), dP: Float32Array.from(dP), dQ: Float32Array.from(dQ) };
  }
  const dv0 = new Float32Array(K * d);
  const adjointShift = shift === 'down' ? 'up' : 'down';
  const lam = new Float64Array(d);
  const tmp = new Float64Array(d);
  const pl = new Float64Array(M);
  for (let k = 0; k < K; k++) {
    const base = k * n * d;
    // lambda_{n-1} = G_{n-1}
    for (let i = 0; i < d; i++) lam[i] = G[base + (n - 1) * d + i];
    for (let j = n - 2; j >= 0; j--) {
      const vj = base + j * d;
      // parameter gradients from v_{j+1} = T v_j + sum P_m (Q_m . v_j), with lambda_{j+1} in lam
      for (let m = 0; m < M; m++) {
        const pm = (k * M + m) * d;
        let qv = 0,
          plam = 0;
        for (let i = 0; i < d; i++) {
          qv += Q[pm + i] * V[vj + i];
          plam += P[pm + i] * lam[i];
        }
        pl[m] = plam;
        for (let i = 0; i < d; i++) {
          dP[pm + i] += lam[i] * qv;
          dQ[pm + i] += V[vj + i] * plam;
        }
      }
      // lambda_j = G_j + T^T lambda_{j+1} + sum Q_m (P_m . lambda_{j+1})
      applyShift(lam, 0, tmp, 0, d, adjointShift);
      for (let m = 0; m < M; m++) {
        const pm = (k * M + m) * d;
        for (let i = 0; i < d; i++) tmp[i] += Q[pm + i] * pl[m];
      }
      for (let i = 0; i < d; i++) lam[i] = tmp[i] + G[vj + i];
    }
    for (let i = 0; i < d; i++) dv0[k * d + i] = lam[i];
  }
  return { dv0, dP: Float32Array.from(dP), dQ: Float32Array.from(dQ) };
}

/** x / ||x||_1 along the last axis (norm_order 1); eps keeps an all-zero row finite. */
export function l1Normalise(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.add(tf.sum(tf.abs(x), -1, true), 1e-8));
}

function lastUnit(K: number, d: number): tf.Tensor3D {
  const e = new Float32Array(K * d);
  for (let k = 0; k < K; k++) e[k * d + d - 1] = 1;
  return tf.tensor3d(e, [K, 1, d]);
}

/**
 * Krylov columns [K, L, d]: row j = A^j b, A = S + a e_{d-1}^T. a, b: [K, d].
 * `reverse`: row j = A^(L-1-j) b (what the decoder's last state dots the input with).
 */
export function companionKrylov(a: tf.Tensor2D, b: tf.Tensor2D, L: number, reverse = false): tf.Tensor3D {
  return tf.tidy(() => {
    const [K, d] = a.shape;
    return shiftPowers(b, tf.reshape(a, [K, 1, d]) as tf.Tensor3D, lastUnit(K, d), L, 'down', reverse);
  });
}

/** v^T of each Krylov row: [K, L, d] x [K, d] -> [K, L] (a batched matMul, no broadcasting). */
export function readOut(krylov: tf.Tensor3D, v: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [K, L] = krylov.shape;
    return tf.reshape(tf.matMul(krylov, tf.expandDims(v, 2)), [K, L]) as tf.Tensor2D;
  });
}

/** Companion SSM kernel [K, L]: K_j = c^T A^j b. */
export function companionKernel(a: tf.Tensor2D, b: tf.Tensor2D, c: tf.Tensor2D, L: number): tf.Tensor2D {
  return tf.tidy(() => readOut(companionKrylov(a, b, L), c));
}

/**
 * Closed-loop output rows [K, n, d]: row i = c^T (A + b k^T)^i, computed as powers of
 * (A + b k^T)^T = S^T + e_{d-1} a^T + k b^T applied to c.
 */
export function closedLoopRows(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  c: tf.Tensor2D,
  k: tf.Tensor2D,
  n: number,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [K, d] = a.shape;
    const P = tf.concat([lastUnit(K, d), tf.reshape(k, [K, 1, d])], 1) as tf.Tensor3D;
    const Q = tf.concat([tf.reshape(a, [K, 1, d]), tf.reshape(b, [K, 1, d])], 1) as tf.Tensor3D;
    return shiftPowers(c, P, Q, n, 'up');
  });
}

/** Dense companion matrix of one head (for tests and inspection): A = S + a e_{d-1}^T. */
export function companionMatrix(a: ArrayLike<number>): Float64Array[] {
  const d = a.length;
  const A = Array.from({ length: d }, () => new Float64Array(d));
  for (let i = 1; i < d; i++) A[i][i - 1] = 1;
  for (let i = 0; i < d; i++) A[i][d - 1] += a[i];
  return A;
}
