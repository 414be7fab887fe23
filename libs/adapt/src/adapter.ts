import type { JsonSchema } from '@seqcast/kit';
import type { FrozenForecast } from './frozen-forecast';
import type { StreamHistory } from './stream-history';

/**
 * The data units of a stream and the normalised units adapters work in: per channel,
 * z = (x - mean) / std. Adapters learn in normalised units (as the reference code does on
 * standardised data) so their learning rates and gates do not depend on the data's scale.
 */
export interface ChannelScale {
  mean: number[];
  std: number[];
}

/** What an adapter is built around: a frozen forecaster, the horizon served, the stream's scale. */
export interface AdapterSetup {
  /** The frozen forecaster in normalised units (see FrozenForecast). */
  frozen: FrozenForecast;
  /** Steps forecast (and adapted on). */
  horizon: number;
  /** Data units <-> normalised units, per channel. */
  scale: ChannelScale;
  /** Seed of any random initialisation (deterministic given the seed). */
  seed?: number;
}

/**
 * One optimisation step an adapter took after an observation: which windows and which label
 * times it read. Every label time is < the stream's `next` at that point (tests assert it).
 */
export interface AdaptationUpdate {
  /** 'full': windows whose whole horizon has been observed; 'partial': the observed head of the newest horizons; 'online': an online learner's step (OneNet's branches and weights) */
  kind: 'full' | 'partial' | 'online';
  /** Window origins used, first and last (inclusive); a window with origin s reads values [s - lookback, s) and predicts [s, s + horizon). */
  origins: [number, number];
  /** Label times read, first and last (inclusive). */
  labels: [number, number];
  /** The step's loss (normalised units) before the step. */
  loss: number;
}

/** What GET .../adapters/:aid/state shows of one series' adapter. */
export interface AdapterStats {
  method: string;
  /** Time index of the next observation (the first context value is time 0). */
  next: number;
  /** Optimisation steps taken so far. */
  steps: number;
  /** Loss of the latest step (normalised units), null before the first. */
  recentLoss: number | null;
  /** Trainable parameters of the adapter (the frozen model's are not counted). */
  parameterCount: number;
}

/** Plain-JSON state of one series' adapter: what the API stores and restores after a restart. */
export interface AdapterSnapshot {
  method: string;
  version: number;
  options: Record<string, unknown>;
  horizon: number;
  lookback: number;
  channels: number;
  scale: ChannelScale;
  /** The stream's tail (see StreamHistory.toJSON). */
  history: { next: number; values: number[][] };
  steps: number;
  recentLoss: number | null;
  /** Trainable tensors by name, flattened row-major, with their shapes. */
  params: Record<string, { shape: number[]; values: number[] }>;
  /** Optimiser and method state (Adam moments, step counts, EG weights, schedule position). */
  extra: Record<string, unknown>;
}

/**
 * Online test-time adaptation of one series (docs/architecture.md, MODELS.md "Online
 * adaptation"): wraps a frozen forecaster; `forecast` predicts from the newest `lookback`
 * values seen; `observe` appends the next values (in time order, no gaps, no repeats) and
 * takes the method's optimisation steps on labels observed by then, never later ones.
 */
export interface Adapter {
  readonly method: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly lookback: number;
  readonly horizon: number;
  readonly channels: number;
  readonly parameterCount: number;
  /** Time index of the next value (values seen so far, the initial context counted). */
  readonly next: number;

  /**
   * Seeds the stream with its first values, data units, one array per channel (equal lengths
   * >= lookback), at times 0..n-1. Only once, before any observe.
   */
  start(context: ReadonlyArray<ArrayLike<number>>): void;

  /** The adapted forecast from the newest `lookback` values, data units: one array of `horizon` per channel. */
  forecast(): Float32Array[];

  /**
   * The values at times `at`, `at` + 1, ... (one array per channel, equal lengths >= 1,
   * data units). `at` must equal `next` (a gap or a repeat throws ValidationFailed on field
   * `at`, and nothing changes). Returns the steps taken.
   */
  observe(values: ReadonlyArray<ArrayLike<number>>, at: number): AdaptationUpdate[];

  stats(): AdapterStats;

  /**
   * Back to the initial trainable state (modules as at creation: the identity; optimiser and
   * method state fresh; steps 0), keeping the stream (its history and `next`) so observations
   * go on. POST .../adapters/:aid/reset.
   */
  reset(): void;

  snapshot(): AdapterSnapshot;

  /** Frees tensors; unusable afterwards. */
  dispose(): void;
}

/** A method as GET /models/adapter-methods shows it. */
export interface AdapterDescription {
  method: string;
  title: string;
  description: string;
  options: JsonSchema;
}

/**
 * An adapter's snapshot from its parts: the fields every method saves alike (what it wraps,
 * its scale and stream, its step count) around its own `params` and `extra`.
 */
export function adapterSnapshot(
  a: Pick<Adapter, 'method' | 'options' | 'horizon' | 'lookback' | 'channels'>,
  s: {
    version: number;
    scale: ChannelScale;
    history: StreamHistory;
    steps: number;
    recentLoss: number | null;
    params: AdapterSnapshot['params'];
    extra: Record<string, unknown>;
  },
): AdapterSnapshot {
  return {
    method: a.method,
    version: s.version,
    options: { ...a.options },
    horizon: a.horizon,
    lookback: a.lookback,
    channels: a.channels,
    scale: { mean: [...s.scale.mean], std: [...s.scale.std] },
    history: s.history.toJSON(),
    steps: s.steps,
    recentLoss: s.recentLoss,
    params: s.params,
    extra: s.extra,
  };
}
