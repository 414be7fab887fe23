import type { Forecast, ForecastMeta, ScaledForecaster } from '@seqcast/forecast';
import {
  axisUnit,
  clockOf,
  evenlySpaced,
  futureOnAxis,
  gapClock,
  nominalGapOf,
  onAxis,
  timeAxis,
  TimingView,
} from '../time-axis';

export interface TimedContext {
  seriesKey: string;
  /** History per channel, oldest first (all channels as long as `times`). */
  history: ArrayLike<number>[];
  /** The stamp of every history value (UTC ms, or a numeric time column's numbers). */
  times: ArrayLike<number>;
  /** The request field the times came from, for errors (`contextTimes`, or the series'). */
  timesField: string;
  horizon: number;
}

/**
 * A timed model's forecast (LS4 with capability 'timed') from a context with its stamps, or
 * null where the old path gives the same: a kind that reads rows as steps, or a model fitted
 * on evenly spaced rows whose context is evenly spaced too (dt 1 everywhere).
 *
 * The stamps go on the axis of the model's training data (time-axis.ts): each context step's
 * dt is its gap over the nominal gap (the fit's; after a regular fit one frequency step, or
 * the context's median gap). The forecast's steps are one nominal gap apart: the frequency's
 * calendar when the data had one, else every nominal gap in ms, which the answer's
 * `frequency` label and `timing` say.
 */
export function timedForecast(
  f: ScaledForecaster,
  trainedFrequency: string | null,
  ctx: TimedContext,
  meta: Omit<ForecastMeta, 'frequency' | 'clock'>,
): { forecast: Forecast; timing: TimingView } | null {
  const model = f.timed;
  if (!model) return null;
  const axis = timeAxis(trainedFrequency);
  const n = ctx.times.length;
  // only the lookback's tail is read (the pipeline cuts the values the same way)
  const read = Math.min(n, f.lookback);
  const times = onAxis(axis, Array.prototype.slice.call(ctx.times, n - read), ctx.timesField, n - read);
  const gap = model.nominalGap ?? nominalGapOf(axis, [times]);
  if (model.nominalGap === null && evenlySpaced([times], gap)) return null;
  const stamp = axis.frequency
    ? { label: axis.frequency.label, clock: clockOf(axis.frequency.label) }
    : gapClock(gap);
  const forecast = f.predictTimedSeries(
    {
      seriesKey: ctx.seriesKey,
      history: ctx.history,
      times,
      future: futureOnAxis(times[read - 1], gap, ctx.horizon),
      horizon: ctx.horizon,
      meta: { ...meta, frequency: stamp.label, clock: stamp.clock },
    },
    { nominalGap: gap },
  );
  return {
    forecast,
    timing: {
      dt: true,
      unit: axisUnit(axis),
      nominalGap: gap,
      note: `each context step's dt is its gap over ${gap} ${axisUnit(axis)}; the forecast's steps are one such gap apart (${stamp.label})`,
    },
  };
}
