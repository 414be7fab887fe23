import { ValidationFailed } from '@seqcast/core';

/** Bounds of one level across the horizon: lower[h] and upper[h] for step h (0 = one step ahead). */
export interface IntervalBand {
  alpha: number;
  lower: number[];
  upper: number[];
}

/** Bands keyed by level name: alpha 0.1 -> '90' (the bounds are then named lo-90 and hi-90). */
export type IntervalSet = Record<string, IntervalBand>;

/**
 * Residuals y - y_hat, oldest first: one series used for every horizon step, or one series
 * per step (index h = residuals of (h + 1)-step-ahead forecasts).
 */
export type ResidualHistory = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/** Plain-JSON state of a calibrator: what the API stores per series, and restores after a restart. */
export interface CalibratorState {
  method: string;
  version: number;
  alpha: number[];
  options: Record<string, unknown>;
  /** per horizon step: the stored residuals (oldest first) and how many were ever appended */
  steps: Array<{ residuals: number[]; count: number }>;
  /** method-specific state (ACI's alpha_t, SPCI's forest bookkeeping) */
  extra: Record<string, unknown>;
  /** per step and level: the latest truths inside ('1') or outside ('0') the interval, oldest first */
  coverage?: Array<Record<string, string>>;
}

/** How `interval` treats a forecast longer than the calibrated steps. */
export interface IntervalOptions {
  /** true: steps past the calibrated ones reuse the last calibrated step's widths; false (default): refused */
  extrapolate?: boolean;
}

/** One horizon step of `describe()`: residual counts, method state, and per level its coverage. */
export interface CalibratorStepView {
  /** 1 = one step ahead */
  step: number;
  /** residuals kept for the step's intervals */
  residuals: number;
  /** residuals ever given (calibration and truths) */
  seen: number;
  levels: Record<
    string,
    { alpha: number; truths: number; rollingCoverage: number | null } & Record<string, unknown>
  >;
  [detail: string]: unknown;
}

/** What a calibrator's state holds, in words a reader can check (GET .../calibrators/:cid/state). */
export interface CalibratorStateView {
  method: string;
  alpha: number[];
  options: Record<string, unknown>;
  calibratedSteps: number;
  /** truths (forecast origins) per step in the rolling coverage */
  coverageWindow: number;
  steps: CalibratorStepView[];
}

/**
 * A conformal calibrator (docs/architecture.md): turns point forecasts into intervals from the
 * residuals of the point model, and learns online as truth arrives.
 * sktime's separation of verbs: `fit` on a residual history, `interval` to predict,
 * `update` to learn.
 */
