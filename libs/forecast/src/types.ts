import type { WorkContext } from '@seqcast/core';
import type { ResumedFrom, TrainContext, TrainingEvent } from '@seqcast/tensor';

/** One series: one Float32Array per channel, all of the same length (univariate = one channel). */
export type Series = Float32Array[];

/**
 * What `fit` receives: the context of a long computation plus optional training events, and
 * for trained kinds optional checkpoints (the train job's: the Trainer writes and resumes them).
 */
export type FitContext = WorkContext & Pick<TrainContext, 'checkpoints'> & { onEvent?: (event: TrainingEvent) => void };

/** What `fit` reports back (figures for the job result and the benchmark). */
export interface FitReport {
  /** Training windows used (all channels pooled). */
  windows: number;
  seconds: number;
  epochs?: Array<{ epoch: number; loss: number; valMetric?: number; seconds: number }>;
  bestEpoch?: number;
  /** Mean squared error on the validation windows, in the units of the data, when `valid` was given. */
  validMse?: number;
  /**
   * Config values the fit picked on the validation part (a penalty chosen by validation error):
   * a refit on every observation uses them as they are (see refitConfig).
   */
  chosen?: Record<string, unknown>;
  /** Where training took up from a checkpoint (trained kinds given checkpoints). */
  resumedFrom?: ResumedFrom;
}
