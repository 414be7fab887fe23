import { maxRelative, R_REFERENCE, REtsEntry, specOf } from '../testdata/r-reference';
import { autoEts } from './ets-auto';
import { evaluateEts, fitEts } from './ets-fit';
import { etsForecast } from './ets-forecast';
import { etsName } from './ets-model';

// Truth from outside: R's forecast package (bench/r/forecast-reference.R wrote the fixture)
// on R's own datasets. Probabilities of the 80% and 95% intervals.
const PROBS = [0.025, 0.1, 0.9, 0.975];
const H = R_REFERENCE.horizon;
const datasets = Object.entries(R_REFERENCE.datasets);

function parOf(e: REtsEntry) {
  return { alpha: e.alpha[0], beta: e.beta[0] ?? 0, gamma: e.gamma[0] ?? 0, phi: e.phi[0] ?? 1 };
}

/** Optimised parameters + sigma, as R counts them. */
function npOf(e: REtsEntry): number {
  const smoothing = 1 + (e.trend !== 'N' ? 1 : 0) + (e.season !== 'N' ? 1 : 0) + (e.damped ? 1 : 0);
  return smoothing + e.initstate.length - (e.season !== 'N' ? 1 : 0) + 1;
}

/**
 * Intervals: qnorm here is Acklam's approximation (relative error 1.2e-9 in z, more in a
 * bound near 0), hence 1e-6. Models with an additive season and no trend (ANA, MNA) differ
 * from R's by up to 6e-5: R's class1 puts gamma on state 3 whatever the trend (G[3, 1]),
 * which without a growth state is the second seasonal state, so its c_j take gamma at
 * j = m - 1, 2m - 1, ... where Hyndman et al. (2008, Table 6.1) and this code take it at
 * j = m, 2m, ...; their point forecasts and likelihoods agree exactly.
 */
const intervalTolerance = (e: REtsEntry) => (e.season === 'A' && e.trend === 'N' ? 1e-4 : 1e-6);

function expectForecastsLike(
  f: ReturnType<typeof etsForecast>,
  e: REtsEntry,
  tol: number,
  intervalTol = intervalTolerance(e),
) {
  expect(maxRelative(f.point, e.mean)).toBeLessThan(tol);
  expect(maxRelative(f.quantiles.get(0.1)!, e.lo80)).toBeLessThan(intervalTol);
  expect(maxRelative(f.quantiles.get(0.9)!, e.hi80)).toBeLessThan(intervalTol);
  expect(maxRelative(f.quantiles.get(0.025)!, e.lo95)).toBeLessThan(intervalTol);
  expect(maxRelative(f.quantiles.get(0.975)!, e.hi95)).toBeLessThan(intervalTol);
}

describe('ETS against R forecast package', () => {
  describe.each(datasets)('%s', (_name, d) => {
    const m = d.frequency[0];
    const fixed = Object.entries(d.fixed);

    it.each(fixed)("%s at R's parameters: the same likelihood, forecasts and intervals", (_model, e) => {
      const fit = evaluateEts(specOf(e, m), d.y, parOf(e), Float64Array.from(e.initstate), npOf(e));
      expect(Math.abs(-0.5 * fit.lik - e.loglik[0])).toBeLessThan(1e-8 * Math.abs(e.loglik[0]));
      expect(fit.sigma2).toBeCloseTo(e.sigma2[0], 10);
      expectForecastsLike(etsForecast(fit, H, PROBS), e, 1e-8);
    });

    it.each(fixed)("%s fitted here: R's optimum (parameters, AICc, forecasts)", (_model, e) => {
      const fit = fitEts(d.y, specOf(e, m))!;
      expect(fit).not.toBeNull();
      // the optimiser is R's Nelder-Mead variant from R's starting point, so the optimum is R's
      expect(maxRelative([fit.par.alpha], e.alpha)).toBeLessThan(1e-6);
      expect(Math.abs(fit.aicc - e.aicc[0])).toBeLessThan(1e-6 * Math.abs(e.aicc[0]));
      expectForecastsLike(etsForecast(fit, H, PROBS), e, 1e-6);
    });

    it("automatic selection by AICc picks R's model with R's fit", () => {
      const fit = autoEts(d.y, { error: 'Z', trend: 'Z', season: 'Z', damped: null, m, ic: 'aicc' });
      expect(etsName(fit.spec)).toBe(d.auto.method);
      expect(Math.abs(fit.aicc - d.auto.aicc[0])).toBeLessThan(1e-6 * Math.abs(d.auto.aicc[0]));
      expect(maxRelative(fit.fitted, d.auto.fitted!)).toBeLessThan(1e-6);
      expectForecastsLike(etsForecast(fit, H, PROBS), d.auto, 1e-6);
    });
  });

  it('class-3 intervals agree with simulated sample paths of the same model (a second computation)', () => {
    const d = R_REFERENCE.datasets.AirPassengers;
    const e = d.fixed.MAM;
    const fit = evaluateEts(specOf(e, 12), d.y, parOf(e), Float64Array.from(e.initstate), npOf(e));
    const closed = etsForecast(fit, 12, [0.1, 0.9]);
    const sim = etsForecast(fit, 12, [0.1, 0.9], { simulate: true, paths: 20000, seed: 7 });
    // the class-3 moments are exact, the normal shape an approximation: 12 steps ahead of a
    // 4% noise series, quantiles agree within 1.5%
    expect(maxRelative(sim.quantiles.get(0.1)!, closed.quantiles.get(0.1)!)).toBeLessThan(0.015);
    expect(maxRelative(sim.quantiles.get(0.9)!, closed.quantiles.get(0.9)!)).toBeLessThan(0.015);
  });

  it('leaves out multiplicative models for data that are not positive, and seasons above m = 24', () => {
    const y = Array.from({ length: 120 }, (_, t) => Math.sin((2 * Math.PI * t) / 12) + 0.01 * t);
    const fit = autoEts(y, { error: 'Z', trend: 'Z', season: 'Z', damped: null, m: 12, ic: 'aicc' });
    expect(fit.spec.error).toBe('A');
    expect(fit.spec.season).not.toBe('M');
    const weekly = autoEts(
      Array.from({ length: 200 }, (_, t) => 10 + Math.sin((2 * Math.PI * t) / 52)),
      { error: 'Z', trend: 'Z', season: 'Z', damped: null, m: 52, ic: 'aicc' },
    );
    expect(weekly.spec.season).toBe('N');
  });
});