export interface Calibrator {
  readonly method: string;
  /** the levels configured at creation (miscoverage rates, e.g. [0.1, 0.05]) */
  readonly alpha: readonly number[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly fitted: boolean;
  /** horizon steps with their own residual series */
  readonly steps: number;

  /** (Re)starts from a residual history; replaces any earlier state. */
  fit(history: ResidualHistory): void;

  /**
   * Intervals around point forecasts: point[h] is the forecast for step h. `alpha` defaults
   * to the configured levels; the levels are nested (a wider level's band contains every
   * narrower one's). A forecast longer than the fitted steps is refused (422 naming
   * `horizon`) unless `extrapolate`, when later steps use the last fitted step's widths.
   */
  interval(point: ArrayLike<number>, alpha?: readonly number[], options?: IntervalOptions): IntervalSet;

  /**
   * Truth for one forecast, or part of it: observed[i] and predicted[i] are the outcome and
   * the forecast of step fromStep + i (fromStep 0 = one step ahead). Appends residual
   * observed[i] - predicted[i] to that step's series (steps beyond the fitted ones are
   * ignored) and adapts that step's state only.
   */
  update(observed: ArrayLike<number>, predicted: ArrayLike<number>, fromStep?: number): void;

  /** The state per step and level, for reading (see CalibratorStateView). */
  describe(): CalibratorStateView;

  /** Number of residuals stored for a step. */
  residualCount(step?: number): number;

  toState(): CalibratorState;
}

/** '90' for alpha 0.1, '95' for 0.05, '97.5' for 0.025. */
export function levelName(alpha: number): string {
  return String(Number(((1 - alpha) * 100).toFixed(6)));
}

/** Column names of a level's bounds, StatsForecast style: lo-90, hi-90. */
export function boundNames(alpha: number): { lower: string; upper: string } {
  const level = levelName(alpha);
  return { lower: `lo-${level}`, upper: `hi-${level}` };
}

/** Checks a list of miscoverage rates; throws ValidationFailed naming each bad entry. */
export function checkAlphas(alpha: unknown, field = 'alpha'): number[] {
  if (!Array.isArray(alpha) || alpha.length === 0) {
    throw new ValidationFailed(`${field} must be a non-empty array of numbers in (0, 1)`, [
      { field, reason: 'must be a non-empty array of numbers in (0, 1)' },
    ]);
  }
  const details = alpha.flatMap((a, i) =>
    typeof a === 'number' && Number.isFinite(a) && a > 0 && a < 1
      ? []
      : [{ field: `${field}[${i}]`, reason: `must be a number in (0, 1), got ${JSON.stringify(a)}` }],
  );
  if (details.length)
    throw new ValidationFailed(`Invalid ${field}: ${details.map((d) => d.reason).join('; ')}`, details);
  return [...(alpha as number[])];
}

/** Normalises a residual history to one array per step, checking every value is finite. */
export function residualSeries(history: ResidualHistory): number[][] {
  const isNested =
    typeof history === 'object' &&
    history !== null &&
    history.length > 0 &&
    typeof (history as ArrayLike<unknown>)[0] === 'object';
  const series = isNested
    ? Array.from(history as ReadonlyArray<ArrayLike<number>>, (s) => Array.from(s))
    : [Array.from(history as ArrayLike<number>)];
  const details: Array<{ field: string; reason: string }> = [];
  series.forEach((s, h) => {
    if (s.length === 0) details.push({ field: isNested ? `residuals[${h}]` : 'residuals', reason: 'empty' });
    const bad = s.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0)
      details.push({
        field: isNested ? `residuals[${h}][${bad}]` : `residuals[${bad}]`,
        reason: 'must be a finite number',
      });
  });
  if (series.length === 0) details.push({ field: 'residuals', reason: 'empty' });
  if (details.length) throw new ValidationFailed('Invalid residual history', details);
  return series;
}

/**
 * What calibrating a forecast reads and gives back: point paths per channel in, a new
 * forecast with intervals out. libs/forecast's Forecast has this shape; this lib does not
 * depend on it.
 */
export interface CalibratableForecast<F> {
  readonly channels: number;
  channel(c: number): ArrayLike<number>;
  withIntervals(
    bands: Record<string, { lower: number[][]; upper: number[][] }>,
    source?: { calibratorId: string; method: string; calibratedSteps: number },
  ): F;
}

/**
 * A forecast with intervals: channel c gets its bounds from calibrators[c], one level per
 * alpha (named '90' for alpha 0.1, like the bounds lo-90 and hi-90). The source it records
 * carries `calibratedSteps`, the fewest steps any channel's calibrator has residuals for; a
 * forecast longer than that is refused unless `extrapolate` (then later steps reuse the last
 * calibrated step's widths, and `calibratedSteps` tells a reader where they start).
 */
export function calibrateForecast<F>(
  forecast: CalibratableForecast<F>,
  calibrators: ReadonlyArray<Calibrator>,
  options: {
    alpha?: readonly number[];
    source?: { calibratorId: string; method: string };
    extrapolate?: boolean;
  } = {},
): F {
  if (calibrators.length !== forecast.channels)
    throw new ValidationFailed(
      `${forecast.channels} channels need as many calibrators, got ${calibrators.length}`,
      [{ field: 'calibrators', reason: `one per channel (${forecast.channels})` }],
    );
  const bands: Record<string, { lower: number[][]; upper: number[][] }> = {};
  calibrators.forEach((cal, c) => {
    for (const [level, band] of Object.entries(
      cal.interval(forecast.channel(c), options.alpha, { extrapolate: options.extrapolate }),
    )) {
      bands[level] ??= { lower: [], upper: [] };
      bands[level].lower[c] = band.lower;
      bands[level].upper[c] = band.upper;
    }
  });
  const calibratedSteps = Math.min(...calibrators.map((c) => c.steps));
  return forecast.withIntervals(bands, options.source && { ...options.source, calibratedSteps });
}
