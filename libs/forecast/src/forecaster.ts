import type { Forecast } from './forecast';
import type { FitContext, FitReport, Series } from './types';

/** A stored tensor of an artifact, backend-free. */
export interface ArtifactTensor {
  shape: number[];
  values: Float32Array;
}

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
 * The forecasting model contract (ARCHITECTURE.md). Data are series with one
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

  toArtifact(): ForecasterArtifact;

  /** Frees tensors (tfjs models); the model is unusable afterwards. */
  dispose(): void;
}

/** Static side of a model class: how the registry rebuilds it. */
export interface ForecasterClass {
  fromArtifact(artifact: ForecasterArtifact): Forecaster;
}
