import { ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import { AdamW } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { MetricNetwork } from './metric-network';

/**
 * The fixed training budget of LS4's metric networks (metrics.py): 100 epochs, batch 128,
 * shuffled, AdamW at lr 0.01 without weight decay, the SSM's A and dt at min(0.001, lr).
 * The reference also builds a ReduceLROnPlateau scheduler there but never steps it, so the
 * rate is constant.
 */
export interface MetricTrainingBudget {
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export const LS4_METRIC_BUDGET: MetricTrainingBudget = { epochs: 100, batchSize: 128, learningRate: 0.01 };

export function checkBudget(budget: MetricTrainingBudget): void {
  const problems = [];
  if (!(Number.isInteger(budget.epochs) && budget.epochs >= 1))
    problems.push({ field: 'epochs', reason: 'must be a positive integer' });
  if (!(Number.isInteger(budget.batchSize) && budget.batchSize >= 1))
    problems.push({ field: 'batchSize', reason: 'must be a positive integer' });
  if (!(budget.learningRate > 0)) problems.push({ field: 'learningRate', reason: 'must be positive' });
  if (problems.length) throw new ValidationFailed('Invalid metric training budget', problems);
}

/**
 * Trains `net` for the budget on rows [0, rows): each epoch a seeded shuffle, then batches of
 * `batchSize` (the last one partial, as a DataLoader without drop_last). `loss(indices)` is
 * the mean loss of those rows. Returns the mean batch loss of the last epoch.
 */
export function trainMetricNetwork(
  net: MetricNetwork,
  rows: number,
  loss: (indices: number[]) => tf.Scalar,
  budget: MetricTrainingBudget,
  rng: Rng,
): number {
  checkBudget(budget);
  const general = new AdamW();
  const ssm = new AdamW();
  const ssmRate = Math.min(0.001, budget.learningRate);
  const params = [...net.general, ...net.ssm];
  const order = Array.from({ length: rows }, (_, i) => i);
  let lastEpoch = NaN;
  for (let epoch = 0; epoch < budget.epochs; epoch++) {
    rng.shuffle(order);
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < rows; start += budget.batchSize) {
      const batch = order.slice(start, start + budget.batchSize);
      const { value, grads } = tf.variableGrads(() => loss(batch), params);
      general.step(
        net.general,
        net.general.map((p) => grads[p.name]),
        budget.learningRate,
      );
      ssm.step(
        net.ssm,
        net.ssm.map((p) => grads[p.name]),
        ssmRate,
      );
      sum += value.dataSync()[0];
      batches++;
      tf.dispose([value, ...Object.values(grads)]);
    }
    lastEpoch = sum / batches;
  }
  return lastEpoch;
}
