import { Rng, selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { IntensityEvaluator } from '../sampling/thinning';
import { eventModelRegistry } from '../registry';
import { AttNhpModel } from './attnhp';
import { Context, NeuralEventModel } from './neural-event-model';

beforeAll(() => selectBackend('cpu'));

type Internals = { batchOf(s: unknown): unknown; encode(b: unknown, training: boolean): Context; gather(c: Context, b: Int32Array, j: Int32Array): Context; evaluatorFor(c: Context): IntensityEvaluator };

describe('AttNHP', () => {
  it.each([
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ])("the plain-JS thinning evaluator matches the tfjs intensities (nullKey %s, typedQueries %s)", (nullKey, typedQueries) => {
    const m = new AttNhpModel(3, { hidden: 8, heads: 2, layers: 2, seed: 4, nullKey, typedQueries } as never);
    const mi = m as unknown as Internals;
    const data = simulateHawkes(DEFAULT_HAWKES, 3, 8, { endTime: 20 });
    const rng = new Rng(1);
    tf.tidy(() => {
      const enc = mi.encode(mi.batchOf(data.sequences), false);
      const bs = Int32Array.from({ length: 12 }, (_, i) => i % 3);
      const js = Int32Array.from(bs, (b) => Math.floor(rng.next() * data.sequences[b].times.length));
      const ctx = mi.gather(enc, bs, js);
      const ids = Int32Array.from({ length: 30 }, (_, i) => i % 12);
      const dt = Float64Array.from(ids, () => 3 * rng.next());
      const fast = mi.evaluatorFor(ctx).evaluate(ids, dt);
      const ref = (NeuralEventModel.prototype as unknown as Internals).evaluatorFor.call(m, ctx).evaluate(ids, dt);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(fast[i] - ref[i])).toBeLessThan(1e-4 * Math.max(1, ref[i]));
    });
    m.dispose();
  });

  it('an artifact saved before nullKey and typedQueries existed loads as what it was trained as (softmax, one query)', () => {
    const data = simulateHawkes(DEFAULT_HAWKES, 4, 9, { endTime: 20 });
    const old = eventModelRegistry.create('attnhp', 3, { hidden: 8, heads: 2, nullKey: false, typedQueries: false, seed: 3 });
    const artifact = old.toArtifact();
    const { nullKey: _n, typedQueries: _t, ...config } = artifact.config;
    const loaded = eventModelRegistry.fromArtifact({ ...artifact, config });
    expect(loaded.logLikelihood(data.sequences, { seed: 1 }).perEvent).toBeCloseTo(old.logLikelihood(data.sequences, { seed: 1 }).perEvent, 6);
    expect(() => eventModelRegistry.fromArtifact({ ...artifact, config: { ...config, typedQueries: true } })).toThrow();
    [old, loaded].forEach((m) => m.dispose());
  });
});
