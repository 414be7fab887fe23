import { Rng } from '@seqcast/numeric';
import { normalQuantile } from '../normal-quantile';
import type { EtsFit } from './ets-fit';
import { class3Moments } from './ets-class3';
import { etsFilter, etsPointForecast, EtsSpec } from './ets-model';

/** Point forecasts and, per requested probability, quantile paths. */
export interface QuantileForecast {
  point: Float64Array;
  /** probability in (0, 1) -> values per step */
  quantiles: Map<number, Float64Array>;
}

/** c_j of Hyndman et al. (2008, Table 6.1): the weight of the error j steps back in an h-step forecast. */
function psiWeights(fit: EtsFit, horizon: number): Float64Array {
  const { alpha, beta, gamma, phi } = fit.par;
  const c = new Float64Array(horizon);
  let phiSum = 0;
  let pw = 1;
  for (let j = 1; j < horizon; j++) {
    pw *= phi;
    phiSum += fit.spec.damped ? pw : 1;
    c[j] =
      alpha +
      (fit.spec.trend !== 'N' ? beta * phiSum : 0) +
      (fit.spec.season !== 'N' && j % fit.spec.m === 0 ? gamma : 0);
  }
  return c;
}

/** Forecast variances in closed form: class 1 (linear models) and class 2 (multiplicative error, additive rest). */
function analyticVariance(fit: EtsFit, mu: Float64Array): Float64Array {
  const h = mu.length;
  const s2 = fit.sigma2;
  const c = psiWeights(fit, h);
  const v = new Float64Array(h);
  if (fit.spec.error === 'A') {
    let acc = 0;
    for (let i = 0; i < h; i++) {
      if (i > 0) acc += c[i] * c[i];
      v[i] = s2 * (1 + acc);
    }
    return v;
  }
  const theta = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    let s = 0;
    for (let j = 1; j <= i; j++) s += c[j] * c[j] * theta[i - j];
    theta[i] = mu[i] * mu[i] + s2 * s;
    v[i] = (1 + s2) * theta[i] - mu[i] * mu[i];
  }
  return v;
}

/**
 * Quantiles of sample paths of the fitted model from its last state (Gaussian errors of
 * variance sigma2), type-7 as R's quantile().
 */
function simulatedQuantiles(
  fit: EtsFit,
  horizon: number,
  probs: number[],
  paths: number,
  seed: number,
): Map<number, Float64Array> {
  const rng = new Rng(seed);
  const sd = Math.sqrt(fit.sigma2);
  const values = probs.map(() => new Float64Array(horizon));
  const draws: Float64Array[] = Array.from({ length: horizon }, () => new Float64Array(paths));
  const spec: EtsSpec = fit.spec;
  for (let p = 0; p < paths; p++) {
    let x = Float64Array.from(fit.last);
    for (let h = 0; h < horizon; h++) {
      const f = etsPointForecast(spec, fit.par, x, 1)[0];
      const e = sd * rng.normal();
      const y = spec.error === 'A' ? f + e : f * (1 + e);
      draws[h][p] = y;
      // the filter on this one observation gives the next state
      x = etsFilter(spec, fit.par, [y], x).last;
    }
  }
  for (let h = 0; h < horizon; h++) {
    const sorted = draws[h].sort();
    probs.forEach((q, k) => {
      // type-7 quantile, as R's quantile()
      const at = (paths - 1) * q;
      const lo = Math.floor(at);
      const hi = Math.min(lo + 1, paths - 1);
      values[k][h] = sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    });
  }
  return new Map(probs.map((q, k) => [q, values[k]]));
}

/**
 * Forecasts of a fitted ETS model as the forecast package makes them: point forecasts are
 * the forecast means, from the state recursion for classes 1 and 2 (where the two agree)
 * and from the class-3 moment recursions for multiplicative seasons; quantiles are normal
 * with the class's forecast variance. `simulate` draws sample paths instead (the package's
 * simulate = TRUE), e.g. to check the normal approximation.
 */
export function etsForecast(
  fit: EtsFit,
  horizon: number,
  probs: number[],
  options: { simulate?: boolean; paths?: number; seed?: number } = {},
): QuantileForecast {
  let point = etsPointForecast(fit.spec, fit.par, fit.last, horizon);
  let v: Float64Array | null;
  if (fit.spec.season === 'M') {
    const c3 = class3Moments(fit, horizon);
    point = c3.mu;
    v = c3.variance;
  } else v = analyticVariance(fit, point);
  if (options.simulate)
    return {
      point,
      quantiles: simulatedQuantiles(fit, horizon, probs, options.paths ?? 5000, options.seed ?? 1),
    };
  const quantiles = new Map<number, Float64Array>();
  for (const q of probs) {
    const z = normalQuantile(q);
    quantiles.set(
      q,
      Float64Array.from(point, (mu, i) => mu + z * Math.sqrt(v![i])),
    );
  }
  return { point, quantiles };
}
