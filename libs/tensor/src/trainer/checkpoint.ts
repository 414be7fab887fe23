import type { WorkContext } from '@seqcast/core';
import type { TrainingHistory } from './types';

/** Where a checkpoint stands in a training run. */
export interface CheckpointPosition {
  /** The epoch in progress (1-based); epochs + 1 once the last one has ended. */
  epoch: number;
  /** Steps of that epoch already taken (0 at an epoch's start). */
  step: number;
  /** Steps per epoch. */
  steps: number;
  epochs: number;
  /** Optimiser steps taken over the whole run. */
  globalStep: number;
  /** The loop has ended (last epoch or early stopping): only the final weights are left to set. */
  finished: boolean;
}

/** The float32 arrays of a checkpoint, one per parameter in the order the Trainer was given them. */
export interface CheckpointTensors {
  params: Float32Array[];
  /** AdamW's first and second moments. */
  m: Float32Array[];
  v: Float32Array[];
  /** The weight EMA's averages, when the run keeps one. */
  ema?: Float32Array[];
  /** Early stopping's best weights so far. */
  best?: Float32Array[];
}

/**
 * Everything a Trainer needs to continue a run as if it had never stopped: the weights,
 * the optimiser, the schedule, the position (and the random state at the start of the epoch,
 * so the epoch's batch order is drawn again identically), the model's own random streams,
 * early stopping's best-so-far and the EMA. JSON-able apart from `tensors`.
 */
export interface TrainerCheckpoint {
  position: CheckpointPosition;
  savedAt: string;
  /** The caller's labels (what request it belongs to, which job wrote it); the Trainer ignores them. */
  meta?: Record<string, unknown>;
  state: {
    /** The Trainer's Rng before this epoch's shuffle. */
    epochRng: number;
    /** Training loss summed over the steps of this epoch taken so far, and their count. */
    lossSum: number;
    lossCount: number;
    history: TrainingHistory;
    best: { metric: number; epoch: number } | null;
    sinceBest: number;
    optimizerSteps: number;
    emaUpdates?: number;
    schedule?: number[];
    /** What FitSpec.state saved (the model's dropout or sampling streams, its phase). */
    model?: unknown;
    /** Parameter shapes, to refuse a checkpoint of another model. */
    shapes: number[][];
  };
  tensors: CheckpointTensors;
}

/** Where a Trainer reads the checkpoint it resumes from and writes new ones. */
export interface TrainerCheckpoints {
  /** Steps between checkpoints inside an epoch (0: only at epoch ends). */
  everySteps: number;
  /** The checkpoint to resume from, or null to start from the beginning. */
  load(): Promise<TrainerCheckpoint | null>;
  save(checkpoint: TrainerCheckpoint): Promise<void>;
}

/** A work context that may carry checkpoints (a training job's). */
export type TrainContext = WorkContext & { checkpoints?: TrainerCheckpoints };

/** Where a run resumed, as the job result and the CLI report it. */
export interface ResumedFrom {
  epoch: number;
  step: number;
  steps: number;
  epochs: number;
  message: string;
}

/** "resumed at epoch 3, step 41 of 152" (step 0: at the start of the epoch). */
export function resumedFrom(p: CheckpointPosition): ResumedFrom {
  const where =
    p.epoch > p.epochs || p.finished
      ? `after the last epoch (${p.epochs})`
      : `at epoch ${p.epoch} of ${p.epochs}, step ${p.step} of ${p.steps}`;
  return { epoch: p.epoch, step: p.step, steps: p.steps, epochs: p.epochs, message: `resumed ${where}` };
}
