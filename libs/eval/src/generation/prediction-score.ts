import { Unprocessable } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { gatherRows } from './classification-score';
import { MetricNetwork } from './metric-network';
import { LS4_METRIC_BUDGET, trainMetricNetwork, type MetricTrainingBudget } from './metric-training';
import { checkSequenceSet, packTimeMajor, type SequenceSet, type SequenceSetShape } from './sequence-set';

/** LS4's pred_step: the score is the one-step-ahead MSE over the last 10 steps. */
export const PREDICTION_STEPS = 10;

export interface PredictionScoreOptions {
  seed?: number;
  budget?: Partial<MetricTrainingBudget>;
  /** Last steps scored (and trained on). */
  steps?: number;
  /** Output activation: identity (the reference's default) or sigmoid (its temperature_rain). */
  activation?: 'identity' | 'sigmoid';
}

export interface PredictionScore {
  /** MSE on the real set of the predictor trained on the generated set: lower is better. */
  score: number;
  trainLoss: number;
}

/** A causal next-step predictor trained on one set, scored on any set of the same channels. */
export interface NextStepPredictor {
  readonly trainLoss: number;
  /** One-step-ahead MSE over the last `steps` steps of every sequence and channel. */
  mse(set: SequenceSet): number;
  dispose(): void;
}

/**
 * Trains LS4's predictor (metrics.py, compute_predictive_score): a one-layer causal S4
 * network maps x[0..L-2] to x[1..L-1] (seq2seq), its MSE masked to the last `steps`
 * positions, for the fixed budget. Causality holds because the S4D convolution is causal and
 * the head acts per step, so output t sees inputs up to t only.
 *
 * Deviation: the reference's head has one output whatever the channel count (its target
 * then broadcasts); here it predicts every channel (the same on univariate data).
 */
export function fitNextStepPredictor(
  train: SequenceSet,
  options: PredictionScoreOptions = {},
): NextStepPredictor {
  const steps = options.steps ?? PREDICTION_STEPS;
  const s = checkSequenceSet(train, 'generated', steps + 1);
  const seed = options.seed ?? 0;
  const budget = { ...LS4_METRIC_BUDGET, ...options.budget };
  const { channels: C, length: L } = s;
  const net = new MetricNetwork({
    inputChannels: C,
    outputs: C,
    pooled: false,
    activation: options.activation,
    seed: deriveSeed(seed, 4),
  });
  const packed = packTimeMajor(
    train,
    Array.from({ length: s.count }, (_, i) => i),
    s,
  );
  let trainLoss: number;
  try {
    trainLoss = trainMetricNetwork(
      net,
      s.count,
      (indices) => tf.tidy(() => maskedNextStepMse(net, gatherRows(packed, indices, L * C, [L, C]), steps)),
      budget,
      new Rng(deriveSeed(seed, 5)),
    );
  } catch (e) {
    net.dispose();
    throw e;
  }
  return {
    trainLoss,
    mse(set: SequenceSet): number {
      const t = checkSequenceSet(set, 'real', steps + 1);
      if (t.channels !== C) {
        throw new Unprocessable('real and generated sets have different channels', [
          { field: 'real', reason: `expected ${C} channels, got ${t.channels}` },
        ]);
      }
      return tf.tidy(() => maskedNextStepMse(net, packAll(set, t), steps).dataSync()[0]);
    },
    dispose: () => net.dispose(),
  };
}

/**
 * LS4's prediction score: train on the generated set, test on the real one (lower is
 * better). The reference sums per-batch means over test batches of 128; this is the mean
 * over all masked test values (equal when the real set holds at most 128 sequences).
 */
export function predictionScore(
  real: SequenceSet,
  generated: SequenceSet,
  options: PredictionScoreOptions = {},
): PredictionScore {
  checkSequenceSet(real, 'real', (options.steps ?? PREDICTION_STEPS) + 1);
  const predictor = fitNextStepPredictor(generated, options);
  try {
    return { score: predictor.mse(real), trainLoss: predictor.trainLoss };
  } finally {
    predictor.dispose();
  }
}

function packAll(set: SequenceSet, shape: SequenceSetShape): tf.Tensor3D {
  const rows = Array.from({ length: shape.count }, (_, i) => i);
  return tf.tensor3d(packTimeMajor(set, rows, shape), [shape.count, shape.length, shape.channels]);
}

/** MSE of predicting x[t + 1] from x[..t] over the last `steps` targets. x: [B, L, C]. */
function maskedNextStepMse(net: MetricNetwork, x: tf.Tensor3D, steps: number): tf.Scalar {
  const [B, L, C] = x.shape;
  const input = tf.slice(x, [0, 0, 0], [B, L - 1, C]);
  const pred = net.forward(input as tf.Tensor3D); // [B, L - 1, C]
  const scored = tf.slice(pred, [0, L - 1 - steps, 0], [B, steps, C]);
  const target = tf.slice(x, [0, L - steps, 0], [B, steps, C]);
  return tf.mean(tf.squaredDifference(scored, target)) as tf.Scalar;
}
