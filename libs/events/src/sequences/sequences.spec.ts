import { detachedContext } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { colesLoss } from './coles';
import { sequenceModelRegistry } from './sequence-registry';
import { majoritySchema, majorityTask, orderSchema, orderTask, accuracy } from './learning-tasks.testing';
import type { SequenceRow } from './types';

beforeAll(async () => {
  await selectBackend('cpu' as never);
});

describe('sequence-level models', () => {
  it('mean pooling is blind to order: a sequence and its reversal get the same prediction', async () => {
    const train = orderTask(64, 1);
    const m = sequenceModelRegistry.create('mean_pool_mlp', orderSchema, { epochs: 3, hidden: 8 });
    await m.fit(train, undefined, detachedContext());
    const p = m.predict(orderTask(40, 2));
    for (let i = 0; i < p.length; i += 2) {
      expect(p[i][0]).toBeCloseTo(p[i + 1][0], 5);
    }
    // so on a reversal-closed test set its accuracy is exactly one half
    expect(accuracy(p, orderTask(40, 2))).toBe(0.5);
    m.dispose();
  });

  it('the GRU learns the order task the mean cannot', async () => {
    const m = sequenceModelRegistry.create('gru', orderSchema, {
      epochs: 40,
      hidden: 16,
      learningRate: 0.02,
      patience: 0,
      batchSize: 32,
    });
    await m.fit(orderTask(256, 3), undefined, detachedContext());
    const test = orderTask(200, 4);
    expect(accuracy(m.predict(test), test)).toBeGreaterThan(0.9);
    m.dispose();
  });

  it("CoLES's loss equals the margin loss computed pair by pair", () => {
    const e = [
      [1, 0, 0],
      [0.8, 0.6, 0],
      [0, 1, 0],
      [0, 0, 2],
      [0.1, 0.1, 1],
    ];
    const owners = [0, 0, 1, 2, 2];
    const margin = 0.9;
    const unit = e.map((v) => {
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    });
    let pos = 0;
    let nPos = 0;
    let neg = 0;
    let nNeg = 0;
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) {
        if (i === j) continue;
        const d = Math.hypot(...unit[i].map((x, k) => x - unit[j][k]));
        if (owners[i] === owners[j]) {
          pos += d * d;
          nPos++;
        } else {
          neg += Math.max(0, margin - d) ** 2;
          nNeg++;
        }
      }
    const got = colesLoss(tf.tensor2d(e), tf.tensor1d(owners, 'int32'), margin).dataSync()[0];
    expect(got).toBeCloseTo(pos / nPos + neg / nNeg, 4);
  });

  it('artifacts give back the same predictions', async () => {
    const m = sequenceModelRegistry.create('transformer', majoritySchema, {
      epochs: 2,
      hidden: 8,
      heads: 2,
      layers: 1,
    });
    await m.fit(majorityTask(40, 11), undefined, detachedContext());
    const test = majorityTask(10, 12);
    const again = sequenceModelRegistry.fromArtifact(m.toArtifact());
    const a = m.predict(test);
    const b = again.predict(test);
    a.forEach((row, i) => row.forEach((v, k) => expect(b[i][k]).toBeCloseTo(v, 6)));
    m.dispose();
    again.dispose();
  });

  it('bad configs and rows are refused naming the field', async () => {
    expect(() => sequenceModelRegistry.create('lstm_x', majoritySchema)).toThrow(/lstm_x/);
    expect(() =>
      sequenceModelRegistry.create('transformer', majoritySchema, { hidden: 10, heads: 4 }),
    ).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field: 'config.heads' })] }));
    const m = sequenceModelRegistry.create('gru', majoritySchema, { epochs: 1 });
    const rows = majorityTask(4, 1);
    delete (rows[2] as Partial<SequenceRow>).target;
    await expect(m.fit(rows, undefined, detachedContext())).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'train[2].target' })],
    });
  });
});
