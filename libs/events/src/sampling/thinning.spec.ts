import { Rng } from '@seqcast/tensor';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { HawkesModel } from '../hawkes/hawkes-model';
import { hawkesCompensator } from '../hawkes/intensity';
import { simulateHawkesSequence } from '../hawkes/simulate';
import { exponentialCdf, ksTest } from './ks-test';
import { IntensityEvaluator, thinningSample } from './thinning';

describe('thinning sampler', () => {
  it('draws gaps whose time-rescaled values are Exp(1) under a known intensity (EasyTPP bound)', () => {
    // lambda_k(dt) = a_k + b_k exp(-c dt): decaying, with a closed-form compensator
    const a = [0.3, 0.5];
    const b = [1.2, 0.4];
    const c = 1.5;
    const ev: IntensityEvaluator = {
      numTypes: 2,
      evaluate: (ctx, dt) => Float64Array.from({ length: dt.length * 2 }, (_, i) => a[i % 2] + b[i % 2] * Math.exp(-c * dt[Math.floor(i / 2)])),
    };
    const Lambda = (t: number) => (a[0] + a[1]) * t + ((b[0] + b[1]) / c) * (1 - Math.exp(-c * t));
    const r = thinningSample(ev, 1, 3000, new Rng(1), { dtimeMax: 60 });
    expect(r.accepted.every((x) => x === 1)).toBe(true);
    const ks = ksTest(Array.from(r.gaps, Lambda), exponentialCdf);
    expect(ks.pValue).toBeGreaterThan(0.01);
    // types follow lambda_k / sum at the drawn time: overall share of type 0 matches E[lambda_0/lambda]
    const share = r.types.reduce((n, k) => n + (k === 0 ? 1 : 0), 0) / r.types.length;
    const expected = Array.from(r.typeProbs).filter((_, i) => i % 2 === 0).reduce((x, y) => x + y, 0) / r.types.length;
    expect(Math.abs(share - expected)).toBeLessThan(0.03);
  });

  it('samples the next Hawkes event with the right law (KS on rescaled gaps)', () => {
    const p = DEFAULT_HAWKES;
    const h = simulateHawkesSequence(p, new Rng(4), { endTime: 30 });
    const m = new HawkesModel(p);
    const draws = m.sampleNext(h, { samples: 2000, seed: 3 });
    const last = h.times[h.times.length - 1];
    const z = draws.map((d) => hawkesCompensator(p, h.times, h.types, last, last + d.gap));
    expect(ksTest(z, exponentialCdf).pValue).toBeGreaterThan(0.01);
  });

  it('the KS test rejects a wrong intensity', () => {
    const ev: IntensityEvaluator = { numTypes: 1, evaluate: (_c, dt) => Float64Array.from(dt, () => 2) };
    const r = thinningSample(ev, 1, 2000, new Rng(2), { dtimeMax: 50 });
    expect(ksTest(Array.from(r.gaps, (t) => 1 * t), exponentialCdf).pValue).toBeLessThan(1e-6);
  });
});
