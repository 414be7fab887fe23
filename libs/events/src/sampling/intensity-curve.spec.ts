import { ValidationFailed } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { PoissonModel } from '../baselines/poisson';
import { HawkesModel } from '../hawkes/hawkes-model';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { hawkesCompensator, hawkesIntensity } from '../hawkes/intensity';
import { eventModelRegistry } from '../registry';
import { intensityCurve } from './intensity-curve';

jest.setTimeout(60_000);
beforeAll(() => selectBackend('cpu'));

const history = { times: [0, 0.4, 1.1, 1.3, 2.6], types: [0, 2, 1, 1, 0] };
const last = 2.6;

/** Trapezoid integral of y over x. */
const integral = (x: number[], y: number[]) =>
  y.slice(1).reduce((s, v, i) => s + ((x[i + 1] - x[i]) * (v + y[i])) / 2, 0);

describe('intensityCurve', () => {
  it('on a Hawkes process: the intensity and compensator of the closed forms', () => {
    const p = DEFAULT_HAWKES;
    const c = intensityCurve(new HawkesModel(p), history, { points: 101, horizon: 4 });
    expect(c.gaps).toHaveLength(101);
    expect(c.gaps[100]).toBeCloseTo(4, 12);
    for (let i = 0; i < 101; i += 10) {
      const t = last + c.gaps[i];
      // at gap 0 the right limit: the last event's own kick counts
      const lam = hawkesIntensity(p, history.times, history.types, Math.max(t, last + 1e-12));
      lam.forEach((v, k) => expect(c.intensity[k][i]).toBeCloseTo(v, 8));
      const exact = hawkesCompensator(p, history.times, history.types, last, t);
      expect(Math.abs(c.compensator[i] - exact)).toBeLessThan(1e-4 * Math.max(1, exact));
      expect(c.survival[i]).toBeCloseTo(Math.exp(-exact), 4);
      expect(c.density[i]).toBeCloseTo(c.total[i] * c.survival[i], 12);
    }
    // the density of the next gap holds what the survival lost
    expect(integral(c.gaps, c.density)).toBeCloseTo(1 - c.survival[100], 3);
  });

  it('on a Poisson process: constant rates, Lambda = rate * gap, an exponential density', () => {
    const m = new PoissonModel(3);
    m.rates = [0.5, 0.3, 0.2];
    const c = intensityCurve(m, history, { points: 50 });
    expect(c.intensity.map((r) => r[7])).toEqual([0.5, 0.3, 0.2]);
    c.gaps.forEach((g, i) => {
      expect(c.compensator[i]).toBeCloseTo(g, 9);
      expect(c.density[i]).toBeCloseTo(Math.exp(-g), 9);
    });
    // the default horizon keeps all but 1% to 0.01% of the next gap's probability
    const end = c.survival[c.survival.length - 1];
    expect(end).toBeLessThanOrEqual(0.01);
    expect(end).toBeGreaterThanOrEqual(1e-4);
  });

  it('on a neural model: one encoding gives what `intensity` gives at each time', () => {
    const m = eventModelRegistry.create('rmtpp', 3, { hidden: 8, seed: 3 });
    try {
      const times = [last, last + 0.3, last + 1.7];
      const rows = m.intensityAt!(history, times);
      times.forEach((t, i) =>
        m.intensity(history, t).forEach((v, k) => expect(rows[i][k]).toBeCloseTo(v, 6)),
      );
      expect(() => m.intensityAt!(history, [last + 1, last - 1])).toThrow(ValidationFailed);
    } finally {
      m.dispose();
    }
  });

  it("on IntensityFree (a density, not an intensity): the survival is its exact samples' tail", () => {
    const m = eventModelRegistry.create('intensity_free', 3, { hidden: 8, components: 4, seed: 5 });
    try {
      // below the 5 at which the draws are capped (dtimeMax before training)
      const c = intensityCurve(m, history, { points: 201, horizon: 4.5 });
      // exact draws from the mixture, independent of the integrated hazard
      const gaps = m.sampleNext(history, { samples: 20000, seed: 1 }).map((s) => s.gap);
      for (const i of [5, 20, 50, 100, 200]) {
        const tail = gaps.filter((g) => g > c.gaps[i]).length / gaps.length;
        expect(Math.abs(c.survival[i] - tail)).toBeLessThan(0.015);
      }
    } finally {
      m.dispose();
    }
  });

  it('names a bad grid', () => {
    const m = new PoissonModel(3);
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ValidationFailed).details[0].field;
      }
      return null;
    };
    expect(field(() => intensityCurve(m, history, { points: 1 }))).toBe('points');
    expect(field(() => intensityCurve(m, history, { points: 10, horizon: 0 }))).toBe('horizon');
  });
});
