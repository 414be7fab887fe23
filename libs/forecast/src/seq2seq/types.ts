import type { NewModelArtifact } from '@seqcast/kit';
import type { ResumedFrom } from '@seqcast/tensor';
import type { FitContext } from '../types';

/**
 * A sequence-to-sequence data set (HiSS's setting), as the models read it: per sequence, one
 * Float32Array per channel. Inputs are at the high rate, targets at the low rate, and
 * `ratio` input samples (one chunk, indices [k ratio, (k + 1) ratio)) lead to target k,
 * which is taken at the time of the chunk's last sample. Sequences may differ in length.
 * (libs/eval's Seq2SeqSet has this shape plus rates and names; the lead wires one to the other.)
 */
export interface Seq2SeqData {
  /** [sequence][channel] at the input rate. */
  inputs: Float32Array[][];
  /** [sequence][channel] at the output rate: length = input length / ratio. */
  targets: Float32Array[][];
}

/** What `fit` reports back. */
export interface Seq2SeqFitReport {
  sequences: number;
  /** Output steps trained on (all sequences). */
  outputSteps: number;
  seconds: number;
  epochs: Array<{ epoch: number; loss: number; valMetric?: number; seconds: number }>;
  bestEpoch?: number;
  /** Masked MSE on `valid` in z-scored target units (the reference's validation loss), best epoch. */
  validMseScaled?: number;
  /** Masked MSE on `valid` in the targets' own units, with the final weights. */
  validMse?: number;
  resumedFrom?: ResumedFrom;
}

/** A saved seq2seq model: the kit's manifest (family 'seq2seq'). */
export type Seq2SeqArtifact = NewModelArtifact;

/**
 * A model that maps high-rate input sequences to low-rate output sequences (HiSS and its flat
 * baselines). `ratio` input steps make one output step.
 */
export interface Seq2SeqModel {
  readonly kind: string;
  readonly config: Record<string, unknown>;
  readonly ratio: number;
  readonly fitted: boolean;
  readonly parameterCount: number;
  fit(train: Seq2SeqData, valid: Seq2SeqData | undefined, ctx: FitContext): Promise<Seq2SeqFitReport>;
  /** [sequence][channel] at the input rate -> [sequence][target channel] at the output rate. */
  predict(inputs: Float32Array[][]): Float32Array[][];
  toArtifact(): Seq2SeqArtifact;
  dispose(): void;
}
