/**
 * bench:forecast on any dataset (--dataset FILE): the M-competition protocol. Each series'
 * last H values are the test, everything before is what the models see; sMAPE and MASE are
 * averaged over series, OWA is relative to Naive2. Every kind runs in the served pipeline,
 * as the API trains and serves it. Local (statistical) kinds are fitted per series on its
 * whole training part (the pipeline leaves them on the data's scale), in `threads` worker
 * threads each taking a share of the series; global kinds are fitted once on every series'
 * training part (per-series scaling) and forecast each series from its last `lookback`
 * values (left-padded with the first value when shorter).
 */
import { detachedContext } from '@seqcast/core';
import { combineValues, servedPipeline } from '@seqcast/forecast';
import { runInWorkerThread } from '@seqcast/tensor';
import { loadavg } from 'os';
import * as path from 'path';
import { holdOutLast, HeldOutSeries, naive2, scoreDataset, DatasetScores } from './datasets/m-protocol';
import { readSeriesFile } from './datasets/series-file';
import { servedForecasts, ServedForecastsInput } from './datasets/served-forecasts.task';

const SERVED_TASK = path.join(__dirname, 'datasets', `served-forecasts.task${path.extname(__filename)}`);

export interface DatasetBenchOptions {
  file: string;
  /** Test length H (default: the file's @horizon). */
  horizon?: number;
  /** Season length m: models' seasonality and the MASE lag. */
  seasonality: number;
  /**
   * Kinds to run, plus 'naive2', 'theta-optimised' and combinations 'median:a+b+c' or
   * 'mean:a+b+c' of models run before (the ensemble kind's rule, on the members' forecasts
   * already computed rather than refitting them).
   */
  models: string[];
  /** Context length of global models (default max(2H, 2m, 12), capped by the shortest series). */
  lookback?: number;
  /** Keep only the first N series (0 = all). */
  maxSeries?: number;
  /** Worker threads the per-series kinds' series are shared out to (default 1: this thread). */
  threads?: number;
}

export interface DatasetRow extends DatasetScores {
  model: string;
  seconds: number;
  /** CPU seconds of this process (user + system): less sensitive than wall time to a shared machine's load. */
  cpuSeconds: number;
  series: number;
}

/** Statistical and baseline kinds: seasonality from the run, fitted on each series' whole training part. */
function localConfig(kind: string, m: number): Record<string, unknown> | null {
  const local = { seasonLength: m, lookback: 100_000, levels: [] };
  switch (kind) {
    case 'ets':
    case 'theta':
      return local;
    case 'theta-optimised':
      return { ...local, variant: 'optimised' };
    case 'arima':
      // seasonal ARIMA has m x (P + Q) states: weekly seasons (m = 52) cost minutes a series,
      // so above 24 the search is non-seasonal (the Monash archive used DHR-ARIMA there)
      return m > 24 ? { ...local, seasonal: false } : local;
    default:
      return null;
  }
}

function globalConfig(kind: string, m: number, horizon: number, lookback: number): Record<string, unknown> {
  switch (kind) {
    case 'naive':
    case 'drift':
      return {};
    case 'seasonal-naive':
      return { seasonLength: m };
    case 'classic-ar':
      return { order: Math.min(lookback, Math.max(m, 12)) };
    case 'ar-net':
      return { lags: lookback, horizon };
    default:
      return { lookback, horizon };
  }
}

function pad(values: Float64Array, length: number): Float32Array {
  if (values.length >= length) return Float32Array.from(values.subarray(values.length - length));
  const out = new Float32Array(length).fill(values[0]);
  out.set(values, length - values.length);
  return out;
}

/**
 * A per-series kind's forecasts of every series, in `threads` worker threads each fitting a
 * contiguous share of the series (in this thread when 1).
 */
async function localForecasts(
  kind: string,
  config: Record<string, unknown>,
  held: HeldOutSeries[],
  horizon: number,
  threads: number,
): Promise<Float64Array[]> {
  const input = (part: HeldOutSeries[]): ServedForecastsInput => ({
    kind,
    config,
    series: part.map((h) => ({ key: h.key, train: h.train })),
    horizon,
  });
  if (threads <= 1) return servedForecasts(input(held));
  const size = Math.ceil(held.length / threads);
  const shares = Array.from({ length: Math.ceil(held.length / size) }, (_, i) =>
    held.slice(i * size, (i + 1) * size),
  );
  const out = await Promise.all(
    shares.map((part) =>
      runInWorkerThread<ServedForecastsInput, Float64Array[]>(SERVED_TASK, 'servedForecasts', input(part)),
    ),
  );
  return out.flat();
}

