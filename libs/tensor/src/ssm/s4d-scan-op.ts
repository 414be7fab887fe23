import * as tf from '@tensorflow/tfjs';
import { borrowFloats } from '../kernels/borrowed-floats';
import type { S4DWeights } from './s4d-params';

/**
 * The S4D recurrence over a sequence as one differentiable op, for the recurrent mode and for
 * irregular steps (one zero-order hold per sample and step):
 *
 *   dt_t = exp(logDt[h]) s[b, t],  dA_t = exp(dt_t A),  dB_t = (dA_t - 1) / A * B,
 *   x_t = dA_t x_{t-1} + dB_t u_t,  y_t = 2 Re(sum_n C_n x_t,n) + D u_t.
 *
 * Written as tf ops the irregular path materialises a dozen [B, H, M, L] tensors each way (at
 * B 16, H 64, N 64, L 512 a forward and backward took ~95 s on this 2-core machine); here
 * each (sample, channel, mode) row is a float64 loop, with the adjoint written out
 * (g = dL/dRe + i dL/dIm; for holomorphic f the gradient of its input is conj(f') g):
 *
 *   lambda_t = 2 gy_t conj(C) + conj(dA_{t+1}) lambda_{t+1}   (+ the last state's gradient at t = L-1)
 *   g dA_t = lambda_t conj(x_{t-1}),  g dB_t = lambda_t u_t,  g u_t = Re(conj(dB_t) lambda_t)
 *   g C = 2 sum_t gy_t conj(x_t),  g B = sum_t conj(q_t) g dB_t,  g q_t = conj(B) g dB_t  (q = (dA - 1)/A)
 *   dA' = dt dA, dq/dA = (dt dA - q) / A in A; dA' = A dA, dq/ddt = dA in dt.
 *
 * The backward pass recomputes each row's states (O(L) scratch, never [B, H, M, L]). The
 * discretisations are the cost (exp, cos, sin per mode and step): they are computed once per
 * distinct step factor of a sample, so regular data costs one per mode and gaps that are
 * multiples of a nominal step (dropped points) a few. Plain JS, sequential in L, no native
 * tier. Returns [B, H, L + 2M]: y, then the last state's re and im parts.
 */
export function s4dScanOp(
  w: S4DWeights,
  u: tf.Tensor3D,
  dtScale: tf.Tensor2D | null,
  x0: { re: tf.Tensor3D; im: tf.Tensor3D } | null,
): tf.Tensor3D {
  const [B, H, L] = u.shape;
  const M = w.cRe.shape[1];
  const irregular = dtScale !== null;
  const hasState = x0 !== null;
  const s = dtScale ?? tf.ones([B, L]);
  const sr = x0?.re ?? tf.zeros([B, H, M]);
  const si = x0?.im ?? tf.zeros([B, H, M]);

  const op = tf.customGrad((...args: unknown[]) => {
    const inputs = args.slice(0, 12) as tf.Tensor[];
    const save = args[12] as tf.GradSaveFunc;
    save(inputs);
    const v = inputs.map(borrowFloats);
    const out = new Float32Array(B * H * (L + 2 * M));
    const steps = distinctSteps(v[9], B, L); // v[9]: the step factors s
    forward(v, steps, B, H, M, L, hasState, out);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = borrowFloats(Array.isArray(dy) ? dy[0] : dy);
      const grads = backward(saved.map(borrowFloats), g, steps, B, H, M, L, hasState);
      // without dtScale the factors were ones of this op's own: no gradient leaves for them
      if (!irregular) grads[9] = new Float32Array(B * L);
      return grads.map((values, i) => tf.tensor(values, saved[i].shape));
    };
    return { value: tf.tensor3d(out, [B, H, L + 2 * M]), gradFunc };
  });
  return op(w.logAReal, w.aImag, w.bRe, w.bIm, w.cRe, w.cIm, w.logDt, w.d, u, s, sr, si) as tf.Tensor3D;
}

/** Per sample, the distinct step factors (values) and each step's index among them. */
interface DistinctSteps {
  values: Float64Array[];
  index: Int32Array; // [B, L]
}

function distinctSteps(s: Float32Array, B: number, L: number): DistinctSteps {
  const values: Float64Array[] = [];
  const index = new Int32Array(B * L);
  for (let b = 0; b < B; b++) {
    const seen = new Map<number, number>();
    const list: number[] = [];
    for (let t = 0; t < L; t++) {
      const x = s[b * L + t];
      let k = seen.get(x);
      if (k === undefined) {
        k = list.length;
        seen.set(x, k);
        list.push(x);
      }
      index[b * L + t] = k;
    }
    values.push(Float64Array.from(list));
  }
  return { values, index };
}

