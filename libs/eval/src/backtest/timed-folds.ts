import { Unprocessable } from '@seqcast/core';
import {
  asTimed,
  ScaledForecaster,
  type FitContext,
  type FitReport,
  type Forecast,
  type Forecaster,
  type Series,
  type TimedForecaster,
  type TimedKeyedSeries,
} from '@seqcast/forecast';

/** The model as the TimedForecaster a timed backtest fits, inside its pipeline or bare; null if it reads rows as steps. */
function timedOf(model: Forecaster): TimedForecaster | null {
  return model instanceof ScaledForecaster ? model.timed : asTimed(model);
}

/** Fails before any fitting when a model asked to read times cannot. */
export function checkTimedModel(name: string, model: Forecaster): void {
  if (!timedOf(model))
    throw new Unprocessable(`Model '${name}' (${model.kind}) reads rows as equally spaced steps, not times`, [
      { field: 'models', reason: `model '${name}' has no 'timed' capability` },
    ]);
}

/**
 * A timed model's fit on the training parts with their times: through its pipeline as the
 * train job fits (fitTimedSeries: scales from each series' train rows), or bare on the rows as they are.
 */
export function fitTimedFold(
  model: Forecaster,
  keyed: TimedKeyedSeries[],
  ctx: FitContext,
  options: { nominalGap: number },
): Promise<FitReport> {
  if (model instanceof ScaledForecaster) return model.fitTimedSeries(keyed, ctx, options);
  const valid = keyed.filter((s) => s.valid).map((s) => ({ values: s.valid!, times: s.validTimes! }));
  return timedOf(model)!.fitTimed(
    keyed.map((s) => ({ values: s.train, times: s.trainTimes })),
    valid.length ? valid : undefined,
    ctx,
    options,
  );
}

/** One fold's context of a series with the times of its rows, and the times of the truths it is scored on. */
export interface TimedFoldContext {
  key: string;
  history: Series;
  times: ArrayLike<number>;
  future: ArrayLike<number>;
}

/** A timed model's forecasts of one fold: each context read at its times, each horizon made at the truths' times. */
export function predictTimedFold(
  model: Forecaster,
  contexts: TimedFoldContext[],
  horizon: number,
  options: { nominalGap: number },
): Forecast[] {
  if (model instanceof ScaledForecaster)
    return model.predictTimedSeriesBatch(
      contexts.map((c) => ({
        seriesKey: c.key,
        history: c.history,
        horizon,
        times: c.times,
        future: c.future,
      })),
      options,
    );
  return timedOf(model)!.predictTimedBatch(
    contexts.map((c) => ({ values: c.history, times: c.times })),
    contexts.map((c) => c.future),
    options,
  );
}
