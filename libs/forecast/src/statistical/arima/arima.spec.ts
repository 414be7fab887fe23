import { Rng } from '@seqcast/numeric';
import { bfgs } from '../bfgs';
import { maxRelative, R_REFERENCE, RArimaEntry } from '../testdata/r-reference';
import { withCriteria } from './arima-criteria';
import { ArimaConstant, fitArima } from './arima-fit';
import { arimaForecast } from './arima-forecast';
import { ArimaOrder, arimaLabel, difference } from './arima-order';
import { invertMa, toStationary, fromStationary } from './arima-transform';
import { autoArima } from './auto-arima';
import { kpssStatistic, seasonalStrength } from './differencing-tests';

const datasets = Object.entries(R_REFERENCE.datasets);
const PROBS = [0.025, 0.1, 0.9, 0.975];

function orderOf(a: RArimaEntry): ArimaOrder {
  const [p, d, q] = a.order;
  const [P, D, Q] = a.seasonal;
  return { p, d, q, P, D, Q, m: a.period[0] };
}

function constantOf(a: RArimaEntry): ArimaConstant {
  return a.coefNames.includes('drift') ? 'drift' : a.coefNames.includes('intercept') ? 'mean' : null;
}

/** R's auto.arima trace labels: "with zero mean" and padding aside, ours. */
const rLabel = (s: string) => s.replace(/\s+with zero mean/, '').trim();

describe("ARIMA against R's stats::arima and forecast::auto.arima", () => {
  it.each(datasets)(
    "%s: R's chosen order refitted gives R's coefficients, likelihood, variance and intervals",
    (_, ds) => {
      const a = ds.arima;
      const model = withCriteria(fitArima(ds.y, orderOf(a), constantOf(a)));
      expect(model.names).toEqual(a.coefNames);
      expect(maxRelative(model.coef, a.coef)).toBeLessThan(1e-5);
      expect(maxRelative([model.loglik], a.loglik)).toBeLessThan(1e-8);
      expect(maxRelative([model.aicc], a.aicc)).toBeLessThan(1e-8);
      expect(maxRelative([model.sigma2], a.sigma2)).toBeLessThan(1e-6);
      const f = arimaForecast(model, R_REFERENCE.horizon, PROBS);
      expect(maxRelative(f.point, a.mean)).toBeLessThan(1e-6);
      expect(maxRelative(f.quantiles.get(0.1)!, a.lo80)).toBeLessThan(1e-6);
      expect(maxRelative(f.quantiles.get(0.9)!, a.hi80)).toBeLessThan(1e-6);
      expect(maxRelative(f.quantiles.get(0.025)!, a.lo95)).toBeLessThan(1e-6);
      expect(maxRelative(f.quantiles.get(0.975)!, a.hi95)).toBeLessThan(1e-6);
    },
  );

  it.each(datasets)(
    "%s: the differencing tests' statistics are urca's KPSS and forecast's seasonal strength",
    (_, ds) => {
      const a = ds.arima;
      const y = ds.y;
      expect(
        maxRelative([kpssStatistic(y, Math.trunc((3 * Math.sqrt(y.length)) / 13))], a.kpss),
      ).toBeLessThan(1e-9);
      const m = ds.frequency[0];
      if (a.strength) {
        const s = [seasonalStrength(y, m), seasonalStrength(difference(y, 0, 1, m), m)];
        expect(maxRelative(s, a.strength)).toBeLessThan(1e-9);
      }
    },
  );

  it.each(datasets)(
    "%s: the stepwise search tries R's models in R's order, with R's criteria, and picks R's",
    (_, ds) => {
      const a = ds.arima;
      const m = ds.frequency[0];
      const { model, tried } = autoArima(ds.y, { m });
      expect(arimaLabel(model.order, model.constant)).toBe(arimaLabel(orderOf(a), constantOf(a)));
      expect(maxRelative(model.coef, a.coef)).toBeLessThan(1e-5);
      expect(maxRelative([model.aicc], a.aicc)).toBeLessThan(1e-8);
      expect(
        tried.map((t) =>
          arimaLabel(
            t.order,
            t.constant
              ? t.order.d + t.order.D === 0
                ? 'mean'
                : t.order.d + t.order.D === 1
                  ? 'drift'
                  : null
              : null,
          ),
        ),
      ).toEqual(a.search.map((s) => rLabel(s.model)));
      // R prints the criteria to 7 significant digits; models it ruled out show Inf (null)
      tried.forEach((t, i) => {
        const r = a.search[i].ic;
        if (r === null) {
          // an unchecked candidate that never beat the best may keep a finite value here
          expect(t.ic === Infinity || t.ic > Math.min(...tried.slice(0, i).map((u) => u.ic))).toBe(true);
        } else expect(Math.abs(t.ic - r) / Math.abs(r)).toBeLessThan(1e-6);
      });
    },
  );
});

