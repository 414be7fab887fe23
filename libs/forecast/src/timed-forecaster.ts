import type { Forecast } from './forecast';
import type { Forecaster } from './forecaster';
import type { TimedFitOptions, TimedSeries } from './ls4/timed-series';
import type { FitContext, FitReport } from './types';

/**
 * A forecaster that reads the time of each observation (registry capability 'timed': LS4,
 * whose S4D layers discretise each step with its own gap). Other kinds read rows as equally
 * spaced steps.
 */
export interface TimedForecaster extends Forecaster {
  /** The time that is one step, fixed by a timed fit; null after a regular fit. */
  readonly nominalGap: number | null;
  fitTimed(
    train: TimedSeries[],
    valid: TimedSeries[] | undefined,
    ctx: FitContext,
    options?: TimedFitOptions,
  ): Promise<FitReport>;
  /** One forecast per context, at the future times given for it (all of one length). */
  predictTimedBatch(
    contexts: TimedSeries[],
    futures: ArrayLike<number>[],
    options?: TimedFitOptions,
  ): Forecast[];
}

/** The model as a TimedForecaster, or null when it reads rows as equally spaced steps. */
export function asTimed(model: Forecaster): TimedForecaster | null {
  const m = model as Partial<TimedForecaster>;
  return typeof m.fitTimed === 'function' && typeof m.predictTimedBatch === 'function'
    ? (model as TimedForecaster)
    : null;
}
