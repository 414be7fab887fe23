import { gelu, geluDerivative } from '@seqcast/numeric';
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

function f32(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/**
 * out[n, e, t] = y[n, e, t] + b[e] + sum_d W[d, e] gelu(y[n, d, t]): the encoder MLP
 * (pre-activation GELU, Linear over channels, residual) on channels-first data, so no
 * transposes are needed. y: [N, D, T], W: [D, D], b: [D].
 */
export function mlpResidual(y: tf.Tensor3D, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor3D {
  const [N, D, T] = y.shape;
  const op = tf.customGrad((...args: unknown[]) => {
    const [yt, Wt, bt] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as tf.GradSaveFunc;
    save([yt, Wt]);
    const yv = f32(yt);
    const Wv = f32(Wt);
    const bv = f32(bt);
    const g = new Float32Array(yv.length);
    for (let i = 0; i < yv.length; i++) g[i] = gelu(yv[i]);
    const out = Float32Array.from(yv);
    for (let n = 0; n < N; n++) {
      const base = n * D * T;
      for (let e = 0; e < D; e++) {
        const oe = base + e * T;
        const be = bv[e];
        for (let t = 0; t < T; t++) out[oe + t] += be;
      }
      // four output rows per pass over the gelu row: a quarter of the loads
      for (let d = 0; d < D; d++) {
        const gd = base + d * T;
        let e = 0;
        for (; e + 3 < D; e += 4) {
          const w0 = Wv[d * D + e],
            w1 = Wv[d * D + e + 1],
            w2 = Wv[d * D + e + 2],
            w3 = Wv[d * D + e + 3];
          const o0 = base + e * T,
            o1 = o0 + T,
            o2 = o1 + T,
            o3 = o2 + T;
          for (let t = 0; t < T; t++) {
            const gv = g[gd + t];
            out[o0 + t] += w0 * gv;
            out[o1 + t] += w1 * gv;
            out[o2 + t] += w2 * gv;
            out[o3 + t] += w3 * gv;
          }
        }
        for (; e < D; e++) {
          const w = Wv[d * D + e];
          const oe = base + e * T;
          for (let t = 0; t < T; t++) out[oe + t] += w * g[gd + t];
        }
      }
    }
    const value = tf.tensor3d(out, [N, D, T]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const gy = f32(Array.isArray(dy) ? dy[0] : dy);
      const ys = f32(saved[0]);
      const Ws = f32(saved[1]);
      const dyOut = Float32Array.from(gy); // residual path
      const dW = new Float64Array(D * D);
      const db = new Float64Array(D);
      const dg = new Float32Array(T);
      const gel = new Float32Array(T);
      for (let n = 0; n < N; n++) {
        const base = n * D * T;
        for (let e = 0; e < D; e++) {
          let s = 0;
          const oe = base + e * T;
          for (let t = 0; t < T; t++) s += gy[oe + t];
          db[e] += s;
        }
        for (let d = 0; d < D; d++) {
          const yd = base + d * T;
          for (let t = 0; t < T; t++) gel[t] = gelu(ys[yd + t]);
          dg.fill(0);
          let e = 0;
          for (; e + 3 < D; e += 4) {
            const o0 = base + e * T,
              o1 = o0 + T,
              o2 = o1 + T,
              o3 = o2 + T;
            const w0 = Ws[d * D + e],
              w1 = Ws[d * D + e + 1],
              w2 = Ws[d * D + e + 2],
              w3 = Ws[d * D + e + 3];
            let s0 = 0,
              s1 = 0,
              s2 = 0,
              s3 = 0;
            for (let t = 0; t < T; t++) {
              const gl = gel[t];
              const g0 = gy[o0 + t],
                g1 = gy[o1 + t],
                g2 = gy[o2 + t],
                g3 = gy[o3 + t];
              s0 += gl * g0;
              s1 += gl * g1;
              s2 += gl * g2;
              s3 += gl * g3;
              dg[t] += w0 * g0 + w1 * g1 + w2 * g2 + w3 * g3;
            }
            dW[d * D + e] += s0;
            dW[d * D + e + 1] += s1;
            dW[d * D + e + 2] += s2;
            dW[d * D + e + 3] += s3;
          }
          for (; e < D; e++) {
            const oe = base + e * T;
            const w = Ws[d * D + e];
            let s = 0;
            for (let t = 0; t < T; t++) {
              const gv = gy[oe + t];
              s += gel[t] * gv;
              dg[t] += w * gv;
            }
            dW[d * D + e] += s;
          }
          for (let t = 0; t < T; t++) dyOut[yd + t] += dg[t] * geluDerivative(ys[yd + t]);
        }
      }
      return [
        tf.tensor3d(dyOut, [N, D, T]),
        tf.tensor2d(Float32Array.from(dW), [D, D]),
        tf.tensor1d(Float32Array.from(db)),
      ];
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
    const out = new Float32Array(N * T).fill(bias);
    for (let n = 0; n < N; n++) {
      for (let d = 0; d < D; d++) {
        const w = wv[d];
        const xo = (n * D + d) * T;
        const oo = n * T;
        for (let t = 0; t < T; t++) out[oo + t] += w * gelu(xv[xo + t]);
      }
    }
    const value = tf.tensor2d(out, [N, T]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = f32(Array.isArray(dy) ? dy[0] : dy);
      const xs = f32(saved[0]);
      const ws = f32(saved[1]);
      const dx = new Float32Array(xs.length);
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
            const xv = xs[xo + t];
            s += g[go + t] * gelu(xv);
            dx[xo + t] = g[go + t] * w * geluDerivative(xv);
          }
          dw[d] += s;
        }
      }
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

/** out[n, d, t] = conv[n, d, t] + s[d] z[n, d, t]: the SSM's skip connection D u. */
export function addScaledSkip(conv: tf.Tensor3D, z: tf.Tensor3D, s: tf.Tensor1D): tf.Tensor3D {
  const [N, D, T] = z.shape;
  const op = tf.customGrad((...args: unknown[]) => {
    const [ct, zt, st] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as tf.GradSaveFunc;
    save([zt, st]);
    const out = Float32Array.from(f32(ct));
    const zv = f32(zt);
    const sv = f32(st);
    for (let n = 0; n < N; n++)
      for (let d = 0; d < D; d++) {
        const o = (n * D + d) * T;
        const w = sv[d];
        for (let t = 0; t < T; t++) out[o + t] += w * zv[o + t];
      }
    const value = tf.tensor3d(out, [N, D, T]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = f32(Array.isArray(dy) ? dy[0] : dy);
      const zs = f32(saved[0]);
      const ss = f32(saved[1]);
      const dz = new Float32Array(g.length);
      const ds = new Float64Array(D);
      for (let n = 0; n < N; n++)
        for (let d = 0; d < D; d++) {
          const o = (n * D + d) * T;
          const w = ss[d];
          let acc = 0;
          for (let t = 0; t < T; t++) {
            dz[o + t] = w * g[o + t];
            acc += g[o + t] * zs[o + t];
          }
          ds[d] += acc;
        }
      return [
        tf.tensor3d(Float32Array.from(g), [N, D, T]),
        tf.tensor3d(dz, [N, D, T]),
        tf.tensor1d(Float32Array.from(ds)),
      ];
    };
    return { value, gradFunc };
  });
  return op(conv, z, s) as tf.Tensor3D;
}

/**
 * The closed-loop decoder in one pass per channel: x = sum_j z[n, c, j] kryRev[k, j, :]
 * (the last lag state, kryRev row j = A^(L-1-j) b), then y[n, c, i] = rows[k, i, :] . x
 * (rows[k, i] = c^T (A + b k^T)^i). Channel c uses kernel k = floor(c / heads). Never
 * forms more than one d-vector per channel. Output [N, D, H].
 */
export function closedLoopForecast(
  z: tf.Tensor3D,
  kryRev: tf.Tensor3D,
  rows: tf.Tensor3D,
  heads: number,
): tf.Tensor3D {
  const [N, D, L] = z.shape;
  const d = kryRev.shape[2];
  const H = rows.shape[1];
  const K = kryRev.shape[0];
  // the (sample, head) vectors that share kernel k, as offsets of their z rows / outputs
  const groups: number[][] = Array.from({ length: K }, () => []);
  for (let n = 0; n < N; n++) for (let c = 0; c < D; c++) groups[Math.floor(c / heads)].push(n * D + c);
  const op = tf.customGrad((...args: unknown[]) => {
    const [zt, kt, rt] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as tf.GradSaveFunc;
    save([zt, kt, rt]);
    const zv = f32(zt);
    const kv = f32(kt);
    const rv = f32(rt);
    const out = new Float32Array(N * D * H);
    const x = new Float64Array(4 * d);
    for (let k = 0; k < K; k++) {
      const g = groups[k];
      for (let q = 0; q < g.length; q += 4) {
        const cnt = Math.min(4, g.length - q);
        // pad a short group by repeating its first vector (results for the pads are dropped)
        const ids = [
          g[q],
          g[q + Math.min(1, cnt - 1)],
          g[q + Math.min(2, cnt - 1)],
          g[q + Math.min(3, cnt - 1)],
        ];
        lastState4(zv, ids, L, kv, k * L * d, d, x);
        const ro = k * H * d;
        const o0 = ids[0] * H,
          o1 = ids[1] * H,
          o2 = ids[2] * H,
          o3 = ids[3] * H;
        for (let i = 0; i < H; i++) {
          const r = ro + i * d;
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let m = 0; m < d; m++) {
            const rm = rv[r + m];
            s0 += rm * x[m];
            s1 += rm * x[d + m];
            s2 += rm * x[2 * d + m];
            s3 += rm * x[3 * d + m];
          }
          out[o0 + i] = s0;
          if (cnt > 1) out[o1 + i] = s1;
          if (cnt > 2) out[o2 + i] = s2;
          if (cnt > 3) out[o3 + i] = s3;
        }
      }
    }
    const value = tf.tensor3d(out, [N, D, H]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const gy = f32(Array.isArray(dy) ? dy[0] : dy);
      const zs = f32(saved[0]);
      const ks = f32(saved[1]);
      const rs = f32(saved[2]);
      const dz = new Float32Array(N * D * L);
      const dk = new Float64Array(K * L * d);
      const dr = new Float64Array(K * H * d);
      const xs = new Float64Array(4 * d);
      const dx = new Float64Array(4 * d);
      for (let k = 0; k < K; k++) {
        const g = groups[k];
        for (let q = 0; q < g.length; q += 4) {
          const cnt = Math.min(4, g.length - q);
          const ids = [
            g[q],
            g[q + Math.min(1, cnt - 1)],
            g[q + Math.min(2, cnt - 1)],
            g[q + Math.min(3, cnt - 1)],
          ];
          lastState4(zs, ids, L, ks, k * L * d, d, xs);
          dx.fill(0);
          const ro = k * H * d;
          const o0 = ids[0] * H,
            o1 = ids[1] * H,
            o2 = ids[2] * H,
            o3 = ids[3] * H;
          for (let i = 0; i < H; i++) {
            const g0 = gy[o0 + i];
            const g1 = cnt > 1 ? gy[o1 + i] : 0;
            const g2 = cnt > 2 ? gy[o2 + i] : 0;
            const g3 = cnt > 3 ? gy[o3 + i] : 0;
            const r = ro + i * d;
            for (let m = 0; m < d; m++) {
              const rm = rs[r + m];
              dx[m] += g0 * rm;
              dx[d + m] += g1 * rm;
              dx[2 * d + m] += g2 * rm;
              dx[3 * d + m] += g3 * rm;
              dr[r + m] += g0 * xs[m] + g1 * xs[d + m] + g2 * xs[2 * d + m] + g3 * xs[3 * d + m];
            }
          }
          const ko = k * L * d;
          const z0 = ids[0] * L,
            z1 = ids[1] * L,
            z2 = ids[2] * L,
            z3 = ids[3] * L;
          for (let j = 0; j < L; j++) {
            const kr = ko + j * d;
            const u0 = zs[z0 + j];
            const u1 = cnt > 1 ? zs[z1 + j] : 0;
            const u2 = cnt > 2 ? zs[z2 + j] : 0;
            const u3 = cnt > 3 ? zs[z3 + j] : 0;
            let s0 = 0,
              s1 = 0,
              s2 = 0,
              s3 = 0;
            for (let m = 0; m < d; m++) {
              const km = ks[kr + m];
              s0 += km * dx[m];
              s1 += km * dx[d + m];
              s2 += km * dx[2 * d + m];
              s3 += km * dx[3 * d + m];
              dk[kr + m] += u0 * dx[m] + u1 * dx[d + m] + u2 * dx[2 * d + m] + u3 * dx[3 * d + m];
            }
            dz[z0 + j] = s0;
            if (cnt > 1) dz[z1 + j] = s1;
            if (cnt > 2) dz[z2 + j] = s2;
            if (cnt > 3) dz[z3 + j] = s3;
          }
        }
      }
      return [
        tf.tensor3d(dz, [N, D, L]),
        tf.tensor3d(Float32Array.from(dk), saved[1].shape as [number, number, number]),
        tf.tensor3d(Float32Array.from(dr), saved[2].shape as [number, number, number]),
      ];
    };
    return { value, gradFunc };
  });
  return op(z, kryRev, rows) as tf.Tensor3D;
}

/** Last states of four z rows (row offsets ids[q] * L) into x[q * d + m]. */
function lastState4(
  z: Float32Array,
  ids: number[],
  L: number,
  kry: Float32Array,
  ko: number,
  d: number,
  x: Float64Array,
): void {
  x.fill(0);
  const z0 = ids[0] * L,
    z1 = ids[1] * L,
    z2 = ids[2] * L,
    z3 = ids[3] * L;
  for (let j = 0; j < L; j++) {
    const u0 = z[z0 + j],
      u1 = z[z1 + j],
      u2 = z[z2 + j],
      u3 = z[z3 + j];
    const kr = ko + j * d;
    for (let m = 0; m < d; m++) {
      const km = kry[kr + m];
      x[m] += u0 * km;
      x[d + m] += u1 * km;
      x[2 * d + m] += u2 * km;
      x[3 * d + m] += u3 * km;
    }
  }
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