/**
 * The discretisations of mode (ar, ai) at the steps dth * factors[j]: o[4j..4j+3] =
 * dA re, dA im, q re, q im with q = (dA - 1) / A (float64: dA - 1 keeps ~13 digits at dt 0.001).
 */
function zohTable(ar: number, ai: number, dth: number, factors: Float64Array, o: Float64Array): void {
  const den = ar * ar + ai * ai;
  for (let j = 0; j < factors.length; j++) {
    const dt = dth * factors[j];
    const mag = Math.exp(dt * ar);
    const dar = mag * Math.cos(dt * ai);
    const dai = mag * Math.sin(dt * ai);
    const nr = dar - 1;
    o[4 * j] = dar;
    o[4 * j + 1] = dai;
    o[4 * j + 2] = (nr * ar + dai * ai) / den;
    o[4 * j + 3] = (dai * ar - nr * ai) / den;
  }
}

type Arrays = Float32Array[];

function forward(
  v: Arrays,
  steps: DistinctSteps,
  B: number,
  H: number,
  M: number,
  L: number,
  hasState: boolean,
  out: Float32Array,
): void {
  const [lar, aim, bre, bim, cre, cim, ldt, d, u, , x0r, x0i] = v;
  const W = L + 2 * M;
  const y = new Float64Array(L);
  let z = new Float64Array(4);
  for (let b = 0; b < B; b++) {
    const factors = steps.values[b];
    if (z.length < 4 * factors.length) z = new Float64Array(4 * factors.length);
    for (let h = 0; h < H; h++) {
      const dth = Math.exp(ldt[h]);
      const uo = (b * H + h) * L;
      y.fill(0);
      for (let n = 0; n < M; n++) {
        const p = h * M + n;
        zohTable(-Math.exp(lar[p]), aim[p], dth, factors, z);
        const br = bre[p];
        const bi = bim[p];
        const cr = cre[p];
        const ci = cim[p];
        const so = (b * H + h) * M + n;
        let xr = hasState ? x0r[so] : 0;
        let xi = hasState ? x0i[so] : 0;
        for (let t = 0; t < L; t++) {
          const k = 4 * steps.index[b * L + t];
          const ut = u[uo + t];
          const dbr = z[k + 2] * br - z[k + 3] * bi;
          const dbi = z[k + 2] * bi + z[k + 3] * br;
          const nr = z[k] * xr - z[k + 1] * xi + dbr * ut;
          xi = z[k] * xi + z[k + 1] * xr + dbi * ut;
          xr = nr;
          y[t] += 2 * (cr * xr - ci * xi);
        }
        const oo = (b * H + h) * W;
        out[oo + L + n] = xr;
        out[oo + L + M + n] = xi;
      }
      const oo = (b * H + h) * W;
      for (let t = 0; t < L; t++) out[oo + t] = y[t] + d[h] * u[uo + t];
    }
  }
}

