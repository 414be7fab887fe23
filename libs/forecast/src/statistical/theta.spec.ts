import { maxRelative, R_REFERENCE } from './testdata/r-reference';
import { optimisedTheta, standardTheta } from './theta';

const H = R_REFERENCE.horizon;

describe('Theta', () => {
  it.each(Object.entries(R_REFERENCE.datasets))(
    "%s: the forecast package's thetaf (forecasts, 80/95%% intervals, alpha)",
    (_n, d) => {
      const { fit, forecast } = standardTheta(d.y, d.frequency[0], H, [0.025, 0.1, 0.9, 0.975]);
      expect(maxRelative([fit.alpha], d.theta.alpha)).toBeLessThan(1e-6);
      expect(maxRelative(forecast.point, d.theta.mean)).toBeLessThan(1e-6);
      expect(maxRelative(forecast.quantiles.get(0.1)!, d.theta.lo80)).toBeLessThan(1e-6);
      expect(maxRelative(forecast.quantiles.get(0.975)!, d.theta.hi95)).toBeLessThan(1e-6);
    },
  );

  it('standard Theta is SES plus half the trend slope: on a noiseless line it extends the line at half its slope from the last SES level', () => {
    // y = 3 + 2t: SES tracks the line with a lag, drift b/2 = 1 per step
    const y = Array.from({ length: 40 }, (_, t) => 3 + 2 * t);
    const { forecast } = standardTheta(y, 1, 5, []);
    const steps = Array.from({ length: 4 }, (_, h) => forecast.point[h + 1] - forecast.point[h]);
    for (const s of steps) expect(s).toBeCloseTo(1, 8);
  });

  it('optimised Theta: theta = 1 is SES; on a noiseless line the optimum weights the trend line (theta at its bound) and beats theta = 2 in sample', () => {
    const y = Array.from({ length: 60 }, (_, t) => 5 + 0.5 * t);
    const { fit, forecast } = optimisedTheta(y, 1, 6, []);
    expect(fit.theta).toBeGreaterThan(10);
    // the forecast approaches the least-squares line (exact here) as theta grows: the SES part,
    // weighted 1/theta, stays flat where the line climbs b = 0.5 a step
    for (let h = 0; h < 6; h++)
      expect(Math.abs(forecast.point[h] - (5 + 0.5 * (60 + h)))).toBeLessThan((0.5 * (h + 2)) / fit.theta);
    const standard = standardTheta(y, 1, 6, []).forecast.point;
    expect(Math.abs(forecast.point[5] - 37.5)).toBeLessThan(Math.abs(standard[5] - 37.5));
  });

  it("a standardised seasonal series (as the served pipeline gives it) is adjusted additively: forecasts are the raw series' additive-Theta forecasts rescaled", () => {
    const raw = R_REFERENCE.datasets.nottem.y;
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
    const z = raw.map((v) => (v - mean) / sd);
    const fz = standardTheta(z, 12, 12, []).forecast.point;
    // an outside computation of additive Theta on the raw series: SES with drift on y - s
    // is affine-equivariant, so the standardised forecasts map back (up to where the
    // optimiser stops on either scale)
    const shifted = raw.map((v) => v - Math.min(...raw) - 1000);
    const fs = standardTheta(shifted, 12, 12, []).forecast.point;
    for (let h = 0; h < 12; h++) expect(fz[h] * sd + mean).toBeCloseTo(fs[h] + Math.min(...raw) + 1000, 4);
    // and the forecasts keep the season (January below July by more than 10 degrees F)
    expect(Math.max(...fz) - Math.min(...fz)).toBeGreaterThan(10 / sd);
  });
});
