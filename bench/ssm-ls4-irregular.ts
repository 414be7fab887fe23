/**
 * The irregular part of `npm run bench:ssm`: LS4 on Monash series irregularly subsampled
 * (issue 22's figure: with its per-step dt better than the same model without dt and than
 * linear interpolation + NLinear). Protocol:
 * - Every series z-scored by the mean and std of its own training part, and its last H values
 *   the test window, H and the lookback as in the forecast part (bench/ssm-ls4-forecast.ts).
 * - Per seed and drop fraction p: before the test window, round(p x n) of a series' n points
 *   dropped at random (libs/eval randomlyKept, seeded by the seed and the series' index, so
 *   for one seed p = 0.5 drops p = 0.3's points and more); the last point before the test
 *   window is never dropped, so every method forecasts the same H regular steps from the same
 *   end time; the test window's truth stays whole and on the regular grid.
 * - Methods, each fitted once on all series' data before the test window (runBacktest with one
 *   fold: the platform's backtest, models in their served pipelines, validation on the last
 *   10% of a series' rows where both parts hold a whole window):
 *   1. LS4 with dt: the kept points with their integer times (fitTimed, one step = dt 1), the
 *      forecast made at the H regular times after the context (predictTimed); point = the
 *      mean of its sample paths.
 *   2. LS4 without dt: the kept values read as equally spaced steps (fit / predict); its H
 *      steps read as the next H regular steps.
 *   3. Linear interpolation + NLinear: the kept points interpolated back onto the full grid
 *      (libs/numeric interpolateLinear), then the NLinear-style ridge fitted and forecast as
 *      usual.
 *   Reference (nothing dropped): LS4 and NLinear on the full series, what the drop cost.
 *   LS4's lookback counts observations: on the kept points the forecast part's rule (max(2H,
 *   2m, 12), capped so the shortest kept series holds a training window); the models on the
 *   full grid (interpolated or whole) take the rule on the full series.
 * - Metric: MSE and MAE of the point forecast pooled over every series' test window, mean ±
 *   std over seeds. Only forecasts are scored: no method is asked for the dropped values.
 */
import { loadavg } from 'os';
import * as path from 'path';
import { sharedDataDir } from '@seqcast/core';
import {
  meanStd,
  randomlyKept,
  type BacktestModel,
  type BacktestSeries,
  type ModelSummary,
} from '@seqcast/eval';
import { servedPipeline } from '@seqcast/forecast';
import { deriveSeed, interpolateLinear } from '@seqcast/numeric';
import { monashSetting } from './datasets/monash-setting';
import { readSeriesFile } from './datasets/series-file';
import { pickFiles } from './ssm-ls4';
import { cell, lastWindowBacktest, monashLookback, zScoredSeries } from './ssm-ls4-forecast';

export interface Ls4IrregularBudget {
  /** Fractions of the points before the test window dropped, each in [0, 1). */
  drops: number[];
  seeds: number;
  /** The first seed (a run can add seeds to an earlier one's). */
  firstSeed?: number;
  epochs: number;
  /** LS4's maxWindowsPerEpoch: a seeded subset of the training windows per fit (0 = all). */
  windows: number;
  /** Sample paths per forecast. */
  samples: number;
  datasets?: string[];
}

export const WITH_DT = 'LS4 with dt';
export const WITHOUT_DT = 'LS4 without dt';
export const INTERPOLATED = 'linear interpolation + NLinear';
const LS4_FULL = 'LS4, nothing dropped';
const NLINEAR_FULL = 'NLinear, nothing dropped';

export interface IrregularRow {
  model: string;
  /** The fraction dropped; null for the reference rows (nothing dropped). */
  drop: number | null;
  /** The seed of the drop and of LS4; null for NLinear on the full series (deterministic). */
  seed: number | null;
  mse: number;
  mae: number;
  fitSeconds: number;
  predictSeconds: number;
}

export interface Ls4IrregularResult {
  budget: Ls4IrregularBudget;
  datasets: Array<{
    name: string;
    series: number;
    horizon: number;
    seasonality: number;
    /** Lookback on the full grid (whole or interpolated series). */
    lookback: number;
    /** LS4's lookback on the kept points, per fraction dropped (as a string key). */
    keptLookbacks: Record<string, number>;
    rows: IrregularRow[];
    /** 1-minute load average at the end of the file's run. */
    load: string;
    seconds: number;
  }>;
}

