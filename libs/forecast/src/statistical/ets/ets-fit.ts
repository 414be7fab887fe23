import { nelderMead } from '../nelder-mead';
import { parametersAllowed } from './ets-admissible';
import { initialParams, initialStates } from './ets-init';
import { etsFilter, EtsParams, EtsSpec, stateLength } from './ets-model';

/** A fitted ETS model: parameters, initial and last states, and its information criteria. */
export interface EtsFit {
  spec: EtsSpec;
  par: EtsParams;
  /** Full initial state (the implied last seasonal state included). */
  initial: Float64Array;
  last: Float64Array;
  /** -2 log-likelihood without the constant (the forecast package's `lik`). */
  lik: number;
  /** Free parameters counted by the criteria: smoothing parameters, initial states, sigma. */
  np: number;
  n: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Residual variance: sum of squared errors / (n - optimised parameters), as the forecast package reports it. */
  sigma2: number;
  mse: number;
  residuals: Float64Array;
  fitted: Float64Array;
}

export type EtsCriterion = 'lik' | 'mse';

/**
 * Splits the optimiser's vector into parameters and a full initial state, into `into` when
 * given (the objective reuses one pair across its thousands of evaluations).
 */
export function unpack(
  spec: EtsSpec,
  v: ArrayLike<number>,
  into?: { par: EtsParams; initial: Float64Array },
): { par: EtsParams; initial: Float64Array } {
  let k = 0;
  const par = into?.par ?? { alpha: 0, beta: 0, gamma: 0, phi: 1 };
  par.alpha = v[k++];
  par.beta = spec.trend !== 'N' ? v[k++] : 0;
  par.gamma = spec.season !== 'N' ? v[k++] : 0;
  par.phi = spec.damped ? v[k++] : 1;
  const initial = into?.initial ?? new Float64Array(stateLength(spec));
  const free = initial.length - (spec.season !== 'N' ? 1 : 0);
  for (let i = 0; i < free; i++) initial[i] = v[k++];
  if (spec.season !== 'N') {
    const j0 = spec.trend !== 'N' ? 2 : 1;
    let s = 0;
    for (let j = j0; j < initial.length - 1; j++) s += initial[j];
    initial[initial.length - 1] = (spec.season === 'M' ? spec.m : 0) - s;
  }
  return { par, initial };
}

function objective(spec: EtsSpec, y: ArrayLike<number>, criterion: EtsCriterion) {
  // one set of buffers for every evaluation: the optimiser makes up to 2,000 of them
  const scratch = {
    par: { alpha: 0, beta: 0, gamma: 0, phi: 1 },
    initial: new Float64Array(stateLength(spec)),
  };
  const ring = new Float64Array(spec.m);
  return (v: Float64Array): number => {
    const { par, initial } = unpack(spec, v, scratch);
    if (!parametersAllowed(spec, par)) return Infinity;
    if (spec.season === 'M') {
      const j0 = spec.trend !== 'N' ? 2 : 1;
      for (let j = j0; j < initial.length; j++) if (initial[j] < 0) return Infinity;
    }
    const r = etsFilter(spec, par, y, initial, false, ring);
    const value = criterion === 'lik' ? r.lik : r.mse;
    if (!Number.isFinite(value)) return Infinity;
    return Math.max(value, -1e10);
  };
}

/** Evaluates a model at given parameters and initial state: criteria, residuals, last state. */
export function evaluateEts(
  spec: EtsSpec,
  y: ArrayLike<number>,
  par: EtsParams,
  initial: Float64Array,
  np: number,
): EtsFit {
  const n = y.length;
  const r = etsFilter(spec, par, y, initial);
  const aic = r.lik + 2 * np;
  let sse = 0;
  for (const e of r.residuals) sse += e * e;
  return {
    spec,
    par,
    initial,
    last: r.last,
    lik: r.lik,
    np,
    n,
    aic,
    aicc: aic + (2 * np * (np + 1)) / (n - np - 1),
    bic: r.lik + Math.log(n) * np,
    // the package divides by n minus the optimised parameters (np counts sigma too)
    sigma2: sse / (n - (np - 1)),
    mse: r.mse,
    residuals: r.residuals,
    fitted: r.fitted,
  };
}

/**
 * Fits one ETS model by maximum likelihood (or least squares, 'mse') over smoothing
 * parameters and initial states jointly, from the forecast package's starting point, with
 * the Nelder-Mead variant R uses (2,000 evaluations at most). Null when no admissible
 * parameters give a finite likelihood.
 */
export function fitEts(
  y: ArrayLike<number>,
  spec: EtsSpec,
  options: { criterion?: EtsCriterion; maxEvaluations?: number } = {},
): EtsFit | null {
  const start = [...initialParams(spec), ...initialStates(y, spec)];
  // the package's data-size rule: at least two more values than parameters
  if (start.length >= y.length - 1) return null;
  const best = nelderMead(objective(spec, y, options.criterion ?? 'lik'), start, {
    maxEvaluations: options.maxEvaluations ?? 2000,
  });
  if (!Number.isFinite(best.value) || best.value >= 1e35) return null;
  const { par, initial } = unpack(spec, best.x);
  const fit = evaluateEts(spec, y, par, initial, best.x.length + 1);
  return Number.isFinite(fit.lik) ? fit : null;
}
