/**
 * The forecast part of `npm run bench:ssm`: LS4's sample-path forecasts on Monash files in the
 * archive's fixed-horizon protocol (bench/datasets/m-protocol.ts: each series' last H values
 * are the test window, H the archive's horizon for the file). The scoring is the platform's
 * rolling-origin backtest with one fold (libs/eval runBacktest, the code behind
 * `POST /backtests`): every model is fitted once, in its served pipeline, on all series'
 * values before the test window, with the last 10% of each series' part held out as
 * validation where both parts still hold a whole window; CRPS is exact over LS4's sample paths
 * (libs/numeric crpsFromSamples), MSE and MAE are of its point forecast, the mean of the
 * paths. The NLinear-style ridge and seasonal naive are point forecasts, so their CRPS is
 * their MAE. Units: every series is z-scored by the mean and std of its own training part
 * (the values before the test window) before anything sees it, so the pooled figures weigh
 * series alike rather than by their units (the Monash tables' MASE is scale-free for the same
 * reason; raw FRED-MD units span six orders of magnitude).
 */
import { loadavg } from 'os';
import * as path from 'path';
import { sharedDataDir } from '@seqcast/core';
import {
  meanStd,
  runBacktest,
  type BacktestModel,
  type BacktestOptions,
  type BacktestSeries,
  type ModelSummary,
} from '@seqcast/eval';
import { fitSeriesScale, scaleValues, servedPipeline } from '@seqcast/forecast';
import { monashSetting } from './datasets/monash-setting';
import { readSeriesFile } from './datasets/series-file';
import { pickFiles } from './ssm-ls4';

export interface Ls4ForecastBudget {
  seeds: number;
  /** The first seed (a run can add seeds to an earlier one's). */
  firstSeed?: number;
  epochs: number;
  /** LS4's maxWindowsPerEpoch: a seeded subset of the training windows per fit (0 = all). */
  windows: number;
  /** Early stopping on the validation -ELBO after this many epochs without improvement (0 = off). */
  patience: number;
  /** Sample paths per forecast. */
  samples: number;
  datasets?: string[];
}

export interface ForecastScoreRow {
  model: string;
  /** LS4's seed; null for the deterministic baselines (run once). */
  seed: number | null;
  crps: number;
  crpsFrom: 'samples' | 'quantiles' | 'point';
  mse: number;
  mae: number;
  fitSeconds: number;
  predictSeconds: number;
}

export interface Ls4ForecastResult {
  budget: Ls4ForecastBudget;
  datasets: Array<{
    name: string;
    series: number;
    horizon: number;
    seasonality: number;
    lookback: number;
    rows: ForecastScoreRow[];
    /** 1-minute load average at the end of the file's run. */
    load: string;
    seconds: number;
  }>;
}

/**
 * Every series z-scored by its training part, as backtest series (one channel; times are the
 * step index, which only the backtest's chart reads).
 */
export function zScoredSeries(
  series: Array<{ key: string; values: Float64Array }>,
  horizon: number,
): BacktestSeries[] {
  return series.map((s) => ({
    key: s.key,
    times: Float64Array.from(s.values, (_, i) => i),
    values: [scaleValues(s.values, fitSeriesScale(s.values, s.values.length - horizon))],
  }));
}

/**
 * The Monash table's global lookback, max(2H, 2m, 12), capped so that the shortest series
 * still holds one training window (lookback + H) before its test window.
 */
export function monashLookback(
  series: ReadonlyArray<{ times: ArrayLike<number> }>,
  horizon: number,
  seasonality: number,
): number {
  const shortest = Math.min(...series.map((s) => s.times.length));
  const lookback = Math.min(Math.max(2 * horizon, 2 * seasonality, 12), shortest - 2 * horizon);
  if (lookback < 1)
    throw new Error(`the shortest series (${shortest}) holds no training window of horizon ${horizon}`);
  return lookback;
}

/**
 * runBacktest with one fold (each series' last `horizon` values are the test window), logging
 * the trainer's end-of-epoch messages at most once a minute; the models' pooled summaries.
 */
export async function lastWindowBacktest(
  o: Pick<BacktestOptions, 'models' | 'series' | 'lookback' | 'horizon' | 'seasonality'>,
  log: (line: string) => void,
): Promise<ModelSummary[]> {
  let last = 0;
  const r = await runBacktest(
    { ...o, folds: 1 },
    {
      signal: new AbortController().signal,
      progress: (_, message) => {
        if (!message || !/step (\d+)\/\1 /.test(message) || Date.now() - last < 60_000) return;
        last = Date.now();
        log(`  ${message} (load ${loadavg()[0].toFixed(2)})`);
      },
    },
  );
  return r.overall;
}

