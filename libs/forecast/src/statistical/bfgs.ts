/** What `bfgs` returns: the minimiser found, its value and how the search ended. */
export interface BfgsResult {
  x: Float64Array;
  value: number;
  /** 0: converged; 1: iteration limit reached. */
  code: 0 | 1;
  evaluations: number;
}

export interface BfgsOptions {
  /** Relative tolerance on the objective (R's optim `reltol`, default sqrt(machine epsilon)). */
  reltol?: number;
  /** Most iterations (gradient evaluations), R's `maxit` (default 100). */
  maxit?: number;
  /** Scale of each parameter (R's `parscale`): the search runs on x / parscale. */
  parscale?: ArrayLike<number>;
  /** Finite-difference step on the scaled parameters (R's `ndeps`, default 1e-3). */
  ndeps?: number;
}

/** Thrown when a finite-difference gradient meets a non-finite objective value, as optim errs. */
export class NonFiniteGradient extends Error {}

const STEP_REDUCTION = 0.2;
const ACCEPT_TOLERANCE = 1e-4;
const REL_TEST = 10;

/**
 * Central-difference gradient of `f` on the scaled parameters `b` (the search's own
 * coordinates), as optim's numerical gradient: step `ndeps` on each scaled coordinate.
 */
function scaledGradient(
  f: (x: Float64Array) => number,
  b: Float64Array,
  scale: Float64Array,
  eps: number,
  out: Float64Array,
  x: Float64Array,
): void {
  for (let i = 0; i < b.length; i++) x[i] = b[i] * scale[i];
  for (let i = 0; i < b.length; i++) {
    x[i] = (b[i] + eps) * scale[i];
    const up = f(x);
    x[i] = (b[i] - eps) * scale[i];
    const down = f(x);
    x[i] = b[i] * scale[i];
    const d = (up - down) / (2 * eps);
    if (!Number.isFinite(d)) throw new NonFiniteGradient(`non-finite finite-difference value [${i + 1}]`);
    out[i] = d;
  }
}

/**
 * Quasi-Newton minimiser: R's optim method "BFGS" (Nash's variable metric algorithm,
 * `vmmin`), with optim's central-difference gradients. The same schedule as the reference
 * matters for ARIMA: the numerical gradient's step is not small, so a different line search
 * or stopping rule ends at a measurably different point of a flat likelihood.
 */
export function bfgs(
  fn: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: BfgsOptions = {},
): BfgsResult {
  const n = start.length;
  const reltol = options.reltol ?? 1.4901161193847656e-8;
  const maxit = options.maxit ?? 100;
  const eps = options.ndeps ?? 1e-3;
  const scale = Float64Array.from({ length: n }, (_, i) => options.parscale?.[i] ?? 1);
  const work = new Float64Array(n);
  let evaluations = 0;
  const f = (x: Float64Array) => {
    evaluations++;
    return fn(x);
  };
  const fScaled = (b: Float64Array) => {
    for (let i = 0; i < n; i++) work[i] = b[i] * scale[i];
    return f(work);
  };
  const b = Float64Array.from({ length: n }, (_, i) => start[i] / scale[i]);
  const unscaled = () => Float64Array.from(b, (v, i) => v * scale[i]);
  if (maxit <= 0 || n === 0) return { x: unscaled(), value: fScaled(b), code: 0, evaluations };

  const g = new Float64Array(n);
  const t = new Float64Array(n);
  const X = new Float64Array(n);
  const c = new Float64Array(n);
  const B = Array.from({ length: n }, () => new Float64Array(n));
  let fmin = fScaled(b);
  if (!Number.isFinite(fmin)) throw new NonFiniteGradient("initial value in 'vmmin' is not finite");
  scaledGradient(f, b, scale, eps, g, work);
  let gradcount = 1;
  let iter = 1;
  let ilast = gradcount;
  let count = 0;
  do {
    if (ilast === gradcount)
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) B[i][j] = i === j ? 1 : 0;
    X.set(b);
    c.set(g);
    let gradproj = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s -= B[i][j] * g[j];
      for (let j = i + 1; j < n; j++) s -= B[j][i] * g[j];
      t[i] = s;
      gradproj += s * g[i];
    }
    if (gradproj < 0) {
      let steplength = 1;
      let accpoint = false;
      let value = fmin;
      do {
        count = 0;
        for (let i = 0; i < n; i++) {
          b[i] = X[i] + steplength * t[i];
          if (REL_TEST + X[i] === REL_TEST + b[i]) count++;
        }
        if (count < n) {
          value = fScaled(b);
          accpoint = Number.isFinite(value) && value <= fmin + gradproj * steplength * ACCEPT_TOLERANCE;
          if (!accpoint) steplength *= STEP_REDUCTION;
        }
      } while (!(count === n || accpoint));
      const enough = Math.abs(value - fmin) > reltol * (Math.abs(fmin) + reltol);
      if (!enough) {
        count = n;
        fmin = value;
      }
      if (count < n) {
        fmin = value;
        scaledGradient(f, b, scale, eps, g, work);
        gradcount++;
        iter++;
        let d1 = 0;
        for (let i = 0; i < n; i++) {
          t[i] *= steplength;
          c[i] = g[i] - c[i];
          d1 += t[i] * c[i];
        }
        if (d1 > 0) {
          let d2 = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j <= i; j++) s += B[i][j] * c[j];
            for (let j = i + 1; j < n; j++) s += B[j][i] * c[j];
            X[i] = s;
            d2 += s * c[i];
          }
          d2 = 1 + d2 / d1;
          for (let i = 0; i < n; i++)
            for (let j = 0; j <= i; j++) B[i][j] += (d2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / d1;
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      // uphill: restart from the identity unless that was just done
      count = 0;
      if (ilast === gradcount) count = n;
      else ilast = gradcount;
    }
    if (iter >= maxit) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count !== n || ilast !== gradcount);
  return { x: unscaled(), value: fmin, code: iter < maxit ? 0 : 1, evaluations };
}

/**
 * Hessian by central differences of the numerical gradient (R's `optimHess`, which optim's
 * `hessian = TRUE` calls), symmetrised; steps `ndeps` on the scaled parameters.
 */
export function numericalHessian(
  fn: (x: Float64Array) => number,
  at: ArrayLike<number>,
  options: Pick<BfgsOptions, 'parscale' | 'ndeps'> = {},
): Float64Array[] {
  const n = at.length;
  const eps = options.ndeps ?? 1e-3;
  const scale = Float64Array.from({ length: n }, (_, i) => options.parscale?.[i] ?? 1);
  const b = Float64Array.from({ length: n }, (_, i) => at[i] / scale[i]);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const work = new Float64Array(n);
  const h = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const step = eps / scale[i];
    b[i] += step;
    scaledGradient(fn, b, scale, eps, up, work);
    b[i] -= 2 * step;
    scaledGradient(fn, b, scale, eps, down, work);
    b[i] += step;
    for (let j = 0; j < n; j++) h[i][j] = (up[j] - down[j]) / (2 * step * scale[i] * scale[j]);
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const s = (h[i][j] + h[j][i]) / 2;
      h[i][j] = s;
      h[j][i] = s;
    }
  return h;
}
