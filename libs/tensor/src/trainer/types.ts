import type * as tf from '@tensorflow/tfjs';
import type { ResumedFrom } from './checkpoint';
import type { ScheduleSpec } from './schedules';

/** Anything that can hand out mini-batches by row index (windows, event sequences). */
export interface TrainDataset<B> {
  readonly size: number;
  /** Builds the batch for these rows. The Trainer disposes it (tf.dispose) after the step. */
  batch(indices: number[]): B;
  /**
   * Length of a row (variable-length sequences). When given and shuffling is on, batches
   * are drawn from length-sorted pools of shuffled rows (less padding; see length-buckets.ts).
   */
  lengthOf?(row: number): number;
}

/** A list of variables, or a tfjs-layers model (its trainableWeights). */
export type TrainableParams = tf.Variable[] | { trainableWeights: Array<{ read(): tf.Tensor }> };

export interface FitSpec<B> {
  params: TrainableParams;
  /** Scalar loss for one batch; `training` is false when called for evaluation. */
  loss(batch: B, training: boolean): tf.Scalar;
  train: TrainDataset<B>;
  /** Validation metric computed after each epoch (lower is better unless earlyStopping.mode is 'max'). */
  validate?: () => number | Promise<number>;
  /**
   * State of the model's own that the loss depends on and a checkpoint must keep (the states
   * of its dropout or sampling Rngs, a training phase): JSON-able. A resumed run restores it
   * before its first step, so the loss draws the numbers the uninterrupted run would have.
   */
  state?: { save(): unknown; restore(state: unknown): void };
}

export interface EarlyStoppingOptions {
  patience: number;
  minDelta?: number;
  mode?: 'min' | 'max';
  /** Put back the weights of the best epoch at the end (default true). */
  restoreBest?: boolean;
  /**
   * Validate the weights before the first step and count them as epoch 0: with restoreBest,
   * training that never beats its starting point on the validation metric returns it.
   */
  scoreInitial?: boolean;
}

export interface TrainerOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  schedule?: ScheduleSpec;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  earlyStopping?: EarlyStoppingOptions;
  /** Keep an exponential moving average of the weights; validation and the result use it. */
  emaDecay?: number;
  seed?: number;
  /** Shuffle rows each epoch (default true). */
  shuffle?: boolean;
  /** Drop the last incomplete batch (default false). */
  dropLast?: boolean;
  onEvent?: (event: TrainingEvent) => void;
  /** Minimum milliseconds between step events (default 250); epoch events always go out. */
  stepEventIntervalMs?: number;
}

export interface TrainingEvent {
  type: 'step' | 'epoch';
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** mean training loss so far in this epoch (step) or over the epoch (epoch) */
  loss: number;
  valMetric?: number;
  learningRate: number;
  gradNorm?: number;
  etaSeconds: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  valMetric?: number;
  learningRate: number;
  seconds: number;
}

export interface TrainingHistory {
  epochs: EpochRecord[];
  bestEpoch?: number;
  bestMetric?: number;
  stoppedEarly: boolean;
  steps: number;
  seconds: number;
  /** Where the run took up from a checkpoint (absent when it started from the beginning). */
  resumedFrom?: ResumedFrom;
}
