import { ErrorDetail, Unprocessable, ValidationFailed } from '@seqcast/core';
import type { Forecaster } from '@seqcast/forecast';
import type { BacktestOptions, BacktestSeries, RefitPolicy } from './backtest-types';

export interface ResolvedOptions {
  lookback: number;
  horizon: number;
  folds: number;
  step: number;
  refit: RefitPolicy;
  seasonality: number;
  channel: number | undefined;
  chartIndex: number;
}

function positiveInteger(details: ErrorDetail[], field: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) details.push({ field, reason: `must be a positive integer, got ${String(value)}` });
}

/** Checks the request's shape (400 when malformed) and fills in defaults. */
export function resolveOptions(o: BacktestOptions): ResolvedOptions {
  const details: ErrorDetail[] = [];
  positiveInteger(details, 'lookback', o.lookback);
  positiveInteger(details, 'horizon', o.horizon);
  positiveInteger(details, 'folds', o.folds);
  const step = o.step ?? o.horizon;
  positiveInteger(details, 'step', step);
  const seasonality = o.seasonality ?? 1;
  positiveInteger(details, 'seasonality', seasonality);
  const refit = o.refit ?? 'once';
  if (refit !== 'once' && refit !== 'every-fold') details.push({ field: 'refit', reason: `must be 'once' or 'every-fold', got ${String(refit)}` });
  if (o.channel !== undefined && (!Number.isInteger(o.channel) || o.channel < 0)) details.push({ field: 'channel', reason: 'must be a non-negative integer' });

  if (!Array.isArray(o.models) || o.models.length === 0) details.push({ field: 'models', reason: 'expected at least one model' });
  else {
    const names = new Set<string>();
    o.models.forEach((m, i) => {
      if (typeof m.name !== 'string' || m.name === '') details.push({ field: `models[${i}].name`, reason: 'must be a non-empty string' });
      else if (names.has(m.name)) details.push({ field: `models[${i}].name`, reason: `duplicate model name '${m.name}'` });
      names.add(m.name);
    });
  }

  const timed = Array.isArray(o.models) ? o.models.findIndex((m) => m.timed) : -1;
  if (timed >= 0 && Array.isArray(o.series))
    o.series.forEach((s, i) => {
      if (!s.axisTimes) details.push({ field: `series[${i}].axisTimes`, reason: `model '${o.models[timed].name}' is timed: each series needs its rows' times` });
    });

  let chartIndex = 0;
  if (!Array.isArray(o.series) || o.series.length === 0) details.push({ field: 'series', reason: 'expected at least one series' });
  else {
    checkSeriesShapes(o.series, o.channel, details);
    if (o.chartSeries !== undefined) {
      chartIndex = o.series.findIndex((s) => s.key === o.chartSeries);
      if (chartIndex < 0) details.push({ field: 'chartSeries', reason: `no series has key '${o.chartSeries}'` });
    }
  }
  if (details.length) throw new ValidationFailed(`Invalid backtest request: ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`, details);
  return { lookback: o.lookback, horizon: o.horizon, folds: o.folds, step, refit, seasonality, channel: o.channel, chartIndex };
}

function checkSeriesShapes(series: BacktestSeries[], channel: number | undefined, details: ErrorDetail[]): void {
  const keys = new Set<string>();
  series.forEach((s, i) => {
    const field = `series[${i}]`;
    if (keys.has(s.key)) details.push({ field: `${field}.key`, reason: `duplicate series key '${s.key}'` });
    keys.add(s.key);
    if (!(s.times instanceof Float64Array)) details.push({ field: `${field}.times`, reason: 'must be a Float64Array of UTC milliseconds' });
    if (!Array.isArray(s.values) || s.values.length === 0) {
      details.push({ field: `${field}.values`, reason: 'expected at least one channel' });
      return;
    }
    s.values.forEach((ch, c) => {
      if (!(ch instanceof Float32Array)) details.push({ field: `${field}.values[${c}]`, reason: 'must be a Float32Array' });
      else if (ch.length !== s.times.length) details.push({ field: `${field}.values[${c}]`, reason: `has ${ch.length} values but times has ${s.times.length}` });
    });
    if (s.axisTimes !== undefined && (!(s.axisTimes instanceof Float64Array) || s.axisTimes.length !== s.times.length))
      details.push({ field: `${field}.axisTimes`, reason: `one Float64Array time per row (${s.times.length})` });
    if (channel !== undefined && channel >= s.values.length) details.push({ field: 'channel', reason: `series '${s.key}' has ${s.values.length} channels; channel ${channel} does not exist` });
  });
  // Models are fitted on all series at once, which needs one channel count.
  if (channel === undefined && series.some((s) => s.values.length !== series[0].values.length)) {
    details.push({ field: 'series', reason: 'series differ in channel count; choose one channel with `channel`' });
  }
}

/** Fails before any fitting when a model cannot serve the requested lookback or horizon. */
export function checkModelFits(name: string, model: Forecaster, lookback: number, horizon: number): void {
  if (model.lookback > lookback) {
    throw new Unprocessable(`Model '${name}' (${model.kind}) reads ${model.lookback} steps of context; the backtest gives ${lookback}`, [
      { field: 'lookback', reason: `model '${name}' needs at least ${model.lookback}` },
    ]);
  }
  if (model.maxHorizon < horizon) {
    throw new Unprocessable(`Model '${name}' (${model.kind}) forecasts at most ${model.maxHorizon} steps; the backtest asks for ${horizon}`, [
      { field: 'horizon', reason: `model '${name}' allows at most ${model.maxHorizon}` },
    ]);
  }
}

/**
 * Models reject NaN in what they read (training data and contexts), so a gap there is
 * reported up front with the series, channel and time; gaps in the forecast targets alone
 * are fine (the measures skip them).
 */
export function checkReadRangesFinite(key: string, times: Float64Array, channels: Float32Array[], channelIds: number[], ranges: Array<[number, number]>): void {
  for (let c = 0; c < channels.length; c++) {
    const ch = channels[c];
    for (const [from, to] of ranges) {
      for (let t = from; t < to; t++) {
        if (!Number.isFinite(ch[t])) {
          const at = Number.isFinite(times[t]) ? new Date(times[t]).toISOString() : `index ${t}`;
          throw new Unprocessable(`Series '${key}' channel ${channelIds[c]} has ${ch[t]} at index ${t} (${at}), inside the data the models train on or read as context`, [
            { field: `series.${key}`, row: t + 1, column: `channel ${channelIds[c]}`, reason: 'NaN or infinite values are only allowed in the forecast targets' },
          ]);
        }
      }
    }
  }
}
