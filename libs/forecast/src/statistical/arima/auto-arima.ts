import { rootsWithin } from '../polynomial-stability';
import { ArimaModel, withCriteria } from './arima-criteria';
import { ArimaConstant, fitArima } from './arima-fit';
import { ArimaOrder, difference } from './arima-order';
import { ndiffs, nsdiffs } from './differencing-tests';

export type ArimaCriterion = 'aicc' | 'aic' | 'bic';

export interface AutoArimaOptions {
  /** Season length (1: non-seasonal). */
  m: number;
  /** Fixed number of differences (null: chosen by KPSS tests). */
  d?: number | null;
  /** Fixed number of seasonal differences (null: chosen by the seasonal strength test). */
  D?: number | null;
  maxP?: number;
  maxQ?: number;
  maxSeasonalP?: number;
  maxSeasonalQ?: number;
  ic?: ArimaCriterion;
  /** CSS fits during the search (default: n > 150 or m > 12, as auto.arima). */
  approximation?: boolean;
  allowDrift?: boolean;
  allowMean?: boolean;
  /** Most models the stepwise search fits (auto.arima's nmodels). */
  maxModels?: number;
}

/**
 * The model chosen and the search's record of every fit (order, constant, criterion; a
 * criterion that never had to be compared is left unchecked by `checkarima`).
 */
export interface AutoArimaResult {
  model: ArimaModel;
  tried: Array<{ order: ArimaOrder; constant: boolean; ic: number }>;
}

/**
 * A candidate fitted by auto.arima's `myarima`: criterion Inf when the fit fails or is near a
 * unit root. The variance check (`checkarima`, which also makes the criterion Inf) is left
 * to `settle`, called only where the criterion's value matters.
 */
function candidate(
  y: Float64Array,
  order: ArimaOrder,
  constant: boolean,
  ic: ArimaCriterion,
  approximation: boolean,
  offset: number,
): { model: ArimaModel | null; ic: number } {
  const nd = order.d + order.D;
  const term: ArimaConstant = constant ? (nd === 0 ? 'mean' : nd === 1 ? 'drift' : null) : null;
  let model: ArimaModel;
  try {
    model = withCriteria(fitArima(y, order, term, approximation ? 'CSS' : 'CSS-ML'), offset);
  } catch {
    return { model: null, ic: Infinity };
  }
  let value = ic === 'aic' ? model.aic : ic === 'bic' ? model.bic : model.aicc;
  if (Number.isNaN(value)) value = Infinity;
  // roots of the AR and MA polynomials within 1.01 of the unit circle, or a variance matrix
  // with NaN on its diagonal, rule the model out
  const nearUnitRoot = (poly: Float64Array, sign: number) => {
    let last = poly.length;
    while (last > 0 && !(Math.abs(poly[last - 1]) > 1e-8)) last--;
    if (last === 0) return false;
    // z^k c(1/z) for c(z) = 1 + sign (poly_1 z + ...): its roots are c's reciprocals
    const reversed = new Float64Array(last + 1);
    for (let i = 0; i < last; i++) reversed[i] = sign * poly[last - 1 - i];
    reversed[last] = 1;
    return !rootsWithin(reversed, 1 / 1.01);
  };
  if (order.p + order.P > 0 && nearUnitRoot(model.phi, -1)) value = Infinity;
  if (order.q + order.Q > 0 && nearUnitRoot(model.theta, 1)) value = Infinity;
  return { model, ic: value };
}

/** The candidate's criterion after forecast's `checkarima` (Inf when the variance matrix has NaN). */
function settle(c: { model: ArimaModel | null; ic: number }): number {
  if (c.ic < Infinity && c.model && !c.model.varianceOk()) c.ic = Infinity;
  return c.ic;
}

/** forecast's auto.arima answer when the differenced series is constant: the model with no ARMA part. */
function constantDifferences(y: Float64Array, d: number, D: number, m: number, dx: Float64Array): ArimaModel {
  const order: ArimaOrder = { p: 0, d, q: 0, P: 0, D, Q: 0, m };
  const mean = dx.reduce((s, v) => s + v, 0) / dx.length;
  if (D > 0 && d === 0) return withCriteria(fitArima(y, order, 'drift', 'CSS-ML', mean / m));
  if (d + D >= 2) return withCriteria(fitArima(y, order, null));
  return withCriteria(fitArima(y, order, d === 0 ? 'mean' : 'drift', 'CSS-ML', mean));
}

