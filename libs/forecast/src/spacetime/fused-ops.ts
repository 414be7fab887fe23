import {
  borrowFloats,
  geluErfInto,
  gemmInto,
  outputFloats,
  scratchPool,
  transposeInto,
} from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/**
 * Fused CPU ops for SpaceTime's wide [N, D, T] tensors. tfjs-backend-cpu's broadcasting
 * binary ops, slices, transposes and reverses walk every element through generic index
 * arithmetic; on the decoder and MLP shapes they cost more than the maths itself (a
 * profile of one ETTh2 step: 19 s of 25 s). These ops do one pass over contiguous
 * memory each way, with hand-written gradients (checked against finite differences in
 * fused-ops.spec.ts). Values are read with dataSync: the models train on the CPU
 * backends; on other backends these ops still work, at the cost of a download.
 */

/** A tensor's floats, read in place for the length of the op's call (never kept). */
const f32 = borrowFloats;

/** A copy of x in an array for a new tensor's values (recycled where the pool has one). */
function copyOut(x: Float32Array): Float32Array {
  const out = outputFloats(x.length);
  out.set(x);
  return out;
}

/**
 * out[n, e, t] = y[n, e, t] + b[e] + sum_d W[d, e] gelu(y[n, d, t]): the encoder MLP
 * (pre-activation GELU, Linear over channels, residual) on channels-first data, so no
 * transposes are needed. y: [N, D, T], W: [D, D], b: [D]. The products run on the gemm of
 * the fastest kernel tier: per sample out_n += W^T gelu(y_n) (W read transposed in place),
 * and backward dgelu_n = W gy_n, dW = gelu(y) gy^T over all samples in one product.
 */
export function mlpResidual(y: tf.Tensor3D, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor3D {
  const [N, D, T] = y.shape;
  const S = D * T;
  const op = tf.customGrad((...args: unknown[]) => {
    const [yt, Wt, bt] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as tf.GradSaveFunc;
    save([yt, Wt]);
    const yv = f32(yt);
    const Wv = f32(Wt);
    const bv = f32(bt);
    const g = scratchPool.floats(yv.length);
    geluErfInto(yv, g, null);
    const out = copyOut(yv);
    for (let n = 0; n < N; n++) {
      for (let e = 0; e < D; e++) {
        const oe = n * S + e * T;
        const be = bv[e];
        for (let t = 0; t < T; t++) out[oe + t] += be;
      }
      gemmInto(D, T, D, Wv, 0, 1, D, g, n * S, T, out, n * S, T);
    }
    scratchPool.release(g);
    const value = tf.tensor3d(out, [N, D, T]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const gy = f32(Array.isArray(dy) ? dy[0] : dy);
      const ys = f32(saved[0]);
      const Ws = f32(saved[1]);
      const dg = scratchPool.floats(ys.length).fill(0);
      for (let n = 0; n < N; n++) gemmInto(D, T, D, Ws, 0, D, 1, gy, n * S, T, dg, n * S, T);
      const g = scratchPool.floats(ys.length);
      const der = scratchPool.floats(ys.length);
      geluErfInto(ys, g, der);
      const dyOut = copyOut(gy); // residual path
      for (let i = 0; i < ys.length; i++) dyOut[i] += dg[i] * der[i];
      // dW[d, e] = sum over (n, t) of gelu(y)[n, d, t] gy[n, e, t]: gelu(y) as [D, N T]
      // (blocks of T moved), gy as [N T, D] (each sample transposed), one product
      const NT = N * T;
      const gd = scratchPool.floats(ys.length);
      const gyT = scratchPool.floats(ys.length);
      for (let n = 0; n < N; n++) {
        for (let d = 0; d < D; d++) gd.set(g.subarray(n * S + d * T, n * S + (d + 1) * T), d * NT + n * T);
        transposeInto(gy, n * S, D, T, gyT, n * S);
      }
      const dW = new Float32Array(D * D);
      gemmInto(D, D, NT, gd, 0, NT, 1, gyT, 0, D, dW, 0, D);
      scratchPool.release(dg, g, der, gd, gyT);
      const db = new Float64Array(D);
      for (let n = 0; n < N; n++)
        for (let e = 0; e < D; e++) {
          let s = 0;
          const oe = n * S + e * T;
          for (let t = 0; t < T; t++) s += gy[oe + t];
          db[e] += s;
        }
      return [tf.tensor3d(dyOut, [N, D, T]), tf.tensor2d(dW, [D, D]), tf.tensor1d(Float32Array.from(db))];
    };
    return { value, gradFunc };
  });
  return op(y, W, b) as tf.Tensor3D;
}

/** out[n, t] = b + sum_d w[d] gelu(x[n, d, t]): the output head (GELU, Linear D -> 1). */
export function geluHead(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const [N, D, T] = x.shape;
  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, wt, bt] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as tf.GradSaveFunc;
    save([xt, wt]);
    const xv = f32(xt);
    const wv = f32(wt);
    const bias = f32(bt)[0];
    const g = scratchPool.floats(xv.length);
    geluErfInto(xv, g, null);
    const out = outputFloats(N * T).fill(bias);
    for (let n = 0; n < N; n++) {
      for (let d = 0; d < D; d++) {
        const w = wv[d];
        const xo = (n * D + d) * T;
        const oo = n * T;
        for (let t = 0; t < T; t++) out[oo + t] += w * g[xo + t];
      }
    }
    scratchPool.release(g);
    const value = tf.tensor2d(out, [N, T]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = f32(Array.isArray(dy) ? dy[0] : dy);
      const xs = f32(saved[0]);
      const ws = f32(saved[1]);
      const dx = outputFloats(xs.length); // every element written by geluErfInto
      const gel = scratchPool.floats(xs.length);
      geluErfInto(xs, gel, dx);
      const dw = new Float64Array(D);
      let db = 0;
      for (let i = 0; i < g.length; i++) db += g[i];
      for (let n = 0; n < N; n++) {
        for (let d = 0; d < D; d++) {
          const w = ws[d];
          const xo = (n * D + d) * T;
          const go = n * T;
          let s = 0;
          for (let t = 0; t < T; t++) {
            s += g[go + t] * gel[xo + t];
            dx[xo + t] *= g[go + t] * w;
          }
          dw[d] += s;
        }
      }
      scratchPool.release(gel);
      return [
        tf.tensor3d(dx, [N, D, T]),
        tf.tensor(Float32Array.from(dw), saved[1].shape),
        tf.tensor(Float32Array.from([db]), [1]),
      ];
    };
    return { value, gradFunc };
  });
  return op(x, w, b) as tf.Tensor2D;
}

