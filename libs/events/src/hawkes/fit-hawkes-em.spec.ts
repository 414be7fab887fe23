import { DEFAULT_HAWKES } from './hawkes-params';
import { fitHawkesEm, fitHawkesEmOverBetas } from './fit-hawkes-em';
import { hawkesLogLikelihood } from './log-likelihood';
import { simulateHawkes } from './simulate';

describe('fitHawkesEm', () => {
  const data = simulateHawkes(DEFAULT_HAWKES, 400, 11, { endTime: 70 });

  it('climbs the likelihood at every iteration and ends above the true parameters (it maximises it)', () => {
    const fit = fitHawkesEm(data.sequences, 3, { beta: DEFAULT_HAWKES.beta });
    for (let i = 1; i < fit.trace.length; i++)
      expect(fit.trace[i]).toBeGreaterThanOrEqual(fit.trace[i - 1] - 1e-9);
    const truth = hawkesLogLikelihood(DEFAULT_HAWKES, data.sequences).perEvent;
    expect(fit.trace[fit.trace.length - 1]).toBeGreaterThanOrEqual(truth);
    // the maximum is not far above the truth's: a few parameters' worth of overfit on ~20k events
    expect(fit.trace[fit.trace.length - 1] - truth).toBeLessThan(0.005);
  });

  it('recovers the simulation parameters at the true decay', () => {
    const { params } = fitHawkesEm(data.sequences, 3, { beta: DEFAULT_HAWKES.beta });
    params.mu.forEach((m, k) =>
      expect(Math.abs(m - DEFAULT_HAWKES.mu[k])).toBeLessThan(0.25 * DEFAULT_HAWKES.mu[k]),
    );
    params.alpha.forEach((row, k) =>
      row.forEach((a, l) => expect(Math.abs(a - DEFAULT_HAWKES.alpha[k][l])).toBeLessThan(0.06)),
    );
  });

  it('finds no excitation in Poisson events: alpha near 0, mu the counts over the time', () => {
    // one type at rate 2 on (0, 500]: uniform order statistics
    let s = 3;
    const u = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const times = Array.from({ length: 1000 }, () => 500 * u()).sort((a, b) => a - b);
    const seq = { times, types: times.map(() => 0) };
    const { params } = fitHawkesEm([seq], 1, { beta: 2 });
    const rate = 999 / (times[999] - times[0]);
    expect(params.alpha[0][0]).toBeLessThan(0.1);
    expect(Math.abs(params.mu[0] + params.alpha[0][0] / 2 - rate)).toBeLessThan(0.05 * rate);
  });

  it('picks the decay by the LL on the selection set', () => {
    const dev = simulateHawkes(DEFAULT_HAWKES, 100, 12, { endTime: 70 });
    const fit = fitHawkesEmOverBetas(data.sequences, 3, dev.sequences, [0.3, 1, 3]);
    expect(fit.beta).toBe(1);
    expect(fit.selectLogLikelihood).toBeCloseTo(hawkesLogLikelihood(fit.params, dev.sequences).perEvent, 12);
  });
});
