import { Rng } from '@seqcast/tensor';
import { HawkesParams, DEFAULT_HAWKES } from './hawkes-params';
import { hawkesIntensity } from './intensity';
import { simulateHawkes } from './simulate';
import { hawkesNextTypeProbabilities, hawkesTypeTimeInformation } from './type-time-information';

describe('Hawkes type-time information (the bound on time-type independent models)', () => {
  it('p(k | h) matches the type frequencies of next events simulated by thinning', () => {
    const histories = [
      { times: [0], types: [0] },
      { times: [0, 0.4, 0.5], types: [2, 2, 1] },
      { times: [0, 3, 9.5], types: [1, 0, 2] },
    ];
    const rng = new Rng(17);
    const n = 20000;
    for (const h of histories) {
      const probs = hawkesNextTypeProbabilities(DEFAULT_HAWKES, h.times, h.types);
      // Ogata thinning, written here: between events the intensities only decay, so the
      // total at the current time bounds it from there on
      const counts = [0, 0, 0];
      for (let d = 0; d < n; d++) {
        let t = h.times[h.times.length - 1];
        for (;;) {
          const bound = hawkesIntensity(DEFAULT_HAWKES, h.times, h.types, t + 1e-12).reduce((a, b) => a + b, 0);
          t += -Math.log(1 - rng.next()) / bound;
          const lam = hawkesIntensity(DEFAULT_HAWKES, h.times, h.types, t);
          const total = lam.reduce((a, b) => a + b, 0);
          let u = rng.next() * bound;
          if (u >= total) continue;
          let k = 0;
          while (u >= lam[k]) u -= lam[k++];
          counts[k]++;
          break;
        }
      }
      probs.forEach((p, k) => expect(Math.abs(counts[k] / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n)));
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('is zero where every type is a fixed share of the intensity, positive for the benchmark process', () => {
    // lambda_k = c_k (m + sum_i a_{l_i} exp(-b_{l_i} (t - t_i))): the type carries no news of the time
    const c = [0.5, 0.3, 0.2];
    const a = [0.4, 0.2, 0.6];
    const b = [1, 2, 0.5];
    const proportional: HawkesParams = {
      mu: c.map((ck) => ck * 0.3),
      alpha: c.map((ck) => a.map((al) => ck * al)),
      beta: c.map(() => b.slice()),
    };
    const flat = hawkesTypeTimeInformation(proportional, simulateHawkes(proportional, 40, 3, { endTime: 60 }).sequences);
    expect(flat.events).toBeGreaterThan(500);
    expect(Math.abs(flat.perEvent)).toBeLessThan(1e-6);
    expect(flat.maxMassError).toBeLessThan(1e-5);

    // DEFAULT_HAWKES: types decay at different rates (beta 1, 1.5, 2), so a long gap points to
    // the base rates' types and a short one to the excited types
    const info = hawkesTypeTimeInformation(DEFAULT_HAWKES, simulateHawkes(DEFAULT_HAWKES, 100, 5, { endTime: 70 }).sequences);
    expect(info.perEvent).toBeGreaterThan(0.005);
    expect(info.maxMassError).toBeLessThan(1e-5);
  });
});
