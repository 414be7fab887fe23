import { solveSpd } from '@seqcast/numeric';
import type { WindowMoments } from './window-moments';

/** A linear map from a raw input window (length p) to h outputs: y = W^T x + b. */
export interface LinearMap {
  p: number;
  h: number;
  /** p x h, row-major */
  weight: Float64Array;
  bias: Float64Array;
}

export interface LinearDirectOptions {
  /**
   * Features f = M^T x with M p x F (row-major). Omitted: f = x. DLinear's
   * trend/seasonal split is such a map; so is NLinear's subtraction of the last value.
   */
  featureMap?: { matrix: Float64Array; features: number };
  /** Targets are y - R^T x with R p x h (NLinear subtracts the last input value). */
  residual?: Float64Array;
  /**
   * Ridge penalty relative to the mean feature variance: lambda = ridge * trace(C_ff) / F,
   * so one value suits data of any scale. 0 = ordinary least squares.
   */
  ridge: number;
}

function matTMul(a: Float64Array, ar: number, ac: number, b: Float64Array, bc: number): Float64Array {
  // a^T b: (ac x ar)(ar x bc)
  const out = new Float64Array(ac * bc);
  for (let k = 0; k < ar; k++) {
    for (let i = 0; i < ac; i++) {
      const v = a[k * ac + i];
      if (v === 0) continue;
      const ro = i * bc;
      const rb = k * bc;
      for (let j = 0; j < bc; j++) out[ro + j] += v * b[rb + j];
    }
  }
  return out;
}

function matMul(a: Float64Array, ar: number, ac: number, b: Float64Array, bc: number): Float64Array {
  const out = new Float64Array(ar * bc);
  for (let i = 0; i < ar; i++) {
    for (let k = 0; k < ac; k++) {
      const v = a[i * ac + k];
      if (v === 0) continue;
      const ro = i * bc;
      const rb = k * bc;
      for (let j = 0; j < bc; j++) out[ro + j] += v * b[rb + j];
    }
  }
  return out;
}

/**
 * Closed-form ridge regression of (transformed) targets on (transformed) windows, with an
 * unpenalised intercept, from the window moments. Returns the equivalent map on the raw
 * window, W_eff = M W + R, b, so prediction needs no knowledge of the transforms.
 */
export function fitLinearDirect(m: WindowMoments, options: LinearDirectOptions): LinearMap {
  const { n, p, h } = m;
  const F = options.featureMap?.features ?? p;
  const M = options.featureMap?.matrix;
  // Moments of the residual target y' = y - R^T x: Sxy' = Sxy - Sxx R, sy' = sy - R^T sx
  let sxy = m.sxy;
  let sy = m.sy;
  if (options.residual) {
    const R = options.residual;
    const sxxR = matMul(m.sxx, p, p, R, h);
    sxy = new Float64Array(p * h);
    for (let i = 0; i < p * h; i++) sxy[i] = m.sxy[i] - sxxR[i];
    const rtsx = matTMul(R, p, h, m.sx, 1);
    sy = new Float64Array(h);
    for (let j = 0; j < h; j++) sy[j] = m.sy[j] - rtsx[j];
  }
  // Feature moments: Sff = M^T Sxx M, Sfy = M^T Sxy', sf = M^T sx
  const sff = M ? matMul(matTMul(M, p, F, m.sxx, p), F, p, M, F) : m.sxx;
  const sfy = M ? matTMul(M, p, F, sxy, h) : sxy;
  const sf = M ? matTMul(M, p, F, m.sx, 1) : m.sx;
  // Centre: C_ff = Sff/n - mean_f mean_f^T, C_fy = Sfy/n - mean_f mean_y^T
  const cff = new Float64Array(F * F);
  const cfy = new Float64Array(F * h);
  let trace = 0;
  for (let i = 0; i < F; i++) {
    const mi = sf[i] / n;
    for (let j = 0; j < F; j++) cff[i * F + j] = sff[i * F + j] / n - mi * (sf[j] / n);
    for (let j = 0; j < h; j++) cfy[i * h + j] = sfy[i * h + j] / n - mi * (sy[j] / n);
    trace += cff[i * F + i];
  }
  const lambda = options.ridge > 0 ? (options.ridge * trace) / F : 0;
  const w = solveSpd(cff, F, cfy, h, lambda);
  // bias on the transformed problem: mean_y' - W^T mean_f
  const bias = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    let s = sy[j] / n;
    for (let i = 0; i < F; i++) s -= w[i * h + j] * (sf[i] / n);
    bias[j] = s;
  }
  const weight = M ? matMul(M, p, F, w, h) : w;
  if (options.residual) for (let i = 0; i < p * h; i++) weight[i] += options.residual[i];
  return { p, h, weight, bias };
}

/** Applies a linear map to one window (the last p values of `x`), writing h outputs. */
export function applyLinearMap(map: LinearMap, x: ArrayLike<number>, out: Float32Array, offset = 0): void {
  const { p, h, weight, bias } = map;
  const base = x.length - p;
  for (let j = 0; j < h; j++) out[offset + j] = bias[j];
  for (let i = 0; i < p; i++) {
    const v = x[base + i];
    const row = i * h;
    for (let j = 0; j < h; j++) out[offset + j] += v * weight[row + j];
  }
}

/**
 * A recursive forecast as one affine map: `map` applied in chunks of its h outputs, each
 * chunk's outputs becoming the newest inputs of the next, unrolled to `horizon` outputs
 * of the first p inputs (Float64). Classic-AR's (h = 1) multi-step forecast is such a map.
 */
export function unrollLinearMap(map: LinearMap, horizon: number): LinearMap {
  const { p, h } = map;
  // every buffered value is an affine function of the window: coefficients (p) and a constant
  const coef: Float64Array[] = [];
  const constant: number[] = [];
  for (let i = 0; i < p; i++) {
    const e = new Float64Array(p);
    e[i] = 1;
    coef.push(e);
    constant.push(0);
  }
  for (let done = 0; done < horizon; done += h) {
    for (let j = 0; j < h; j++) {
      const c = new Float64Array(p);
      let k = map.bias[j];
      for (let i = 0; i < p; i++) {
        const w = map.weight[i * h + j];
        if (w === 0) continue;
        const src = coef[done + i];
        for (let q = 0; q < p; q++) c[q] += w * src[q];
        k += w * constant[done + i];
      }
      coef.push(c);
      constant.push(k);
    }
  }
  const weight = new Float64Array(p * horizon);
  const bias = new Float64Array(horizon);
  for (let s = 0; s < horizon; s++) {
    const c = coef[p + s];
    for (let i = 0; i < p; i++) weight[i * horizon + s] = c[i];
    bias[s] = constant[p + s];
  }
  return { p, h: horizon, weight, bias };
}
