import * as tf from '@tensorflow/tfjs';

/**
 * The closed-loop decoder's two cheap steps. Channels are grouped by head: channel
 * c = k * heads + h uses kernel k.
 *
 * Last lag state: x_L = sum_j A^(L-1-j) b u_j, for each sample and channel one dot product
 * of the input with the reversed Krylov sequence (one batched matMul [K, N*heads, L] x
 * [K, L, d]). The reference convolves the whole window into N x D x L x d and keeps the
 * last step; this never forms more than the d-vector per channel.
 */
export function lastState(u: tf.Tensor3D, krylov: tf.Tensor3D, heads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [N, D, L] = u.shape;
    const K = D / heads;
    const grouped = tf.reshape(tf.transpose(tf.reshape(u, [N, K, heads, L]), [1, 0, 2, 3]), [
      K,
      N * heads,
      L,
    ]);
    const reversed = tf.reverse(krylov, 1); // row j = A^(L-1-j) b
    return tf.matMul(grouped, reversed) as tf.Tensor3D; // [K, N*heads, d]
  });
}

/**
 * Rollout y_{L+i} = c^T (A + b k^T)^i x_L for i < n: [K, N*heads, d] x rows^T -> [N, D, n].
 */
export function rollout(state: tf.Tensor3D, rows: tf.Tensor3D, N: number, heads: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [K, ,] = state.shape;
    const n = rows.shape[1];
    const y = tf.matMul(state, rows, false, true); // [K, N*heads, n]
    return tf.reshape(tf.transpose(tf.reshape(y, [K, N, heads, n]), [1, 0, 2, 3]), [
      N,
      K * heads,
      n,
    ]) as tf.Tensor3D;
  });
}

/** Repeats per-kernel rows [K, L] over heads to per-channel rows [K*heads, L]. */
export function perChannel(kernel: tf.Tensor2D, heads: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [K, L] = kernel.shape;
    return heads === 1
      ? kernel.clone()
      : (tf.reshape(tf.tile(tf.expandDims(kernel, 1), [1, heads, 1]), [K * heads, L]) as tf.Tensor2D);
  });
}

/** Direct recurrence x_{t+1} = A x_t + b u_t from x_0 = 0 (tests' reference). */
export function lastStateByRecurrence(
  A: Float64Array[],
  b: ArrayLike<number>,
  u: ArrayLike<number>,
): Float64Array {
  const d = b.length;
  let x = new Float64Array(d);
  for (let t = 0; t < u.length; t++) {
    const next = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = b[i] * u[t];
      for (let j = 0; j < d; j++) s += A[i][j] * x[j];
      next[i] = s;
    }
    x = next;
  }
  return x;
}
