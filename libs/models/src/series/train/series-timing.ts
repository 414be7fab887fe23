import { forecasterRegistry } from '@seqcast/forecast';
import type { ChannelSeries } from '../../series-data';
import { axisUnit, evenlySpaced, nominalGapOf, onAxis, timeAxis, TimingView } from '../time-axis';

export interface SeriesTiming {
  dt: boolean;
  nominalGap: number;
  /** Each series' times on the axis (timeAxis), by key; empty unless `dt` (only a timed fit reads them). */
  times: Map<string, Float64Array>;
  view: TimingView;
}

/**
 * The timing of a training run, or null when every series' rows are evenly spaced (a regular
 * dataset trains as it always did: dt 1 at every step). Uneven rows (gaps in a regular
 * calendar, or stamps off any grid) are read with their gaps by a 'timed' kind (LS4); every
 * other kind reads them as consecutive steps, as it always has, and the view says so.
 */
export function seriesTiming(
  kind: string,
  frequency: string | null,
  series: ChannelSeries[],
  lookback: number,
): SeriesTiming | null {
  const axis = timeAxis(frequency);
  // without a frequency the stamps are the axis: no copy of them
  const times = new Map(
    series.map((s) => [s.key, axis.frequency ? onAxis(axis, s.times, `series '${s.key}' times`) : s.times]),
  );
  const lists = [...times.values()];
  const nominalGap = nominalGapOf(axis, lists);
  if (evenlySpaced(lists, nominalGap)) return null;
  const dt = forecasterRegistry.can(kind, 'timed');
  if (!dt) times.clear();
  const unit = axisUnit(axis);
  const note = dt
    ? `rows are unevenly spaced: each step's dt is its gap over ${nominalGap} ${unit}, in training, validation and the test windows (lookback ${lookback} rows)`
    : `rows are unevenly spaced; ${kind} reads them as equally spaced steps (only 'timed' kinds such as ls4 read the gaps)`;
  return { dt, nominalGap, times, view: { dt, unit, nominalGap, note } };
}