/**
 * A z-scored series with a fraction of its points before the test window dropped: the kept
 * points at their integer times (as `times` and as the timed models' `axisTimes`), then the
 * whole test window.
 */
function subsampled(s: BacktestSeries, horizon: number, fraction: number, seed: number): BacktestSeries {
  const n = s.times.length - horizon;
  const rows = [...randomlyKept(n, fraction, seed), ...Array.from({ length: horizon }, (_, h) => n + h)];
  const times = Float64Array.from(rows);
  return { key: s.key, times, axisTimes: times, values: [Float32Array.from(rows, (i) => s.values[0][i])] };
}

/** A subsampled series' context interpolated back onto the full grid, then its test window. */
function interpolated(kept: BacktestSeries, full: BacktestSeries, horizon: number): BacktestSeries {
  const m = kept.times.length - horizon;
  const n = full.times.length - horizon;
  const grid = interpolateLinear(
    kept.times.subarray(0, m),
    kept.values[0].subarray(0, m),
    full.times.subarray(0, n),
  );
  const values = new Float32Array(n + horizon);
  values.set(grid);
  values.set(full.values[0].subarray(n), n);
  return { key: full.key, times: full.times, values: [values] };
}

export async function ls4IrregularBenchmark(
  b: Ls4IrregularBudget,
  log: (line: string) => void,
): Promise<Ls4IrregularResult> {
  for (const p of b.drops)
    if (!(p >= 0 && p < 1)) throw new Error(`--drop: every fraction must be in [0, 1), got ${p}`);
  const dir = path.join(sharedDataDir(), 'forecasting', 'monash');
  const out: Ls4IrregularResult = { budget: b, datasets: [] };
  for (const f of pickFiles(b.datasets)) {
    const started = Date.now();
    const file = readSeriesFile(path.join(dir, f.file));
    const { horizon, seasonality } = monashSetting(file);
    const series = zScoredSeries(file.series, horizon);
    const lookback = monashLookback(series, horizon, seasonality);
    // kept lengths do not depend on the seed (round(p x n) dropped), so neither does this:
    // any seed gives it
    const keptLookbacks = Object.fromEntries(
      b.drops.map((p) => [
        String(p),
        monashLookback(
          series.map((s, i) => subsampled(s, horizon, p, i)),
          horizon,
          seasonality,
        ),
      ]),
    );
    log(
      `${f.name}: ${series.length} series, horizon ${horizon}, season ${seasonality}, lookback ${lookback} (kept points: ${b.drops.map((p) => `${keptLookbacks[String(p)]} at ${p}`).join(', ')}) (load ${loadavg()[0].toFixed(2)})`,
    );
    const rows: IrregularRow[] = [];
    const keep = (drop: number | null, seed: number | null) => (s: ModelSummary) => {
      const row = {
        model: s.model,
        drop,
        seed,
        mse: s.mse,
        mae: s.mae,
        fitSeconds: s.fitSeconds,
        predictSeconds: s.predictSeconds,
      };
      rows.push(row);
      log(
        `  ${row.model}${drop === null ? '' : ` drop ${drop}`}${seed === null ? '' : ` seed ${seed}`}: MSE ${row.mse.toFixed(4)} MAE ${row.mae.toFixed(4)} fit ${row.fitSeconds.toFixed(0)} s, forecasts ${row.predictSeconds.toFixed(0)} s (load ${loadavg()[0].toFixed(2)})`,
      );
    };
    const ls4 = (lb: number, seed: number) => () =>
      servedPipeline('ls4', {
        lookback: lb,
        horizon,
        epochs: b.epochs,
        maxWindowsPerEpoch: b.windows,
        samples: b.samples,
        seed,
      });
    const nlinear = () => servedPipeline('nlinear', { lookback, horizon });
    const backtest = (models: BacktestModel[], on: BacktestSeries[], lb: number) =>
      lastWindowBacktest({ models, series: on, lookback: lb, horizon, seasonality }, log);

    (await backtest([{ name: NLINEAR_FULL, create: nlinear }], series, lookback)).forEach(keep(null, null));
    const first = b.firstSeed ?? 0;
    for (let seed = first; seed < first + b.seeds; seed++) {
      (await backtest([{ name: LS4_FULL, create: ls4(lookback, seed) }], series, lookback)).forEach(
        keep(null, seed),
      );
      for (const p of b.drops) {
        const kept = series.map((s, i) => subsampled(s, horizon, p, deriveSeed(seed, i)));
        const keptLookback = keptLookbacks[String(p)];
        (
          await backtest(
            [
              // one step of the grid is dt 1: a gap of two steps is discretised as dt 2
              { name: WITH_DT, create: ls4(keptLookback, seed), timed: { nominalGap: 1 } },
              { name: WITHOUT_DT, create: ls4(keptLookback, seed) },
            ],
            kept,
            keptLookback,
          )
        ).forEach(keep(p, seed));
        (
          await backtest(
            [{ name: INTERPOLATED, create: nlinear }],
            kept.map((k, i) => interpolated(k, series[i], horizon)),
            lookback,
          )
        ).forEach(keep(p, seed));
      }
    }
    out.datasets.push({
      name: f.name,
      series: series.length,
      horizon,
      seasonality,
      lookback,
      keptLookbacks,
      rows,
      load: loadavg()[0].toFixed(2),
      seconds: (Date.now() - started) / 1000,
    });
  }
  return out;
}

