import type { S4DWeights } from './s4d-params';

/**
 * The S4D recurrence written out in float64 JavaScript, for the specs: an independent
 * reference sharing no code with the kernel, the scan or the discretisation helpers.
 * Per channel h and mode n, with dt = exp(logDt[h]) times the step's factor:
 *   dA = exp(dt A), dB = (dA - 1) / A * B,  x <- dA x + dB u_t,  y_t = 2 Re(sum_n C_n x_n) + D u_t.
 */
export interface S4DArrays {
  H: number;
  M: number;
  logAReal: Float32Array;
  aImag: Float32Array;
  bRe: Float32Array;
  bIm: Float32Array;
  cRe: Float32Array;
  cIm: Float32Array;
  logDt: Float32Array;
  d: Float32Array;
}

export function weightArrays(w: S4DWeights): S4DArrays {
  const [H, M] = w.cRe.shape;
  const f = (t: { dataSync(): unknown }) => Float32Array.from(t.dataSync() as Float32Array);
  return {
    H,
    M,
    logAReal: f(w.logAReal),
    aImag: f(w.aImag),
    bRe: f(w.bRe),
    bIm: f(w.bIm),
    cRe: f(w.cRe),
    cIm: f(w.cIm),
    logDt: f(w.logDt),
    d: f(w.d),
  };
}

/** dA, dB of mode (h, n) for a step dt, by complex exp and division in float64. */
function zoh(p: S4DArrays, h: number, n: number, dt: number): [number, number, number, number] {
  const i = h * p.M + n;
  const ar = -Math.exp(p.logAReal[i]);
  const ai = p.aImag[i];
  const mag = Math.exp(dt * ar);
  const dar = mag * Math.cos(dt * ai);
  const dai = mag * Math.sin(dt * ai);
  // (dA - 1) / A
  const den = ar * ar + ai * ai;
  const qr = ((dar - 1) * ar + dai * ai) / den;
  const qi = (dai * ar - (dar - 1) * ai) / den;
  return [dar, dai, qr * p.bRe[i] - qi * p.bIm[i], qr * p.bIm[i] + qi * p.bRe[i]];
}

/**
 * y [B, H, L] for u [B, H, L]; dtScale [B, L] (default 1); optional initial state
 * [B, H, M] re and im, and the last state back.
 */
export function directS4D(
  p: S4DArrays,
  u: ArrayLike<number>,
  B: number,
  L: number,
  dtScale?: ArrayLike<number>,
  init?: { re: ArrayLike<number>; im: ArrayLike<number> },
): { y: Float64Array; re: Float64Array; im: Float64Array } {
  const { H, M } = p;
  const y = new Float64Array(B * H * L);
  const lastRe = new Float64Array(B * H * M);
  const lastIm = new Float64Array(B * H * M);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const dt0 = Math.exp(p.logDt[h]);
      for (let n = 0; n < M; n++) {
        const s = (b * H + h) * M + n;
        let xr = init ? init.re[s] : 0;
        let xi = init ? init.im[s] : 0;
        const cr = p.cRe[h * M + n];
        const ci = p.cIm[h * M + n];
        for (let t = 0; t < L; t++) {
          const [dar, dai, dbr, dbi] = zoh(p, h, n, dt0 * (dtScale ? dtScale[b * L + t] : 1));
          const ut = u[(b * H + h) * L + t];
          const nr = dar * xr - dai * xi + dbr * ut;
          xi = dar * xi + dai * xr + dbi * ut;
          xr = nr;
          y[(b * H + h) * L + t] += 2 * (cr * xr - ci * xi);
        }
        lastRe[s] = xr;
        lastIm[s] = xi;
      }
      for (let t = 0; t < L; t++) y[(b * H + h) * L + t] += p.d[h] * u[(b * H + h) * L + t];
    }
  }
  return { y, re: lastRe, im: lastIm };
}

/** The impulse response K [H, L] of the recurrence without the skip: x_0 = dB, x_l = dA x_{l-1}. */
export function directKernel(p: S4DArrays, L: number): Float64Array {
  const { H, M } = p;
  const K = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    for (let n = 0; n < M; n++) {
      const [dar, dai, dbr, dbi] = zoh(p, h, n, Math.exp(p.logDt[h]));
      let xr = dbr;
      let xi = dbi;
      for (let l = 0; l < L; l++) {
        K[h * L + l] += 2 * (p.cRe[h * M + n] * xr - p.cIm[h * M + n] * xi);
        const nr = dar * xr - dai * xi;
        xi = dar * xi + dai * xr;
        xr = nr;
      }
    }
  }
  return K;
}
