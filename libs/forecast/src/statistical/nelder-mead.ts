/** What `nelderMead` returns: the best vertex, its value and how the search ended. */
export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  evaluations: number;
  /** 0: converged; 1: evaluation budget spent; 10: the simplex stopped shrinking. */
  code: 0 | 1 | 10;
}

export interface NelderMeadOptions {
  /** Relative tolerance on the spread of the simplex' values (R's optim `reltol`). */
  reltol?: number;
  /** Stop once the best value falls below this (R's `abstol`). */
  abstol?: number;
  /** Most objective evaluations. */
  maxEvaluations?: number;
}

/** Stands in for values the objective cannot give (non-finite), as R's optim does. */
const BIG = 1e35;

/**
 * Nelder-Mead simplex minimiser following the variant of Nash's "Compact Numerical Methods"
 * that R's `optim` (and, through it, the `forecast` package's ets) uses: initial steps of a
 * tenth of the largest coordinate, reflection 1, contraction 0.5, expansion 2, convergence
 * when the simplex' values spread by less than reltol x (|f0| + reltol). Using the same
 * variant as the reference matters here: ETS likelihoods are flat in the initial states,
 * and a different simplex schedule stops at a visibly different point on that plateau.
 */
export function nelderMead(
  fn: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const reltol = options.reltol ?? Math.sqrt(2.220446e-16);
  const abstol = options.abstol ?? -Infinity;
  const maxit = options.maxEvaluations ?? 500;
  const n = start.length;
  const value = (x: Float64Array) => {
    const f = fn(x);
    return Number.isFinite(f) ? f : BIG;
  };
  const b = Float64Array.from(start);
  if (n === 0) return { x: b, value: value(b), evaluations: 1, code: 0 };
  const f = value(b);
  let evaluations = 1;
  const convtol = reltol * (Math.abs(f) + reltol);
  // vertices as rows, values beside them
  const P: Float64Array[] = [Float64Array.from(b)];
  const V: number[] = [f];
  let step = 0;
  for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(b[i]));
  if (step === 0) step = 0.1;
  let size = 0;
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from(b);
    let trystep = step;
    while (v[j] === b[j]) {
      v[j] = b[j] + trystep;
      trystep *= 10;
    }
    size += trystep;
    P.push(v);
    V.push(NaN);
  }
  let oldsize = size;
  let L = 0;
  let calcvert = true;
  let code: NelderMeadResult['code'] = 0;
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const reflected = new Float64Array(n);
  for (;;) {
    if (calcvert) {
      for (let j = 0; j <= n; j++) {
        if (j === L) continue;
        V[j] = value(P[j]);
        evaluations++;
      }
      calcvert = false;
    }
    let VL = V[L];
    let VH = VL;
    let H = L;
    for (let j = 0; j <= n; j++) {
      if (j === L) continue;
      if (V[j] < VL) {
        L = j;
        VL = V[j];
      }
      if (V[j] > VH) {
        H = j;
        VH = V[j];
      }
    }
    if (VH <= VL + convtol || VL <= abstol) break;
    for (let i = 0; i < n; i++) {
      let s = -P[H][i];
      for (let j = 0; j <= n; j++) s += P[j][i];
      centroid[i] = s / n;
    }
    for (let i = 0; i < n; i++) trial[i] = 2 * centroid[i] - P[H][i];
    const VR = value(trial);
    evaluations++;
    if (VR < VL) {
      // expansion: 2 x the reflection's step from the centroid
      reflected.set(trial);
      for (let i = 0; i < n; i++) trial[i] = 2 * reflected[i] - centroid[i];
      const VE = value(trial);
      evaluations++;
      // vertices are overwritten in place: an iteration allocates nothing
      if (VE < VR) {
        P[H].set(trial);
        V[H] = VE;
      } else {
        P[H].set(reflected);
        V[H] = VR;
      }
    } else {
      if (VR < VH) {
        P[H].set(trial);
        V[H] = VR;
      }
      for (let i = 0; i < n; i++) trial[i] = 0.5 * P[H][i] + 0.5 * centroid[i];
      const VC = value(trial);
      evaluations++;
      if (VC < V[H]) {
        P[H].set(trial);
        V[H] = VC;
      } else if (VR >= VH) {
        // shrink towards the best vertex
        calcvert = true;
        size = 0;
        for (let j = 0; j <= n; j++) {
          if (j === L) continue;
          for (let i = 0; i < n; i++) {
            P[j][i] = 0.5 * (P[j][i] - P[L][i]) + P[L][i];
            size += Math.abs(P[j][i] - P[L][i]);
          }
        }
        if (size < oldsize) oldsize = size;
        else {
          code = 10;
          break;
        }
      }
    }
    if (evaluations > maxit) {
      code = 1;
      break;
    }
  }
  return { x: Float64Array.from(P[L]), value: V[L], evaluations, code };
}
