import { detachedContext } from '@seqcast/core';
import { sequenceModelRegistry } from '@seqcast/events';
import { selectBackend } from '@seqcast/tensor';
import { splitPool } from '../run-sequence-evaluation';
import { sequenceMetric } from '../sequence-metrics';
import { hawkesPairBayesAccuracy, hawkesPairDataset } from './hawkes-pair';
import { pendulumDataset } from './pendulum';

beforeAll(async () => {
  await selectBackend('cpu' as never);
});

describe('sequence-level models on the generated tasks', () => {
  it('a GRU comes within 0.12 of the Bayes accuracy on the Hawkes pair', async () => {
    const d = hawkesPairDataset({ pool: 400, test: 300, seed: 3 });
    const [tr, va] = splitPool(d.pool, [0.85, 0.15], 1);
    const m = sequenceModelRegistry.create('gru', d.schema, { epochs: 30 });
    await m.fit(tr, va, detachedContext());
    const acc = sequenceMetric('accuracy', m.predict(d.test), d.test);
    const bayes = hawkesPairBayesAccuracy(d.test);
    console.log(`hawkes pair: GRU test accuracy ${acc.toFixed(4)}, Bayes ${bayes.toFixed(4)}`);
    expect(acc).toBeGreaterThan(bayes - 0.12);
    expect(acc).toBeLessThanOrEqual(bayes + 0.05);
    m.dispose();
  }, 600_000);

  it('a GRU reads the pendulum length from the dynamics: MSE well below the variance of U(0.5, 2)', async () => {
    const d = pendulumDataset({ pool: 800, test: 200, seed: 3 });
    const [tr, va] = splitPool(d.pool, [0.85, 0.15], 1);
    // the loss sits on a plateau (the mean) for the first epochs: patience 20 lets it leave it
    const m = sequenceModelRegistry.create('gru', d.schema, { epochs: 60, patience: 20 });
    await m.fit(tr, va, detachedContext());
    // Var U(0.5, 2) = 1.5^2 / 12 = 0.1875: predicting the mean scores that
    const mse = sequenceMetric('mse', m.predict(d.test), d.test);
    console.log(`pendulum: GRU test MSE ${mse.toFixed(4)} (the mean scores 0.1875)`);
    expect(mse).toBeLessThan(0.5 * 0.1875);
    m.dispose();
  }, 600_000);
});