/**
 * mean over n, c, t < T-1 of (pred[n, c, t] - actual[n, c, t + 1])^2: the next-input loss
 * without slicing the wide tensors. Gradient flows into both.
 */
export function shiftedMse(pred: tf.Tensor3D, actual: tf.Tensor3D): tf.Scalar {
  const [N, D, T] = pred.shape;
  const count = N * D * (T - 1);
  const op = tf.customGrad((...args: unknown[]) => {
    const [pt, at] = args as [tf.Tensor, tf.Tensor];
    const save = args[2] as tf.GradSaveFunc;
    save([pt, at]);
    const p = f32(pt);
    const a = f32(at);
    let s = 0;
    for (let r = 0; r < N * D; r++) {
      const o = r * T;
      for (let t = 0; t < T - 1; t++) {
        const e = p[o + t] - a[o + t + 1];
        s += e * e;
      }
    }
    const value = tf.scalar(s / count);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = f32(Array.isArray(dy) ? dy[0] : dy)[0];
      const ps = f32(saved[0]);
      const as = f32(saved[1]);
      const dp = new Float32Array(ps.length);
      const da = new Float32Array(as.length);
      const f = (2 * g) / count;
      for (let r = 0; r < N * D; r++) {
        const o = r * T;
        for (let t = 0; t < T - 1; t++) {
          const e = f * (ps[o + t] - as[o + t + 1]);
          dp[o + t] = e;
          da[o + t + 1] = -e;
        }
      }
      return [tf.tensor3d(dp, [N, D, T]), tf.tensor3d(da, [N, D, T])];
    };
    return { value, gradFunc };
  });
  return op(pred, actual) as tf.Scalar;
}

/**
 * out[n, c, t] = x[n, c mod P, t] for c < P times: tf.tile over the channel axis (the
 * embedding's repeat to D channels) as block copies, and its gradient (the sum over the
 * repeats of each channel) in one pass. x: [N, P, T] -> [N, P times, T].
 */
export function repeatChannels(x: tf.Tensor3D, times: number): tf.Tensor3D {
  const [N, P, T] = x.shape;
  const block = P * T;
  const op = tf.customGrad((...args: unknown[]) => {
    const xv = f32(args[0] as tf.Tensor);
    const out = outputFloats(N * times * block); // every element written below
    for (let n = 0; n < N; n++) {
      const src = xv.subarray(n * block, (n + 1) * block);
      for (let r = 0; r < times; r++) out.set(src, (n * times + r) * block);
    }
    const value = tf.tensor3d(out, [N, P * times, T]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[]) => {
      const g = f32(Array.isArray(dy) ? dy[0] : dy);
      const dx = outputFloats(N * block).fill(0);
      for (let n = 0; n < N; n++)
        for (let r = 0; r < times; r++) {
          const o = (n * times + r) * block;
          for (let i = 0; i < block; i++) dx[n * block + i] += g[o + i];
        }
      return [tf.tensor3d(dx, [N, P, T])];
    };
    return { value, gradFunc };
  });
  return op(x) as tf.Tensor3D;
}
