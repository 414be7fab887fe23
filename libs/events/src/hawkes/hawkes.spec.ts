import { Rng } from '@seqcast/tensor';
import { ksTest, exponentialCdf } from '../sampling/ks-test';
import { DEFAULT_HAWKES, branchingRatio } from './hawkes-params';
import { hawkesCompensator, hawkesIntensity } from './intensity';
import { hawkesLogLikelihood, hawkesSequenceLogLikelihood } from './log-likelihood';
import { simulateHawkes, simulateHawkesSequence } from './simulate';

describe('Hawkes simulator and exact log-likelihood', () => {
  const p = DEFAULT_HAWKES;

  it('is reproducible for a seed and has the stationary event rate', () => {
    const a = simulateHawkes(p, 50, 3, { endTime: 70 });
    const b = simulateHawkes(p, 50, 3, { endTime: 70 });
    expect(a.sequences).toEqual(b.sequences);
    // stationary rate (I - A/B)^-1 mu, started empty so a little below over a finite window
    const big = simulateHawkes(p, 400, 5, { endTime: 200 });
    const rate = big.sequences.reduce((n, s) => n + s.times.length, 0) / (400 * 200);
    const K = 3;
    // solve (I - G) x = mu by fixed-point iteration
    let x = p.mu.slice();
    for (let it = 0; it < 200; it++) x = p.mu.map((m, k) => m + x.reduce((s, xl, l) => s + (p.alpha[k][l] / p.beta[k][l]) * xl, 0));
    const expected = x.reduce((a2, b2) => a2 + b2, 0);
    expect(branchingRatio(p)).toBeLessThan(1);
    expect(Math.abs(rate - expected) / expected).toBeLessThan(0.05);
    expect(K).toBe(3);
  });

  it('recursive log-likelihood equals the direct sum of log intensities minus the compensator', () => {
    const s = simulateHawkesSequence(p, new Rng(9), { endTime: 50 });
    const r = hawkesSequenceLogLikelihood(p, s);
    let ev = 0;
    for (let i = 1; i < s.times.length; i++) ev += Math.log(hawkesIntensity(p, s.times.slice(0, i), s.types.slice(0, i), s.times[i])[s.types[i]]);
    const comp = hawkesCompensator(p, s.times, s.types, s.times[0], s.times[s.times.length - 1]);
    expect(r.eventTerm).toBeCloseTo(ev, 8);
    expect(r.integralTerm).toBeCloseTo(comp, 8);
    // and the compensator against a fine midpoint rule
    let num = 0;
    const a = s.times[0];
    const b = s.times[s.times.length - 1];
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const t = a + ((i + 0.5) * (b - a)) / n;
      const j = s.times.findIndex((x) => x >= t);
      const hist = j < 0 ? s.times.length : j;
      num += hawkesIntensity(p, s.times.slice(0, hist), s.types.slice(0, hist), t).reduce((x, y) => x + y, 0);
    }
    expect(num * ((b - a) / n)).toBeCloseTo(comp, 3);
  });

  it('simulated sequences pass the time-rescaling KS test under their own compensator', () => {
    const data = simulateHawkes(p, 100, 11, { endTime: 70 });
    const z: number[] = [];
    for (const s of data.sequences) for (let i = 1; i < s.times.length; i++) z.push(hawkesCompensator(p, s.times.slice(0, i), s.types.slice(0, i), s.times[i - 1], s.times[i]));
    expect(ksTest(z, exponentialCdf).pValue).toBeGreaterThan(0.01);
    expect(hawkesLogLikelihood(p, data.sequences).perEvent).toBeLessThan(0);
  });
});
