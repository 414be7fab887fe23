import { Unprocessable } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { MetricNetwork } from './metric-network';
import { LS4_METRIC_BUDGET, trainMetricNetwork, type MetricTrainingBudget } from './metric-training';
import { checkSequenceSet, packTimeMajor, type SequenceSet } from './sequence-set';

export interface ClassificationScoreOptions {
  seed?: number;
  budget?: Partial<MetricTrainingBudget>;
  /** Share of the pooled sequences the discriminator trains on (the reference: 0.8). */
  trainFraction?: number;
}

export interface ClassificationScore {
  /**
   * Test cross-entropy (nats per sequence) of the discriminator after its last epoch: higher
   * is better for the generator; ln 2 = 0.693 is a discriminator that cannot tell them apart.
   */
  score: number;
  /** Share of test sequences classified right (0.5 when indistinguishable). */
  accuracy: number;
  trainLoss: number;
  trainSize: number;
  testSize: number;
}

/**
 * LS4's classification score (metrics.py, compute_classification_score): generated (label 1)
 * and real (label 0) sequences pooled, shuffled and split 80 / 20; a one-layer S4 classifier
 * (metric-network.ts) trained with BCE on logits for the fixed budget; the score is its test
 * BCE after the last epoch, with no early stopping (as the reference).
 *
 * Deviation: the reference returns the sum of the per-batch mean losses over the test
 * batches of 128, which is the mean only when the test split holds at most 128 sequences;
 * this returns the mean over all test sequences.
 */
export function classificationScore(
  real: SequenceSet,
  generated: SequenceSet,
  options: ClassificationScoreOptions = {},
): ClassificationScore {
  const r = checkSequenceSet(real, 'real');
  const g = checkSequenceSet(generated, 'generated');
  if (g.channels !== r.channels || g.length !== r.length) {
    throw new Unprocessable('generated and real sequences must have the same channels and length', [
      { field: 'generated', reason: `expected ${r.channels} channels of length ${r.length}` },
    ]);
  }
  const budget = { ...LS4_METRIC_BUDGET, ...options.budget };
  const seed = options.seed ?? 0;
  const fraction = options.trainFraction ?? 0.8;
  const total = r.count + g.count;
  const nTrain = Math.floor(total * fraction);
  if (nTrain < 1 || nTrain >= total) {
    throw new Unprocessable('too few sequences to split into discriminator train and test sets', [
      { field: 'real', reason: `${total} sequences in all; train fraction ${fraction}` },
    ]);
  }
  const shape = { count: total, channels: r.channels, length: r.length };
  const pooled: SequenceSet = [...generated, ...real];
  const labels = Float32Array.from({ length: total }, (_, i) => (i < g.count ? 1 : 0));
  const perm = new Rng(deriveSeed(seed, 1)).shuffle(Array.from({ length: total }, (_, i) => i));
  const trainRows = perm.slice(0, nTrain);
  const testRows = perm.slice(nTrain);
  const xTrain = packTimeMajor(pooled, trainRows, shape);
  const L = r.length;
  const C = r.channels;
  const net = new MetricNetwork({ inputChannels: C, outputs: 1, pooled: true, seed: deriveSeed(seed, 2) });
  try {
    const batchLoss = (indices: number[]) =>
      tf.tidy(() => {
        const x = gatherRows(xTrain, indices, L * C, [L, C]);
        const y = tf.tensor1d(indices.map((i) => labels[trainRows[i]]));
        return bceWithLogits(net.forward(x).reshape([-1]), y);
      });
    const trainLoss = trainMetricNetwork(net, nTrain, batchLoss, budget, new Rng(deriveSeed(seed, 3)));
    const { ce, correct } = tf.tidy(() => {
      const x = tf.tensor3d(packTimeMajor(pooled, testRows, shape), [testRows.length, L, C]);
      const y = tf.tensor1d(testRows.map((i) => labels[i]));
      const logits = net.forward(x).reshape([-1]);
      const right = tf.equal(tf.greater(logits, 0).cast('float32'), y).cast('float32');
      return { ce: bceWithLogits(logits, y).dataSync()[0], correct: tf.sum(right).dataSync()[0] };
    });
    return {
      score: ce,
      accuracy: correct / testRows.length,
      trainLoss,
      trainSize: nTrain,
      testSize: testRows.length,
    };
  } finally {
    net.dispose();
  }
}

/** Mean binary cross-entropy on logits, the stable form of torch's BCEWithLogitsLoss. */
export function bceWithLogits(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() =>
    tf.mean(
      tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
    ),
  ) as tf.Scalar;
}

/** Rows `indices` of a packed [rows, ...rowShape] buffer as a tensor [indices.length, ...rowShape]. */
export function gatherRows(
  packed: Float32Array,
  indices: number[],
  rowSize: number,
  rowShape: [number, number],
): tf.Tensor3D {
  const out = new Float32Array(indices.length * rowSize);
  indices.forEach((row, i) => out.set(packed.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return tf.tensor3d(out, [indices.length, ...rowShape]);
}
