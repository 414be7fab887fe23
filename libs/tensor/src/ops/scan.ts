import * as tf from '@tensorflow/tfjs';
import { ensureSeqcastKernels } from '../kernels/ensure-kernels';
import { LINEAR_SCAN_KERNEL } from '../kernels/linear-scan-kernel';

/**
 * h_t = a_t * h_{t-1} + b_t along the last axis, h_{-1} = 0 (fold an initial state h0
 * into b_0 as b_0 + a_0 * h0). `reverse` runs right to left. a and b have one shape.
 * Differentiable in both.
 */
export function linearScan(a: tf.Tensor, b: tf.Tensor, options: { reverse?: boolean } = {}): tf.Tensor {
  ensureSeqcastKernels();
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`linearScan: a ${a.shape} and b ${b.shape} must have the same shape`);
  }
  return tf.engine().runKernel(LINEAR_SCAN_KERNEL, { a, b }, { reverse: !!options.reverse }) as tf.Tensor;
}

/**
 * Krylov sequence [b, A b, A^2 b, ..., A^{L-1} b] as a [d, L] matrix, by doubling: the
 * block computed so far is multiplied by A^m and appended, and A^m squared, so
 * log2(L) matrix products instead of L (the SpaceTime kernel is c^T of this).
 * A: [d, d], b: [d] or [d, 1]. Differentiable (plain tfjs ops).
 */
export function krylov(A: tf.Tensor2D, b: tf.Tensor, L: number): tf.Tensor2D {
  return tf.tidy(() => {
    let X = tf.reshape(b, [-1, 1]) as tf.Tensor2D;
    let P = A;
    while (X.shape[1] < L) {
      X = tf.concat([X, tf.matMul(P, X)], 1) as tf.Tensor2D;
      if (X.shape[1] < L) P = tf.matMul(P, P);
    }
    return tf.slice(X, [0, 0], [X.shape[0], L]);
  });
}

/**
 * Runs a recurrent cell over time: inputs [B, T, D] are fed step by step to
 * `step(x_t, state) -> [output_t, nextState]`, outputs stacked to [B, T, H]. The state
 * is any list of tensors (LSTM: [h, c]). Call it inside tf.tidy (a Trainer loss function
 * is one): the per-step tensors may be needed by the tape, so they are left to the scope.
 */
export function rnnScan(
  step: (x: tf.Tensor2D, state: tf.Tensor[]) => [tf.Tensor2D, tf.Tensor[]],
  inputs: tf.Tensor3D,
  initialState: tf.Tensor[],
): { outputs: tf.Tensor3D; state: tf.Tensor[] } {
  const T = inputs.shape[1];
  const steps = tf.unstack(inputs, 1) as tf.Tensor2D[];
  let state = initialState;
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const [y, next] = step(steps[t], state);
    outputs.push(y);
    state = next;
  }
  const stacked = tf.stack(outputs, 1) as tf.Tensor3D;
  return { outputs: stacked, state };
}
