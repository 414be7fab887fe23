import { EventHistory, intensityAlong, intensityCurve, RegisteredEventModel } from '@seqcast/events';
import { EventTimeScale } from './event-artifacts';
import { datasetTimeUnit } from './event-time-unit';

/**
 * The intensity curve after a history (in model time) in the dataset's terms: gaps and the
 * horizon in the dataset's unit (seconds for timestamped data, as generation's horizon is),
 * times as the dataset gives them, intensities and the density per that unit; with `along`,
 * the intensity over the history's own span too, each time given the events up to it.
 */
export function intensityInDatasetUnit(
  model: RegisteredEventModel,
  history: EventHistory,
  ts: EventTimeScale,
  options: { points: number; horizon?: number; along?: boolean },
  toDataTime: (modelTime: number) => number | string,
) {
  const { unit, perUnit } = datasetTimeUnit(ts.timestamps);
  // model time units per dataset unit
  const ratio = perUnit / ts.scale;
  const c = intensityCurve(model, history, {
    points: options.points,
    horizon: options.horizon === undefined ? undefined : options.horizon * ratio,
  });
  const last = history.times[history.times.length - 1];
  const perDatasetUnit = (v: number) => v * ratio;
  const along = options.along ? intensityAlong(model, history, options.points) : undefined;
  return {
    unit,
    after: toDataTime(last),
    gaps: c.gaps.map((g) => g / ratio),
    times: c.gaps.map((g) => toDataTime(last + g)),
    intensity: c.intensity.map((row) => row.map(perDatasetUnit)),
    total: c.total.map(perDatasetUnit),
    compensator: c.compensator,
    survival: c.survival,
    density: c.density.map(perDatasetUnit),
    ...(along && {
      along: {
        times: along.times.map(toDataTime),
        intensity: along.intensity.map((row) => row.map(perDatasetUnit)),
        total: along.total.map(perDatasetUnit),
      },
    }),
  };
}
