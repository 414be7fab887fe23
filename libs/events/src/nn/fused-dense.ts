import * as tf from '@tensorflow/tfjs';
import { multiply, transpose } from './arena-gemm';
import { columnSums, rowsOf } from './row-ops';

/**
 * x [..., I] W [I, O] + b [O] as one op whose three products (forward, dL/dx, dL/dW) run on
 * the wasm kernel (wasm-kernels.ts). Why: the heads of the recurrent models are tall and
 * thin ([B T, 32] x [32, 32]), where tfjs-cpu's matMul ran at ~1 GMAC/s against ~10 for
 * the kernel, and the op folds the bias add and its gradient's sum in.
 */
export function fusedDense(x: tf.Tensor, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor {
  const [I, O] = W.shape;
  const lead = x.shape.slice(0, -1);
  const N = x.size / I;
  if (x.shape[x.shape.length - 1] !== I)
    throw new Error(`fusedDense: x [${x.shape}] and W [${W.shape}] do not match`);
  const op = tf.customGrad(((xT: tf.Tensor, wT: tf.Tensor, bT: tf.Tensor) => {
    const xs = xT.dataSync() as Float32Array;
    const ws = wT.dataSync() as Float32Array;
    const bs = bT.dataSync() as Float32Array;
    const y = rowsOf(bs, N);
    multiply(N, O, I, xs, false, ws, y); // y = b + x W
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const dx = new Float32Array(N * I);
      multiply(N, I, O, g, false, transpose(ws, I, O), dx); // dL/dx = dy W^T
      const dW = new Float32Array(I * O);
      multiply(I, O, N, xs, true, g, dW); // dL/dW = x^T dy
      return [tf.tensor(dx, xT.shape), tf.tensor2d(dW, [I, O]), tf.tensor1d(columnSums(g, O))];
    };
    return { value: tf.tensor(y, [...lead, O]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(x, W, b) as tf.Tensor;
}
