import { detachedContext } from '@seqcast/core';
import { Rng, selectBackend } from '@seqcast/tensor';
import { accuracy, majoritySchema, majorityTask } from './learning-tasks.testing';
import { sequenceModelRegistry } from './sequence-registry';
import type { SequenceRow } from './types';

beforeAll(async () => {
  await selectBackend('cpu' as never);
});

describe('sequence-level models learn tasks with known answers', () => {
  it.each(['gru', 'transformer', 'mean_pool_mlp', 'mtand'])(
    '%s learns the majority category of irregular events',
    async (kind) => {
      const config = {
        epochs: 15,
        hidden: 16,
        learningRate: 0.02,
        patience: 0,
        ...(kind === 'transformer' ? { layers: 1, heads: 2 } : {}),
        ...(kind === 'mtand' ? { referencePoints: 8, timeEmbedding: 8 } : {}),
      };
      const m = sequenceModelRegistry.create(kind, majoritySchema, config);
      await m.fit(majorityTask(240, 5), majorityTask(40, 6), detachedContext());
      const test = majorityTask(200, 7);
      // three balanced classes: chance is 1/3
      expect(accuracy(m.predict(test), test)).toBeGreaterThan(0.85);
      m.dispose();
    },
  );

  it('regresses a target that is an affine function of the events mean', async () => {
    const rng = new Rng(8);
    const rows = (n: number): SequenceRow[] =>
      Array.from({ length: n }, () => {
        const L = 5 + rng.int(5);
        const xs = Array.from({ length: L }, () => [rng.normal() + 2]);
        const mean = xs.reduce((a, [v]) => a + v, 0) / L;
        return { times: xs.map((_, i) => i), numeric: xs, target: 3 * mean - 1 };
      });
    const test = rows(200);
    const m = sequenceModelRegistry.create(
      'mean_pool_mlp',
      { task: 'regression', numericFeatures: 1, categoricalCardinalities: [] },
      { epochs: 40, hidden: 16, learningRate: 0.01, patience: 0 },
    );
    await m.fit(rows(300), undefined, detachedContext());
    const p = m.predict(test);
    const mse = test.reduce((s, r, i) => s + (p[i][0] - r.target) ** 2, 0) / test.length;
    const mean = test.reduce((s, r) => s + r.target, 0) / test.length;
    const variance = test.reduce((s, r) => s + (r.target - mean) ** 2, 0) / test.length;
    // predictions come back in the target's units: the error is far below the target's variance
    expect(mse).toBeLessThan(0.1 * variance);
    m.dispose();
  });

  it('CoLES pretrains then fits a linear head that separates the classes', async () => {
    const m = sequenceModelRegistry.create('coles', majoritySchema, {
      pretrainEpochs: 8,
      epochs: 40,
      hidden: 16,
      learningRate: 0.02,
      patience: 0,
      subsequences: 3,
    });
    const report = await m.fit(majorityTask(160, 9), undefined, detachedContext());
    expect(report.pretrain!.epochs).toBe(8);
    const test = majorityTask(150, 10);
    expect(accuracy(m.predict(test), test)).toBeGreaterThan(0.6);
    m.dispose();
  });
});
