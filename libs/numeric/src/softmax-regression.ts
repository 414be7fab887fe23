import { solveSpd } from './least-squares';

/**
 * Multinomial logistic (softmax) regression by Newton's method with an L2 penalty: the
 * small, exact reference classifier the benches fit beside the neural models (is a target
 * predictable from these features at all?). The last class is the reference (its weights
 * are 0), so the K - 1 free weight columns are identifiable and the penalised Hessian is
 * positive definite.
 *
 * Minimises  -sum_n log p(y_n | x_n) + l2 / 2 * sum of the squared penalised weights,
 * p(k | x) = exp(x w_k) / sum_j exp(x w_j).
 */
export interface SoftmaxRegression {
  /** Feature count D and class count K. */
  features: number;
  classes: number;
  /** [K - 1, D] row-major: class k's weights at k * D. */
  weights: Float64Array;
  /** Newton steps taken and whether the Newton decrement fell below the tolerance. */
  iterations: number;
  converged: boolean;
  /** The penalised objective at the solution, per row. */
  objective: number;
}

export interface SoftmaxRegressionOptions {
  /** L2 penalty on every weight except the unpenalised columns (default 1). */
  l2?: number;
  /** Feature columns left out of the penalty (an intercept column, say). */
  unpenalized?: number[];
  maxIterations?: number;
  /** Stop when half the Newton decrement is below tol * (1 + objective). */
  tol?: number;
}

/** Row-wise class probabilities [rows, K] of `x` [rows, D] under weights [K - 1, D]. */
export function softmaxProbabilities(
  weights: Float64Array,
  x: Float64Array,
  rows: number,
  features: number,
  classes: number,
): Float64Array {
  const out = new Float64Array(rows * classes);
  for (let n = 0; n < rows; n++) {
    const row = n * features;
    const o = n * classes;
    let max = 0; // the reference class's logit
    for (let k = 0; k < classes - 1; k++) {
      let z = 0;
      for (let d = 0; d < features; d++) z += x[row + d] * weights[k * features + d];
      out[o + k] = z;
      if (z > max) max = z;
    }
    out[o + classes - 1] = 0;
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const e = Math.exp(out[o + k] - max);
      out[o + k] = e;
      sum += e;
    }
    for (let k = 0; k < classes; k++) out[o + k] /= sum;
  }
  return out;
}

function objective(
  w: Float64Array,
  penalty: Float64Array,
  x: Float64Array,
  y: ArrayLike<number>,
  rows: number,
  D: number,
  K: number,
): { value: number; p: Float64Array } {
  const p = softmaxProbabilities(w, x, rows, D, K);
  let value = 0;
  for (let n = 0; n < rows; n++) value -= Math.log(Math.max(p[n * K + y[n]], 1e-300));
  for (let i = 0; i < w.length; i++) value += 0.5 * penalty[i] * w[i] * w[i];
  return { value, p };
}

/** Fits the regression of class ids `y` (0..classes-1) on `x` [rows, features], row-major. */
export function fitSoftmaxRegression(
  x: Float64Array,
  rows: number,
  features: number,
  y: ArrayLike<number>,
  classes: number,
  options: SoftmaxRegressionOptions = {},
): SoftmaxRegression {
  const D = features;
  const K = classes;
  const M = K - 1;
  const P = M * D;
  const l2 = options.l2 ?? 1;
  const tol = options.tol ?? 1e-12;
  const maxIterations = options.maxIterations ?? 100;
  // the unpenalised columns get a vanishing ridge: a class absent from y sends its intercept
  // to -infinity, and the step must stay solvable on the way
  const free = new Set(options.unpenalized ?? []);
  const penalty = Float64Array.from({ length: P }, (_, i) => (free.has(i % D) ? 1e-10 * rows : l2));
  let w = new Float64Array(P);
  let cur = objective(w, penalty, x, y, rows, D, K);
  let iterations = 0;
  let converged = false;
  const g = new Float64Array(P);
  const h = new Float64Array(P * P);
  while (iterations < maxIterations) {
    iterations++;
    g.fill(0);
    h.fill(0);
    const p = cur.p;
    for (let n = 0; n < rows; n++) {
      const row = n * D;
      for (let k = 0; k < M; k++) {
        const pk = p[n * K + k];
        const r = pk - (y[n] === k ? 1 : 0);
        for (let d = 0; d < D; d++) g[k * D + d] += r * x[row + d];
        // d^2 / dw_k dw_l = x x^T p_k (delta_kl - p_l); the upper triangle of blocks, mirrored below
        for (let l = k; l < M; l++) {
          const c = pk * ((k === l ? 1 : 0) - p[n * K + l]);
          if (c === 0) continue;
          for (let a = 0; a < D; a++) {
            const xa = c * x[row + a];
            if (xa === 0) continue;
            const base = (k * D + a) * P + l * D;
            for (let b = 0; b < D; b++) h[base + b] += xa * x[row + b];
          }
        }
      }
    }
    for (let i = 0; i < P; i++) {
      g[i] += penalty[i] * w[i];
      h[i * P + i] += penalty[i];
    }
    for (let k = 0; k < M; k++)
      for (let l = k + 1; l < M; l++)
        for (let a = 0; a < D; a++)
          for (let b = 0; b < D; b++) h[(l * D + b) * P + k * D + a] = h[(k * D + a) * P + l * D + b];
    const step = solveSpd(h, P, g, 1);
    let decrement = 0;
    for (let i = 0; i < P; i++) decrement += g[i] * step[i];
    if (decrement / 2 < tol * (1 + Math.abs(cur.value))) {
      converged = true;
      break;
    }
    // damped Newton: halve the step until the objective falls (it always does near the optimum)
    let t = 1;
    for (;;) {
      const next = Float64Array.from(w, (v, i) => v - t * step[i]);
      const trial = objective(next, penalty, x, y, rows, D, K);
      if (trial.value <= cur.value || t < 1e-8) {
        w = next;
        cur = trial;
        break;
      }
      t /= 2;
    }
  }
  return { features: D, classes: K, weights: w, iterations, converged, objective: cur.value / rows };
}
