import { ValidationFailed, detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { eventModelRegistry } from '../registry';

// Small and quick: 48 sequences of about 20 events. Convergence runs are in models.slow-spec.ts.
const train = simulateHawkes(DEFAULT_HAWKES, 32, 31, { endTime: 30 });
jest.setTimeout(120_000);
beforeAll(() => selectBackend('cpu'));
const NEURAL = ['rmtpp', 'nhp', 'thp', 'sahp', 'attnhp', 'fullynn', 'intensity_free', 'intensity_free_joint'];
const quick = { epochs: 3, batchSize: 16, hidden: 8, learningRate: 0.01, integralPoints: 3, evalIntegralPoints: 10 };

describe('event models (quick)', () => {
  it.each(NEURAL)('%s: training raises the training log-likelihood, without leaking tensors', async (kind) => {
    const start = tf.memory().numTensors;
    const m = eventModelRegistry.create(kind, 3, { ...quick, seed: 2, ...(['thp', 'sahp', 'attnhp'].includes(kind) ? { heads: 2, layers: 1 } : {}), ...(kind === 'intensity_free_joint' ? { cell: 'gru', schedule: 'cosine' } : {}) });
    const before = m.logLikelihood(train).perEvent;
    const tensors = tf.memory().numTensors;
    const fit = await m.fit(train, null, detachedContext());
    const after = m.logLikelihood(train).perEvent;
    expect(fit.epochs).toHaveLength(3);
    expect(after).toBeGreaterThan(before);
    expect(tf.memory().numTensors).toBe(tensors);

    const h = train.sequences[0];
    const last = h.times[h.times.length - 1];
    const p = m.predictNext(h, { samples: 50, seed: 1 });
    expect(p.typeProbs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(p.gapMean).toBeGreaterThan(0);
    expect(p.gapQuantiles['0.1']).toBeLessThanOrEqual(p.gapQuantiles['0.9']);
    expect(p.timeMean).toBeCloseTo(last + p.gapMean, 9);
    const lam = m.intensity(h, last + 0.5);
    expect(lam).toHaveLength(3);
    expect(lam.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    const g = m.generate(h, { count: 3, samples: 2, seed: 5 });
    expect(g.samples).toHaveLength(2);
    expect(g.samples[0].times).toHaveLength(3);
    expect(g.samples[0].times[0]).toBeGreaterThanOrEqual(last);
    const gh = m.generate(h, { horizon: last + 2, samples: 3, seed: 5 });
    for (const s of gh.samples) expect(s.times.every((t) => t > last && t < last + 2)).toBe(true);

    // artifact round trip
    const copy = eventModelRegistry.fromArtifact(JSON.parse(JSON.stringify({ ...m.toArtifact(), weights: Object.fromEntries(Object.entries(m.toArtifact().weights).map(([k, w]) => [k, { shape: w.shape, values: Array.from(w.values) }])) })));
    expect(copy.logLikelihood(train).perEvent).toBeCloseTo(after, 5);
    copy.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('registry: unknown kinds and bad configs name the field', () => {
    expect(() => eventModelRegistry.create('nope', 3)).toThrow(ValidationFailed);
    try {
      eventModelRegistry.create('thp', 3, { hidden: 30, heads: 4, epochs: -1, wat: 1 });
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationFailed);
      const fields = (e as ValidationFailed).details.map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['config.epochs', 'config.wat']));
    }
    expect(() => eventModelRegistry.create('thp', 3, { hidden: 30, heads: 4 })).toThrow(ValidationFailed);
    // budgets in optimizer steps, early stopping on, a schedule each model chooses
    expect(eventModelRegistry.resolveConfig('rmtpp', {})).toMatchObject({ epochs: 0, steps: 1000, minEpochs: 10, earlyStopping: true, integralPoints: 5, evalIntegralPoints: 20, numExp: 500, overSampleRate: 5, numSamplesBoundary: 5 });
    expect(eventModelRegistry.resolveConfig('rmtpp', {})).toMatchObject({ schedule: 'cosine', cell: 'rnn' });
    expect(eventModelRegistry.resolveConfig('thp', {})).toMatchObject({ schedule: 'warmup-cosine' });
    expect(eventModelRegistry.resolveConfig('fullynn', {})).toMatchObject({ markHead: 'softmax' });
    // IntensityFree's defaults are the settings of its benchmark figures: the paper's training
    // (GRU, lr 0.001, weight decay 1e-5, early stopping) with 32 components on the cosine schedule
    expect(eventModelRegistry.resolveConfig('intensity_free', {})).toMatchObject({
      schedule: 'cosine', cell: 'gru', learningRate: 0.001, weightDecay: 1e-5, patience: 20, epochs: 0, steps: 3300, components: 32, embDim: 32,
    });
    expect(eventModelRegistry.resolveConfig('intensity_free_joint', { schedule: 'constant', cell: 'rnn' })).toMatchObject({ schedule: 'constant', cell: 'rnn', learningRate: 0.005 });
    expect(() => eventModelRegistry.create('rmtpp', 3, { schedule: 'linear' })).toThrow(ValidationFailed);
    expect(eventModelRegistry.kinds()).toEqual(expect.arrayContaining([...NEURAL, 'poisson']));
  });

  it('rejects bad histories and options with named fields', () => {
    const m = eventModelRegistry.create('poisson', 3);
    expect(() => m.predictNext({ times: [], types: [] })).toThrow(ValidationFailed);
    expect(() => m.predictNext({ times: [1, 0.5], types: [0, 1] })).toThrow(/Invalid event data/);
    expect(() => m.generate({ times: [1], types: [0] }, {})).toThrow(ValidationFailed);
    expect(() => m.generate({ times: [1], types: [5] }, { count: 2 })).toThrow(ValidationFailed);
  });
});
