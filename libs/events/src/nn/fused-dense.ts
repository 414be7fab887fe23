import { kernelArena, transposeInto } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

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
    const y = new Float32Array(N * O);
    for (let r = 0; r < N; r++) y.set(bs, r * O);
    multiply(N, O, I, xs, false, ws, y); // y = b + x W
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const dx = new Float32Array(N * I);
      multiply(N, I, O, g, false, transpose(ws, I, O), dx); // dL/dx = dy W^T
      const dW = new Float32Array(I * O);
      multiply(I, O, N, xs, true, g, dW); // dL/dW = x^T dy
      const db = new Float64Array(O);
      for (let r = 0; r < N; r++) for (let o = 0; o < O; o++) db[o] += g[r * O + o];
      return [tf.tensor(dx, xT.shape), tf.tensor2d(dW, [I, O]), tf.tensor1d(Float32Array.from(db))];
    };
    return { value: tf.tensor(y, [...lead, O]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(x, W, b) as tf.Tensor;
}

/**
 * c [m, n] += A b [k, n] through the arena (operands copied in, result copied out), A = a
 * [m, k], or a^T when aT (a stored [k, m]). Rows (of a row-major A) are padded to the
 * kernel's tile height and columns to its width (zeros, results dropped), so that thin
 * outputs (a head with 3 types) run on the kernel too.
 */
function multiply(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aT: boolean,
  b: Float32Array,
  c: Float32Array,
): void {
  const m4 = aT ? m : (m + 3) & ~3; // the kernel reads a transposed A in place (ragged rows in JS)
  const n8 = (n + 7) & ~7;
  const A = 0;
  const B = A + m4 * k;
  const C = B + k * n8;
  const arena = kernelArena(C + m4 * n8);
  const buf = arena.buf;
  buf.set(a, A);
  buf.fill(0, A + m * k, B);
  if (n8 === n) {
    buf.set(b, B);
    buf.set(c, C);
  } else {
    buf.fill(0, B, C + m4 * n8);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) buf[B + p * n8 + j] = b[p * n + j];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) buf[C + i * n8 + j] = c[i * n + j];
  }
  if (aT) arena.gemm(m, n8, k, A, 1, B, n8, C, n8, m);
  else arena.gemm(m4, n8, k, A, k, B, n8, C, n8);
  if (n8 === n) c.set(buf.subarray(C, C + m * n));
  else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = buf[C + i * n8 + j];
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  transposeInto(m, 0, rows, cols, out, 0);
  return out;
}