/**
 * Automatic ARIMA by the forecast package's `auto.arima` with its defaults (Hyndman &
 * Khandakar 2008; forecast 8.20): d by repeated KPSS tests, D by the seasonal strength test
 * (strength above 0.64), then the stepwise search over p, q, P, Q from the four standard
 * models (p, q, P, Q at most 2, 2, 1, 1; white noise; AR(1)(1); MA(1)(1); white noise
 * without constant), moving to the first neighbour (P or Q +-1, both; p or q +-1, both; the
 * constant toggled) that improves the criterion, until none does. Drift is allowed when
 * d + D = 1 and a mean when d + D = 0. Long series (n > 150 or m > 12) are searched with
 * CSS fits and the criterion offset auto.arima uses, then the best candidates in criterion
 * order are refitted by exact likelihood until one fits. Not supported: xreg, Box-Cox,
 * missing values inside the series (the CSS and KPSS steps need whole series here).
 */
export function autoArima(series: ArrayLike<number>, options: AutoArimaOptions): AutoArimaResult {
  let first = 0;
  while (first < series.length && Number.isNaN(series[first])) first++;
  const y = Float64Array.from(series).subarray(first);
  if (y.length === 0) throw new Error('all data are missing');
  const n = y.length;
  const isConstant = y.every((v) => v === y[0]);
  const m = Math.max(1, Math.round(options.m));
  let ic = options.ic ?? 'aicc';
  if (isConstant) {
    const order: ArimaOrder = { p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, m };
    const model = withCriteria(fitArima(y, order, 'mean', 'CSS-ML', y[0]));
    return { model, tried: [] };
  }
  let maxp = Math.min(options.maxP ?? 5, Math.floor(n / 3));
  let maxq = Math.min(options.maxQ ?? 5, Math.floor(n / 3));
  let maxP = Math.min(options.maxSeasonalP ?? 2, Math.floor(n / 3 / m));
  let maxQ = Math.min(options.maxSeasonalQ ?? 2, Math.floor(n / 3 / m));
  if (n <= 3) ic = 'aic';
  let D = options.D ?? null;
  if (m === 1) {
    D = 0;
    maxP = 0;
    maxQ = 0;
  } else if (D === null && n <= 2 * m) D = 0;
  else if (D === null) D = nsdiffs(y, m);
  let dx = D > 0 ? difference(y, 0, D, m) : y;
  let d = options.d ?? ndiffs(dx);
  if (d > 0 && difference(dx, d, 0, 1).length === 0) d--;
  if (d > 0) dx = difference(dx, d, 0, 1);
  if (dx.length === 0) throw new Error('not enough data to proceed');
  if (dx.every((v) => v === dx[0])) return { model: constantDifferences(y, d, D, m, dx), tried: [] };
  if (m > 1) {
    if (maxP > 0) maxp = Math.min(maxp, m - 1);
    if (maxQ > 0) maxq = Math.min(maxq, m - 1);
  }
  const approximation = options.approximation ?? (n > 150 || m > 12);
  let offset = 0;
  if (approximation) {
    try {
      const base = fitArima(y, { p: 0, d, q: 0, P: 0, D, Q: 0, m }, d + D === 0 ? 'mean' : null);
      offset = -2 * base.loglik - n * Math.log(base.sigma2);
    } catch {
      offset = 0;
    }
  }
  const allowDrift = (options.allowDrift ?? true) && d + D === 1;
  const allowMean = (options.allowMean ?? true) && d + D === 0;
  let constant = allowDrift || allowMean;
  const maxModels = options.maxModels ?? 94;

  type Candidate = ReturnType<typeof candidate>;
  const tried: Array<{ order: ArimaOrder; constant: boolean; result: Candidate }> = [];
  const order = (p: number, q: number, P: number, Q: number): ArimaOrder => ({ p, d, q, P, D, Q, m });
  const seen = (o: ArimaOrder, c: boolean) =>
    tried.some(
      (t) =>
        t.order.p === o.p && t.order.q === o.q && t.order.P === o.P && t.order.Q === o.Q && t.constant === c,
    );
  const fit = (o: ArimaOrder, c: boolean) => {
    const r = candidate(y, o, c, ic, approximation, offset);
    tried.push({ order: o, constant: c, result: r });
    return r;
  };
  // R compares every candidate's checked criterion with the best's; an unchecked one that is
  // not below the best cannot win either way, so only the winners are checked
  const beats = (c: Candidate, best: Candidate) => c.ic < best.ic && settle(c) < best.ic;

  const start = n < 10 ? { p: 1, q: 1, P: 0, Q: 0 } : { p: 2, q: 2, P: 1, Q: 1 };
  let p = Math.min(start.p, maxp);
  let q = Math.min(start.q, maxq);
  let P = Math.min(start.P, maxP);
  let Q = Math.min(start.Q, maxQ);
  let best = fit(order(p, q, P, Q), constant);
  settle(best);
  let next = fit(order(0, 0, 0, 0), constant);
  if (beats(next, best)) {
    best = next;
    p = q = P = Q = 0;
  }
  if (maxp > 0 || maxP > 0) {
    const o = order(maxp > 0 ? 1 : 0, 0, m > 1 && maxP > 0 ? 1 : 0, 0);
    next = fit(o, constant);
    if (beats(next, best)) {
      best = next;
      ({ p, P } = o);
      q = Q = 0;
    }
  }
  if (maxq > 0 || maxQ > 0) {
    const o = order(0, maxq > 0 ? 1 : 0, 0, m > 1 && maxQ > 0 ? 1 : 0);
    next = fit(o, constant);
    if (beats(next, best)) {
      best = next;
      ({ q, Q } = o);
      p = P = 0;
    }
  }
  if (constant) {
    next = fit(order(0, 0, 0, 0), false);
    // auto.arima keeps searching with the constant here even when this model wins (forecast 8.20)
    if (beats(next, best)) {
      best = next;
      p = q = P = Q = 0;
    }
  }

  // the neighbours in auto.arima's order: [dp, dq, dP, dQ]
  const moves: Array<[number, number, number, number]> = [
    [0, 0, -1, 0],
    [0, 0, 0, -1],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
    [0, 0, -1, -1],
    [0, 0, -1, 1],
    [0, 0, 1, -1],
    [0, 0, 1, 1],
    [-1, 0, 0, 0],
    [0, -1, 0, 0],
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [-1, -1, 0, 0],
    [-1, 1, 0, 0],
    [1, -1, 0, 0],
    [1, 1, 0, 0],
  ];
  const within = (v: number, max: number) => v >= 0 && v <= max;
  let startCount = -1;
  while (startCount < tried.length && tried.length < maxModels) {
    startCount = tried.length;
    let improved = false;
    for (const [dp, dq, dP, dQ] of moves) {
      const o = order(p + dp, q + dq, P + dP, Q + dQ);
      if (!within(o.p, maxp) || !within(o.q, maxq) || !within(o.P, maxP) || !within(o.Q, maxQ)) continue;
      if (seen(o, constant)) continue;
      if (tried.length >= maxModels) break;
      next = fit(o, constant);
      if (beats(next, best)) {
        best = next;
        ({ p, q, P, Q } = o);
        improved = true;
        break;
      }
    }
    if (improved) continue;
    if ((allowDrift || allowMean) && !seen(order(p, q, P, Q), !constant) && tried.length < maxModels) {
      next = fit(order(p, q, P, Q), !constant);
      if (beats(next, best)) {
        best = next;
        constant = !constant;
      }
    }
  }

  if (approximation && best.model) {
    // exact refits in criterion order (a stable sort, as R's order()) until one succeeds
    const ranked = tried
      .map((t, i) => ({ ...t, ic: settle(t.result), i }))
      .sort((a, b) => a.ic - b.ic || a.i - b.i);
    for (const t of ranked) {
      const r = candidate(y, t.order, t.constant, ic, false, 0);
      if (settle(r) < Infinity) {
        best = r;
        break;
      }
    }
  }
  if (!best.model || best.ic === Infinity) throw new Error('no suitable ARIMA model found');
  return {
    model: best.model,
    tried: tried.map((t) => ({ order: t.order, constant: t.constant, ic: t.result.ic })),
  };
}