describe('ARIMA estimation on simulated data', () => {
  it('recovers a simulated ARMA(1,1) with mean within sampling error at n = 2000', () => {
    const rng = new Rng(27);
    const [phi, theta, sigma, mu, n] = [0.6, 0.3, 2, 5, 2000];
    const y = new Float64Array(n);
    let x = 0;
    let e = 0;
    for (let t = -200; t < n; t++) {
      const eNew = sigma * rng.normal();
      x = phi * x + eNew + theta * e;
      e = eNew;
      if (t >= 0) y[t] = mu + x;
    }
    const fit = fitArima(y, { p: 1, d: 0, q: 1, P: 0, D: 0, Q: 0, m: 1 }, 'mean');
    // asymptotic covariance of (phi, theta) (Brockwell & Davis, example 8.8.3):
    // n^-1 [[1/(1-phi^2), 1/(1+phi theta)], [1/(1+phi theta), 1/(1-theta^2)]]^-1
    const a = 1 / (1 - phi * phi);
    const b = 1 / (1 + phi * theta);
    const c = 1 / (1 - theta * theta);
    const det = a * c - b * b;
    const sePhi = Math.sqrt(c / det / n);
    const seTheta = Math.sqrt(a / det / n);
    const seMean = (sigma * (1 + theta)) / (1 - phi) / Math.sqrt(n);
    const seSigma2 = sigma * sigma * Math.sqrt(2 / n);
    expect(Math.abs(fit.coef[0] - phi)).toBeLessThan(4 * sePhi);
    expect(Math.abs(fit.coef[1] - theta)).toBeLessThan(4 * seTheta);
    expect(Math.abs(fit.coef[2] - mu)).toBeLessThan(4 * seMean);
    expect(Math.abs(fit.sigma2 - sigma * sigma)).toBeLessThan(4 * seSigma2);
    expect(sePhi).toBeLessThan(0.03);
  });
});

describe('ARIMA building blocks', () => {
  it('the stationarity transform maps onto stationary AR polynomials and back', () => {
    // one coefficient: tanh; two: Durbin-Levinson from partial autocorrelations (a, b) gives
    // phi = (a (1 - b), b)
    expect(toStationary([0.5])[0]).toBeCloseTo(Math.tanh(0.5), 15);
    const [a, b] = [Math.tanh(0.3), Math.tanh(-0.8)];
    const phi = toStationary([0.3, -0.8]);
    expect(phi[0]).toBeCloseTo(a * (1 - b), 14);
    expect(phi[1]).toBeCloseTo(b, 14);
    expect(Array.from(fromStationary(phi)).map((v) => +v.toFixed(12))).toEqual([0.3, -0.8]);
  });

  it('inverts MA roots inside the unit circle (same autocorrelations, invertible)', () => {
    expect(invertMa([2])[0]).toBeCloseTo(0.5, 14);
    // 1 + 2.5z + z^2 = (1 + 2z)(1 + 0.5z): root -0.5 reflected to -2 gives (1 + 0.5z)^2
    const inv = invertMa([2.5, 1]);
    expect(inv[0]).toBeCloseTo(1, 12);
    expect(inv[1]).toBeCloseTo(0.25, 12);
    expect(Array.from(invertMa([0.4, 0.1]))).toEqual([0.4, 0.1]);
  });

  it("BFGS finds the Rosenbrock function's minimum (1, 1) from R's classic start", () => {
    const rosenbrock = (x: Float64Array) => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
    const r = bfgs(rosenbrock, [-1.2, 1], { maxit: 1000 });
    expect(r.x[0]).toBeCloseTo(1, 2);
    expect(r.x[1]).toBeCloseTo(1, 2);
  });
});