/** One table per file and fraction dropped: MSE and MAE per method, mean ± std over seeds. */
export function ls4IrregularMarkdown(r: Ls4IrregularResult): string {
  const b = r.budget;
  const lines = [
    `### LS4 on irregularly subsampled series (${b.seeds} seed${b.seeds === 1 ? '' : 's'}; LS4 at its default size, ${b.epochs} epochs, ${b.windows || 'all'} training windows per fit, ${b.samples} sample paths)`,
    '',
    "Before each series' test window (its last H values, z-scored by its training part) a fraction of the points is dropped at random (never the last one); the test window stays whole on the regular grid. LS4 with dt: fitted and forecast with each kept point's time; LS4 without dt: the kept values read as equally spaced; linear interpolation + NLinear: the kept points interpolated onto the full grid, then the ridge. Reference rows: nothing dropped. MSE and MAE of the point forecast (LS4: mean of its paths) over every test window; lower is better; mean ± std over seeds (the seed draws the drop and LS4's initialisation).",
  ];
  for (const d of r.datasets) {
    for (const p of b.drops) {
      const of = (model: string, drop: number | null) =>
        d.rows.filter((x) => x.model === model && x.drop === drop);
      const methods = [WITH_DT, WITHOUT_DT, INTERPOLATED].map((m) => ({ name: m, rows: of(m, p) }));
      const reference = [LS4_FULL, NLINEAR_FULL].map((m) => ({
        name: `${m} (reference)`,
        rows: of(m, null),
      }));
      const meanMse = (rs: IrregularRow[]) => meanStd(rs.map((x) => x.mse)).mean;
      const ran = methods.filter((m) => m.rows.length);
      if (!ran.length) continue;
      const lowest = ran.reduce((a, m) => (meanMse(m.rows) < meanMse(a.rows) ? m : a));
      const line = (m: { name: string; rows: IrregularRow[] }) => {
        const col = (k: 'mse' | 'mae' | 'fitSeconds' | 'predictSeconds') => m.rows.map((x) => x[k]);
        return `| ${m.name} | ${cell(col('mse'))} | ${cell(col('mae'))} | ${m.rows[0].seed === null ? '-' : m.rows.length} | ${meanStd(col('fitSeconds')).mean.toFixed(0)} | ${meanStd(col('predictSeconds')).mean.toFixed(0)} |`;
      };
      lines.push(
        '',
        `**${d.name}, ${Math.round(p * 100)}% dropped** (${d.series} series, H ${d.horizon}, season ${d.seasonality}; lookback ${d.keptLookbacks[String(p)]} kept points for LS4, ${d.lookback} grid steps on the full grid; file ${(d.seconds / 60).toFixed(1)} min, load ${d.load})`,
        '',
        '| method | MSE | MAE | seeds | fit s | forecasts s |',
        '|---|---:|---:|---:|---:|---:|',
        ...ran.map(line),
        ...reference.filter((m) => m.rows.length).map(line),
        '',
        `Lowest MSE of the three: ${lowest.name}${lowest.name === WITH_DT && ran.length === 3 ? ' (the figure: LS4 with dt below both)' : ''}.`,
      );
    }
  }
  return lines.join('\n');
}