export async function ls4ForecastBenchmark(
  b: Ls4ForecastBudget,
  log: (line: string) => void,
): Promise<Ls4ForecastResult> {
  const dir = path.join(sharedDataDir(), 'forecasting', 'monash');
  const out: Ls4ForecastResult = { budget: b, datasets: [] };
  for (const f of pickFiles(b.datasets)) {
    const started = Date.now();
    const file = readSeriesFile(path.join(dir, f.file));
    const { horizon, seasonality } = monashSetting(file);
    const series = zScoredSeries(file.series, horizon);
    const lookback = monashLookback(series, horizon, seasonality);
    log(
      `${f.name}: ${series.length} series, horizon ${horizon}, season ${seasonality}, lookback ${lookback} (load ${loadavg()[0].toFixed(2)})`,
    );
    const backtest = (models: BacktestModel[]) =>
      lastWindowBacktest({ models, series, lookback, horizon, seasonality }, log);
    const rows: ForecastScoreRow[] = [];
    const keep = (seed: number | null) => (s: Awaited<ReturnType<typeof backtest>>[number]) => {
      const row = {
        model: s.model,
        seed,
        crps: s.crps,
        crpsFrom: s.crpsFrom,
        mse: s.mse,
        mae: s.mae,
        fitSeconds: s.fitSeconds,
        predictSeconds: s.predictSeconds,
      };
      rows.push(row);
      log(
        `  ${row.model}${seed === null ? '' : ` seed ${seed}`}: CRPS ${row.crps.toFixed(4)} (${row.crpsFrom}) MSE ${row.mse.toFixed(4)} MAE ${row.mae.toFixed(4)} fit ${row.fitSeconds.toFixed(0)} s, forecasts ${row.predictSeconds.toFixed(0)} s (load ${loadavg()[0].toFixed(2)})`,
      );
    };
    (
      await backtest([
        { name: 'NLinear (ridge)', create: () => servedPipeline('nlinear', { lookback, horizon }) },
        {
          name: 'seasonal naive',
          create: () => servedPipeline('seasonal-naive', { seasonLength: seasonality }),
        },
      ])
    ).forEach(keep(null));
    const first = b.firstSeed ?? 0;
    for (let seed = first; seed < first + b.seeds; seed++) {
      const config = {
        lookback,
        horizon,
        epochs: b.epochs,
        maxWindowsPerEpoch: b.windows,
        patience: b.patience,
        samples: b.samples,
        seed,
      };
      (await backtest([{ name: 'LS4', create: () => servedPipeline('ls4', config) }])).forEach(keep(seed));
    }
    out.datasets.push({
      name: f.name,
      series: series.length,
      horizon,
      seasonality,
      lookback,
      rows,
      load: loadavg()[0].toFixed(2),
      seconds: (Date.now() - started) / 1000,
    });
  }
  return out;
}

/** mean ± std of a figure over seeds (the mean alone for one). */
export const cell = (xs: number[]) => {
  const m = meanStd(xs);
  return xs.length > 1 ? `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}` : m.mean.toFixed(4);
};

/** One table per file: CRPS, MSE and MAE per model, mean ± std over LS4's seeds. */
export function ls4ForecastMarkdown(r: Ls4ForecastResult, title?: string): string {
  const b = r.budget;
  const lines = [
    `### ${title ?? 'LS4 probabilistic forecasts'} (${b.seeds} seed${b.seeds === 1 ? '' : 's'}; LS4 at its default size, ${b.epochs} epochs, ${b.windows || 'all'} training windows per fit, ${b.samples} sample paths${b.patience ? `, patience ${b.patience}` : ''})`,
    '',
    "Test window: each series' last H values (the Monash archive's horizon); every model fitted once on all series' values before it, in its served pipeline (runBacktest with one fold; validation: the last 10% of a series' training part where both parts hold a whole window). Every series z-scored by its own training part, so the figures are in standard deviations of that part. CRPS: LS4's exact over its sample paths; a point forecast's is its MAE. MSE and MAE: of LS4's sample mean. Lower is better; LS4 mean ± std over seeds, the baselines are deterministic (one run).",
  ];
  for (const d of r.datasets) {
    const names = [...new Set(d.rows.map((x) => x.model))];
    lines.push(
      '',
      `**${d.name}** (${d.series} series, H ${d.horizon}, lookback ${d.lookback}, season ${d.seasonality}; ${(d.seconds / 60).toFixed(1)} min, load ${d.load})`,
      '',
      '| model | CRPS | MSE | MAE | CRPS from | seeds | fit s | forecasts s |',
      '|---|---:|---:|---:|---|---:|---:|---:|',
      ...names.map((n) => {
        const rs = d.rows.filter((x) => x.model === n);
        const of = (k: 'crps' | 'mse' | 'mae' | 'fitSeconds' | 'predictSeconds') => rs.map((x) => x[k]);
        const from = rs[0].crpsFrom === 'point' ? 'point (= MAE)' : rs[0].crpsFrom;
        return `| ${n} | ${cell(of('crps'))} | ${cell(of('mse'))} | ${cell(of('mae'))} | ${from} | ${rs[0].seed === null ? '-' : rs.length} | ${meanStd(of('fitSeconds')).mean.toFixed(0)} | ${meanStd(of('predictSeconds')).mean.toFixed(0)} |`;
      }),
    );
  }
  return lines.join('\n');
}
