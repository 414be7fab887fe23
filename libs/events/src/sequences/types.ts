/**
 * Sequence-level data (EBES's layout): one row per sequence, the event times, numeric and
 * categorical features per event, and one target for the whole sequence.
 */
export interface SequenceRow {
  /** Event times, non-decreasing. */
  times: number[];
  /** [events][numericFeatures]. */
  numeric: number[][];
  /** [events][categoricalFeatures]: integer codes 0..cardinality-1. */
  categorical?: number[][];
  /** Class index (classification) or value (regression). */
  target: number;
}

export type SequenceTask = 'classification' | 'regression';

/** What a model is sized by: the task and the per-event feature layout. */
export interface SequenceSchema {
  task: SequenceTask;
  /** Classes (classification only). */
  numClasses?: number;
  numericFeatures: number;
  /** One cardinality per categorical feature. */
  categoricalCardinalities: number[];
}

/** What a fitted sequence model reports. */
export interface SequenceFitReport {
  epochs: number;
  bestEpoch?: number;
  bestValLoss?: number;
  seconds: number;
  /** CoLES: the contrastive pretraining's epochs and final loss. */
  pretrain?: { epochs: number; loss: number; seconds: number };
}

/** A sequence-level model: fit on rows, then class probabilities or values per row. */
export interface SequenceModel {
  readonly kind: string;
  readonly schema: SequenceSchema;
  /** [rows][classes] probabilities (classification) or [rows][1] values (regression). */
  predict(rows: SequenceRow[]): number[][];
  dispose(): void;
}
