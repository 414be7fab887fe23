import { WorkContext } from '@seqcast/core';
import type { BacktestResult } from '@seqcast/eval';
import type { IntervalChartData, IntervalSummaryRow, OnlineEvaluationRow } from '@seqcast/eval';

export interface BacktestTaskInput {
  backend: string;
  /** `timed`: fitted and forecast with each step's gap (BacktestModel.timed; the handler decides, as the train job does). */
  models: { name: string; kind: string; config: Record<string, unknown>; timed?: { nominalGap: number } }[];
  /** `axisTimes`: each row's time on the timed models' axis, when a model is timed. */
  series: { key: string; times: Float64Array; values: Float32Array; axisTimes?: Float64Array }[];
  lookback: number;
  horizon: number;
  folds: number;
  step?: number;
  refit: 'once' | 'every-fold';
  seasonality?: number;
  title: string;
  dataset: string;
  target: string;
  intervals?: { method: string; alpha: number; options: Record<string, unknown>; calibrationWindows: number };
  adaptation?: {
    adapters: { name: string; method: string; options: Record<string, unknown> }[];
    train: number;
    valid: number;
  };
}

export interface BacktestTaskOutput {
  result: BacktestResult;
  markdown: string;
  svg: string;
  intervals?: { rows: IntervalSummaryRow[]; svg: string; chart: IntervalChartData };
  adaptation?: { rows: OnlineEvaluationRow[]; skipped: string[] };
}

/** Runs in a worker thread: the rolling-origin backtest of registry models and its report. */
export async function backtest(input: BacktestTaskInput, ctx: WorkContext): Promise<BacktestTaskOutput> {
  const { selectBackend } = await import('@seqcast/tensor');
  const { servedPipeline } = await import('@seqcast/forecast');
  const { runBacktest, renderBacktestReport } = await import('@seqcast/eval');
  await selectBackend(input.backend as never);
  // progress shares: the backtest, then intervals and adaptation when asked
  const share = input.intervals || input.adaptation ? 0.5 : 1;
  const result = await runBacktest(
    {
      models: input.models.map((m) => ({
        name: m.name,
        // scaled per series exactly as POST /models/:id/train scales
        create: () => servedPipeline(m.kind, m.config),
        ...(m.timed ? { timed: m.timed } : {}),
      })),
      series: input.series.map((s) => ({
        key: s.key,
        times: s.times,
        values: [s.values],
        ...(s.axisTimes ? { axisTimes: s.axisTimes } : {}),
      })),
      lookback: input.lookback,
      horizon: input.horizon,
      folds: input.folds,
      step: input.step,
      refit: input.refit,
      seasonality: input.seasonality,
    },
    { signal: ctx.signal, progress: (f, msg) => ctx.progress(share * f, msg) },
  );
  let intervals: BacktestTaskOutput['intervals'];
  let intervalMarkdown = '';
  if (input.intervals) {
    const { runIntervalBacktest } = await import('@seqcast/eval');
    const r = await runIntervalBacktest(
      {
        models: input.models,
        method: input.intervals.method,
        alpha: input.intervals.alpha,
        methodOptions: input.intervals.options,
        series: input.series,
        lookback: input.lookback,
        horizon: input.horizon,
        folds: input.folds,
        step: input.step ?? input.horizon,
        calibrationWindows: input.intervals.calibrationWindows,
      },
      {
        signal: ctx.signal,
        progress: (f, msg) => ctx.progress(0.5 + (input.adaptation ? 0.2 : 0.5) * f, msg),
      },
    );
    intervals = { rows: r.rows, svg: r.svg, chart: r.chart };
    intervalMarkdown = `\n${r.markdown}`;
  }
  let adaptation: BacktestTaskOutput['adaptation'];
  if (input.adaptation) {
    const { runOnlineEvaluation } = await import('@seqcast/eval');
    const from = input.intervals ? 0.7 : 0.5;
    const r = await runOnlineEvaluation(
      {
        models: input.models,
        adapters: input.adaptation.adapters,
        series: input.series,
        lookback: input.lookback,
        horizon: input.horizon,
        train: input.adaptation.train,
        valid: input.adaptation.valid,
        intervals: input.intervals
          ? { method: input.intervals.method, alpha: input.intervals.alpha, options: input.intervals.options }
          : undefined,
      },
      { signal: ctx.signal, progress: (f, msg) => ctx.progress(from + (1 - from) * f, msg) },
    );
    adaptation = { rows: r.rows, skipped: r.skipped };
    intervalMarkdown += `\n${r.markdown}`;
  }
  const { markdown, svg } = renderBacktestReport(result, {
    title: input.title,
    dataset: input.dataset,
    target: input.target,
    // each series is the target column alone
    channelNames: [input.target],
    chartFileName: 'forecasts.svg',
  });
  return { result, markdown: markdown + intervalMarkdown, svg, intervals, adaptation };
}
