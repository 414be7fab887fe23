import type { WorkContext } from '@seqcast/core';
import type { ResumedFrom } from '@seqcast/tensor';

/** One event sequence: absolute times (non-decreasing) and 0-based types, same length. */
export interface EventSequence {
  times: number[];
  types: number[];
}

/** Sequences that share a type set. */
export interface EventDataset {
  numTypes: number;
  sequences: EventSequence[];
}

/** A history to condition on; predictions are relative to its last event. */
export type EventHistory = EventSequence;

/** Next-event prediction: the time is absolute (last event + gap). */
export interface NextEventPrediction {
  /** Mean of the next gap (time since the last event of the history). */
  gapMean: number;
  /** Absolute time of the next event (last history time + gapMean). */
  timeMean: number;
  /** Gap quantiles at the requested levels, e.g. { '0.1': 0.2, '0.5': 0.9, '0.9': 3.1 }. */
  gapQuantiles: Record<string, number>;
  /** Absolute-time quantiles at the same levels. */
  timeQuantiles: Record<string, number>;
  /** P(next type = k), marginal over the next time. */
  typeProbs: number[];
  /** argmax of typeProbs. */
  type: number;
}

export interface PredictOptions {
  /** Monte Carlo samples behind the mean, quantiles and type probabilities (default 200). */
  samples?: number;
  /** Quantile levels (default [0.1, 0.5, 0.9]). */
  quantiles?: number[];
  seed?: number;
}

export interface GenerateOptions {
  /** Stop each continuation at this absolute time (exclusive). One of horizon / count is required. */
  horizon?: number;
  /** Number of events to generate per continuation. */
  count?: number;
  /** Number of independent continuations (default 1). */
  samples?: number;
  seed?: number;
  /** Safety cap on events per continuation when only horizon is given (default 1000). */
  maxEvents?: number;
  /** Reranking models (HYPRO) only: base continuations proposed per returned one. */
  rerank?: { proposals: number };
}

/** Sampled continuations: events after the history, one list per sample. */
export interface GeneratedContinuations {
  samples: EventSequence[];
}

/** One sampled next event per context, gap relative to the context's last event. */
export interface NextEventSample {
  gap: number;
  type: number;
}

/** Sums behind log-likelihood reporting: LL of events 2..L of each sequence given event 1. */
export interface LogLikelihoodResult {
  /** Total log-likelihood over the batch (event terms minus the integral). */
  total: number;
  /** Number of scored events. */
  events: number;
  /** total / events. */
  perEvent: number;
  /** Sum of log-intensity (or log-density) terms at the events, and the integral (compensator) term. */
  eventTerm: number;
  integralTerm: number;
}

export interface FitResult {
  epochs: Array<{ epoch: number; loss: number; valMetric?: number; seconds: number }>;
  bestEpoch?: number;
  seconds: number;
  /** Mean seconds per training epoch. */
  secondsPerEpoch: number;
  /** Where training took up from a checkpoint (given ctx.checkpoints). */
  resumedFrom?: ResumedFrom;
}

/** The bytes and manifest fields a model needs to be rebuilt. */
export interface EventModelArtifact {
  kind: string;
  config: Record<string, unknown>;
  numTypes: number;
  /** Data-derived constants (time scale, log-gap statistics). */
  state: Record<string, number>;
  /** Named float32 weights. */
  weights: Record<string, { shape: number[]; values: number[] | Float32Array }>;
}

/**
 * A temporal point process model. Likelihood convention (EasyTPP's): each sequence's
 * first event is the start; LL counts events 2..L and the compensator over (t_1, t_L].
 */
export interface EventModel {
  readonly kind: string;
  readonly numTypes: number;
  readonly config: Readonly<object>;
  fit(train: EventDataset, dev: EventDataset | null, ctx: WorkContext): Promise<FitResult>;
  logLikelihood(data: EventDataset | EventSequence[], options?: { integralPoints?: number; seed?: number }): LogLikelihoodResult;
  /** lambda_k(t) for t after the history's last event; returns one value per type. */
  intensity(history: EventHistory, t: number): number[];
  /**
   * lambda_k at many times after the history's last event, one row per time: what
   * `intensity` gives at each, for the price of one encoding of the history (absent: the
   * callers ask `intensity` at each time).
   */
  intensityAt?(history: EventHistory, times: number[]): number[][];
  /**
   * lambda_k along a sequence: at each time (from its first event on), given the events at or
   * before it, for the price of one encoding (absent: one call per prefix).
   */
  intensityAlong?(sequence: EventSequence, times: number[]): number[][];
  sampleNext(history: EventHistory, options?: { samples?: number; seed?: number }): NextEventSample[];
  predictNext(history: EventHistory, options?: PredictOptions): NextEventPrediction;
  generate(history: EventHistory, options: GenerateOptions): GeneratedContinuations;
  toArtifact(): EventModelArtifact;
  dispose(): void;
}