async function forecastsOf(
  model: string,
  held: HeldOutSeries[],
  horizon: number,
  m: number,
  lookback: number,
  threads: number,
): Promise<Float64Array[]> {
  if (model === 'naive2') return held.map((h) => naive2(h.train, horizon, m));
  const local = localConfig(model, m);
  if (local)
    return localForecasts(model === 'theta-optimised' ? 'theta' : model, local, held, horizon, threads);
  const pipeline = servedPipeline(model, globalConfig(model, m, horizon, lookback));
  const need = pipeline.lookback + horizon;
  const trainable = held.filter((h) => h.train.length >= need);
  await pipeline.fitSeries(
    (trainable.length ? trainable : held).map((h) => ({
      key: h.key,
      train: [pad(h.train, Math.max(h.train.length, need))],
    })),
    detachedContext(),
  );
  const out = held.map((h) =>
    Float64Array.from(
      pipeline
        .predictSeries({ seriesKey: h.key, history: [pad(h.train, Math.max(pipeline.lookback, 1))], horizon })
        .channel(0),
    ),
  );
  pipeline.dispose();
  return out;
}

/** Runs the models on one dataset and prints a table; returns the rows. */
export async function runDatasetBenchmark(
  o: DatasetBenchOptions,
): Promise<{ dataset: string; horizon: number; rows: DatasetRow[] }> {
  const file = readSeriesFile(o.file);
  const horizon = o.horizon ?? file.horizon;
  if (!horizon) throw new Error(`${file.name}: no @horizon in the file; give --horizon`);
  let held = holdOutLast(file.series, horizon);
  if (o.maxSeries) held = held.slice(0, o.maxSeries);
  const m = o.seasonality;
  const shortest = Math.min(...held.map((h) => h.train.length));
  const lookback = o.lookback ?? Math.max(Math.min(Math.max(2 * horizon, 2 * m, 12), shortest), 2);
  console.log(
    `${file.name}: ${held.length} series (of ${file.series.length}), horizon ${horizon}, seasonality ${m}, shortest training part ${shortest}, global lookback ${lookback}; load ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const n2 = scoreDataset(
    held,
    held.map((h) => naive2(h.train, horizon, m)),
    m,
  );
  const rows: DatasetRow[] = [];
  const done = new Map<string, { forecasts: Float64Array[]; seconds: number; cpuSeconds: number }>();
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  for (const model of o.models) {
    const t0 = Date.now();
    const c0 = cpu();
    let cpuSeconds: number;
    let forecasts: Float64Array[];
    let seconds: number;
    const combination = /^(median|mean):(.+)$/.exec(model);
    if (combination) {
      const members = combination[2].split('+').map((k) => {
        const d = done.get(k);
        if (!d) throw new Error(`${model}: run ${k} before the combination (list it earlier in --models)`);
        return d;
      });
      forecasts = held.map((_, i) =>
        Float64Array.from({ length: horizon }, (_, h) =>
          combineValues(
            members.map((d) => d.forecasts[i][h]),
            combination[1],
          ),
        ),
      );
      // the members' fitting time plus the combination's
      seconds = members.reduce((s, d) => s + d.seconds, 0) + (Date.now() - t0) / 1000;
      cpuSeconds = members.reduce((s, d) => s + d.cpuSeconds, 0) + cpu() - c0;
    } else {
      forecasts = await forecastsOf(model, held, horizon, m, lookback, o.threads ?? 1);
      seconds = (Date.now() - t0) / 1000;
      cpuSeconds = cpu() - c0;
    }
    done.set(model, { forecasts, seconds, cpuSeconds });
    const row = { model, seconds, cpuSeconds, series: held.length, ...scoreDataset(held, forecasts, m, n2) };
    rows.push(row);
    console.log(
      `${model.padEnd(16)} sMAPE ${row.smape.toFixed(3).padStart(8)}  MASE ${row.mase.toFixed(3).padStart(7)}  OWA ${row.owa.toFixed(3)}  ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU)`,
    );
  }
  return { dataset: file.name, horizon, rows };
}