function backward(
  v: Arrays,
  g: Float32Array,
  steps: DistinctSteps,
  B: number,
  H: number,
  M: number,
  L: number,
  hasState: boolean,
): Float32Array[] {
  const [lar, aim, bre, bim, cre, cim, ldt, d, u, s, x0r, x0i] = v;
  const W = L + 2 * M;
  const gLar = new Float64Array(H * M);
  const gAim = new Float64Array(H * M);
  const gBr = new Float64Array(H * M);
  const gBi = new Float64Array(H * M);
  const gCr = new Float64Array(H * M);
  const gCi = new Float64Array(H * M);
  const gLdt = new Float64Array(H);
  const gD = new Float64Array(H);
  const gU = new Float32Array(B * H * L);
  const gS = new Float64Array(B * L);
  const gX0r = new Float32Array(B * H * M);
  const gX0i = new Float32Array(B * H * M);
  const xs = new Float64Array(2 * L); // the row's states, recomputed
  const ga = new Float64Array(3); // chain's results: g A re, im, g dt
  let z = new Float64Array(4);
  for (let b = 0; b < B; b++) {
    const factors = steps.values[b];
    if (z.length < 4 * factors.length) z = new Float64Array(4 * factors.length);
    for (let h = 0; h < H; h++) {
      const dth = Math.exp(ldt[h]);
      const uo = (b * H + h) * L;
      const go = (b * H + h) * W;
      for (let t = 0; t < L; t++) {
        gD[h] += g[go + t] * u[uo + t];
        gU[uo + t] = d[h] * g[go + t];
      }
      for (let n = 0; n < M; n++) {
        const p = h * M + n;
        const ar = -Math.exp(lar[p]);
        const ai = aim[p];
        zohTable(ar, ai, dth, factors, z);
        const br = bre[p];
        const bi = bim[p];
        const cr = cre[p];
        const ci = cim[p];
        const so = (b * H + h) * M + n;
        const x0re = hasState ? x0r[so] : 0;
        const x0im = hasState ? x0i[so] : 0;
        let xr = x0re;
        let xi = x0im;
        for (let t = 0; t < L; t++) {
          const k = 4 * steps.index[b * L + t];
          const ut = u[uo + t];
          const dbr = z[k + 2] * br - z[k + 3] * bi;
          const dbi = z[k + 2] * bi + z[k + 3] * br;
          const nr = z[k] * xr - z[k + 1] * xi + dbr * ut;
          xi = z[k] * xi + z[k + 1] * xr + dbi * ut;
          xr = nr;
          xs[2 * t] = xr;
          xs[2 * t + 1] = xi;
        }
        // the adjoint, right to left; lambda starts at the last state's own gradient
        let lr = g[go + L + n];
        let li = g[go + L + M + n];
        let gcr = 0;
        let gci = 0;
        let gbr = 0;
        let gbi = 0;
        let gAr = 0;
        let gAi = 0;
        for (let t = L - 1; t >= 0; t--) {
          const k = 4 * steps.index[b * L + t];
          if (t < L - 1) {
            // conj(dA_{t+1}) lambda_{t+1}
            const kn = 4 * steps.index[b * L + t + 1];
            const nr = z[kn] * lr + z[kn + 1] * li;
            li = z[kn] * li - z[kn + 1] * lr;
            lr = nr;
          }
          const gy = g[go + t];
          lr += 2 * gy * cr;
          li -= 2 * gy * ci;
          gcr += 2 * gy * xs[2 * t];
          gci -= 2 * gy * xs[2 * t + 1];
          const pr = t > 0 ? xs[2 * t - 2] : x0re;
          const pi = t > 0 ? xs[2 * t - 1] : x0im;
          const gar = lr * pr + li * pi; // lambda conj(x_{t-1})
          const gai = li * pr - lr * pi;
          const ut = u[uo + t];
          const qr = z[k + 2];
          const qi = z[k + 3];
          gU[uo + t] += (qr * br - qi * bi) * lr + (qr * bi + qi * br) * li; // Re(conj(dB) lambda)
          const gdbr = lr * ut;
          const gdbi = li * ut;
          gbr += qr * gdbr + qi * gdbi; // conj(q) g dB
          gbi += qr * gdbi - qi * gdbr;
          const gqr = br * gdbr + bi * gdbi; // conj(B) g dB
          const gqi = br * gdbi - bi * gdbr;
          const dt = dth * s[b * L + t];
          chain(ar, ai, dt, z[k], z[k + 1], qr, qi, gar, gai, gqr, gqi, ga);
          gAr += ga[0];
          gAi += ga[1];
          gLdt[h] += ga[2] * dt;
          gS[b * L + t] += ga[2] * dth;
        }
        // x_{-1}: conj(dA_0) lambda_0
        const k0 = 4 * steps.index[b * L];
        gX0r[so] = z[k0] * lr + z[k0 + 1] * li;
        gX0i[so] = z[k0] * li - z[k0 + 1] * lr;
        gLar[p] += gAr * ar; // d Re A / d logAReal = -exp(logAReal) = Re A
        gAim[p] += gAi;
        gBr[p] += gbr;
        gBi[p] += gbi;
        gCr[p] += gcr;
        gCi[p] += gci;
      }
    }
  }
  const f = (a: Float64Array) => Float32Array.from(a);
  return [f(gLar), f(gAim), f(gBr), f(gBi), f(gCr), f(gCi), f(gLdt), f(gD), gU, f(gS), gX0r, gX0i];
}

/**
 * Chains g dA and g q of one discretisation: o = [g A re, g A im, g dt] with
 * g A = conj(dt dA) g dA + conj((dt dA - q) / A) g q,  g dt = Re(conj(A dA) g dA + conj(dA) g q).
 */
function chain(
  ar: number,
  ai: number,
  dt: number,
  dar: number,
  dai: number,
  qr: number,
  qi: number,
  gar: number,
  gai: number,
  gqr: number,
  gqi: number,
  o: Float64Array,
): void {
  const nr = dt * dar - qr;
  const ni = dt * dai - qi;
  const den = ar * ar + ai * ai;
  const fr = (nr * ar + ni * ai) / den;
  const fi = (ni * ar - nr * ai) / den;
  o[0] = dt * (dar * gar + dai * gai) + fr * gqr + fi * gqi;
  o[1] = dt * (dar * gai - dai * gar) + fr * gqi - fi * gqr;
  const adr = ar * dar - ai * dai;
  const adi = ar * dai + ai * dar;
  o[2] = adr * gar + adi * gai + dar * gqr + dai * gqi;
}
