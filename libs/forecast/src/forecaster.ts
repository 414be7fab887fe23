import type { Float32Tensor } from '@seqcast/kit';
import type * as tf from '@tensorflow/tfjs';
import type { Forecast } from './forecast';
import type { FitContext, FitReport, Series } from './types';

/** A stored tensor of an artifact, backend-free: the kit's float32 tensor. */
export type ArtifactTensor = Float32Tensor;

/**
 * Everything needed to rebuild a fitted model: its kind (the registry finds the class by
 * it), its validated config, a JSON state (coefficients of closed-form models, scalers,
 * fit metadata) and float32 weights for tfjs models.
 */
export interface ForecasterArtifact {
  kind: string;
  config: Record<string, unknown>;
  state: Record<string, unknown>;
  tensors: Record<string, ArtifactTensor>;
}

/**
 * What a model can do beyond fit/predict. Every zoo model has a differentiable forward;
 * `update` differs in kind:
 *  - 'exact': the result equals a refit on everything seen so far plus the new data
 *    (closed-form models: the normal equations are accumulated);
 *  - 'gradient': a few optimiser steps on the windows that end in the new data (trained models);
 *  - 'stateless': nothing is learnt from data (naive, seasonal naive, drift), update only checks it;
 *  - 'none': the model cannot update (update throws).
 */
export interface ForecasterCapabilities {
  /** forward is a differentiable tf function of the context (and of the weights of trained models). */
  differentiable: boolean;
  update: 'exact' | 'gradient' | 'stateless' | 'none';
  /**
   * The model reads each series on the data's own scale and must not be standardised: a
   * per-series statistical model fits every context afresh (scaling gains it nothing), and
   * some of its variants need the data's sign (multiplicative ETS, multiplicative seasonal
   * decomposition need positive values). The pipeline then records identity scales (mean 0,
   * std 1) for it. Absent: false.
   */
  scaleFree?: boolean;
}

/** What `update` reports back. */
export interface UpdateReport {
  /** Windows of the new data the update used (all channels pooled). */
  windows: number;
  /** Optimiser steps taken (trained models). */
  steps?: number;
  seconds: number;
}

/**
 * The forecasting model contract (docs/architecture.md). Data are series with one
 * Float32Array per channel; multivariate series are modelled channel-independently unless
 * a model says otherwise.
 */
export interface Forecaster {
  readonly kind: string;
  /** The validated configuration (defaults filled in). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Steps of context a prediction reads (the context may be longer; only the tail is used). */
  readonly lookback: number;
  /** Longest horizon `predict` accepts. */
  readonly maxHorizon: number;
  readonly fitted: boolean;

  /** Fits on training series; `valid` (optional) is used for early stopping or reported. */
  fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport>;

  /** Forecasts `horizon` steps after the end of `context`. Throws Unprocessable when it doesn't fit. */
  predict(context: Series, horizon: number): Forecast;

  /** Many contexts at once (one forward pass for tfjs models); same checks as predict. */
  predictBatch(contexts: Series[], horizon: number): Forecast[];

  readonly capabilities: ForecasterCapabilities;

  /**
   * The forecast as tf ops, for adapters that back-propagate through a frozen model:
   * context [batch, time, channels] (time >= lookback; the tail is read) -> forecast
   * [batch, horizon, channels], the same values as `predict`. Trained models keep their
   * variables, so gradients reach the weights too. Call inside tf.tidy (the result is
   * the caller's to dispose).
   */
  forward(context: tf.Tensor3D, horizon: number): tf.Tensor3D;

  /**
   * Incremental fitting (sktime's verb): `newObservations[i]` continues the i-th training
   * series (further entries are new series). Windows that straddle the old and the new
   * data are formed from the tail of the old data the model keeps. See `capabilities.update`.
   */
  update(newObservations: Series[], ctx?: FitContext): Promise<UpdateReport>;

  toArtifact(): ForecasterArtifact;

  /** Frees tensors (tfjs models); the model is unusable afterwards. */
  dispose(): void;
}

/** Static side of a model class: how the registry rebuilds it. */
export interface ForecasterClass {
  fromArtifact(artifact: ForecasterArtifact): Forecaster;
}
