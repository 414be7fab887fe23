import { Cancelled, detachedContext } from '@seqcast/core';
import { resumingFrom, selectBackend, stoppingAfterStep } from '@seqcast/tensor';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { eventModelRegistry } from '../registry';

// 32 sequences in batches of 8: 4 steps per epoch, 3 epochs
const train = simulateHawkes(DEFAULT_HAWKES, 32, 31, { endTime: 30 });
const base = { epochs: 3, batchSize: 8, hidden: 8, learningRate: 0.01, integralPoints: 3, seed: 4 };
const CONFIGS: Record<string, Record<string, unknown>> = { thp: { ...base, heads: 2, layers: 1 }, nhp: base };
beforeAll(() => selectBackend('cpu'));

function weightsOf(m: { toArtifact(): { weights: Record<string, { values: ArrayLike<number> }> } }): number[] {
  return Object.values(m.toArtifact().weights).flatMap((w) => Array.from(w.values));
}

/**
 * Event models train through the shared Trainer: a run stopped mid-epoch and resumed from its
 * checkpoint on a new model ends with the weights of the uninterrupted run, the sampled
 * integral's stream (FitSpec.state) included.
 */
describe('event models resume from a Trainer checkpoint', () => {
  it.each(['thp', 'nhp'])('%s: stopped after 6 steps (epoch 2, step 2), resumed, equals the uninterrupted run', async (kind) => {
    const config = CONFIGS[kind];
    const reference = eventModelRegistry.create(kind, 3, config);
    await reference.fit(train, null, detachedContext());
    const expected = weightsOf(reference);
    reference.dispose();

    const stop = stoppingAfterStep(6);
    const first = eventModelRegistry.create(kind, 3, config);
    await expect(first.fit(train, null, stop.ctx)).rejects.toBeInstanceOf(Cancelled);
    first.dispose();
    const last = stop.saved[stop.saved.length - 1];
    expect(last.position).toMatchObject({ epoch: 2, step: 2, steps: 4 });

    // another seed: the initial weights, the batch order and the sampling stream all come from the checkpoint
    const second = eventModelRegistry.create(kind, 3, { ...config, seed: 9 });
    await second.fit(train, null, resumingFrom(last));
    const got = weightsOf(second);
    second.dispose();
    expect(got.length).toBe(expected.length);
    expect(Math.max(...got.map((v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-6);
  });
});
