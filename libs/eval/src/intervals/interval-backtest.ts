import { throwIfCancelled, WorkContext } from '@seqcast/core';
import {
  boundNames,
  calibratorRegistry,
  coverage,
  intervalScore,
  meanWidth,
  rollingCoverage,
} from '@seqcast/conformal';
import { forecasterRegistry, ScaledForecaster } from '@seqcast/forecast';
import { foldOrigins } from '../backtest/fold-plan';
import { formatMetric } from '../report/backtest-report';
import { renderLineChart } from '../report/svg-line-chart';

export interface IntervalBacktestOptions {
  models: { name: string; kind: string; config: Record<string, unknown> }[];
  method: string;
  alpha: number;
  methodOptions: Record<string, unknown>;
  series: { key: string; times: Float64Array; values: Float32Array }[];
  lookback: number;
  horizon: number;
  folds: number;
  step: number;
  /** Windows just before the first origin whose residuals start the calibrator. */
  calibrationWindows: number;
}

export interface IntervalSummaryRow {
  model: string;
  method: string;
  level: string;
  points: number;
  coverage: number;
  meanWidth: number;
  winkler: number;
  rollingMin: number;
  rollingMax: number;
}

export interface IntervalBacktestResult {
  rows: IntervalSummaryRow[];
  svg: string;
  markdown: string;
}

/**
 * Intervals in a rolling-origin backtest. Per model: fitted once on each series up to the
 * calibration windows before the first origin, inside its scaling pipeline (the series'
 * scale from every row before the first origin); the calibrator starts from those windows'
 * held-out residuals (for every method: a backtest has no bootstrap ensemble; EnbPI and SPCI
 * still apply their own quantile rules to them); at each origin the interval is issued, then
 * the fold's truth updates the calibrator, as it would arrive online. Scored by coverage,
 * mean width, interval (Winkler) score and rolling coverage over a window of one horizon.
 */
export async function runIntervalBacktest(
  o: IntervalBacktestOptions,
  ctx: WorkContext,
): Promise<IntervalBacktestResult> {
  const L = o.lookback;
  const H = o.horizon;
  const level = boundNames(o.alpha).lower.slice(3);
  const rows: IntervalSummaryRow[] = [];
  const chart = o.series[0];
  const origins0 = foldOrigins(chart.values.length, H, o.folds, o.step);
  const lines: Parameters<typeof renderLineChart>[0]['series'] = [];
  const first = origins0[0];
  const truthFrom = Math.max(0, first - L);
  lines.push({
    name: 'truth',
    x: chart.times.slice(truthFrom),
    y: chart.values.slice(truthFrom),
    color: '#222222',
  });

  for (let m = 0; m < o.models.length; m++) {
    const spec = o.models[m];
    const ys: number[] = [];
    const los: number[] = [];
    const his: number[] = [];
    const chartX: number[] = [];
    const chartY: number[] = [];
    const chartLo: number[] = [];
    const chartHi: number[] = [];
    for (let s = 0; s < o.series.length; s++) {
      throwIfCancelled(ctx.signal);
      const x = o.series[s];
      const origins = foldOrigins(x.values.length, H, o.folds, o.step);
      const cal = Math.max(1, Math.min(o.calibrationWindows, origins[0] - 2 * (L + H)));
      const calStart = origins[0] - H - L - cal + 1; // first calibration window's start
      const model = new ScaledForecaster(forecasterRegistry.create(spec.kind, spec.config));
      // forecasts are on the data's scale: a window's residual is its truth minus the forecast
      const forecast = (from: number) => ({
        seriesKey: x.key,
        history: [x.values.subarray(from, from + L)],
        horizon: H,
      });
      try {
        model.scaler.fit(x.key, [x.values], origins[0]);
        await model.fitKnownSeries([{ key: x.key, train: [x.values.subarray(0, calStart + L)] }], {
          signal: ctx.signal,
          progress: () => undefined,
        });
        const residuals: number[][] = Array.from({ length: H }, () => []);
        const preds = model.predictSeriesBatch(Array.from({ length: cal }, (_, i) => forecast(calStart + i)));
        preds.forEach((f, i) => {
          for (let h = 0; h < H; h++) residuals[h].push(x.values[calStart + i + L + h] - f.at(h));
        });
        const calibrator = calibratorRegistry.create(o.method, [o.alpha], o.methodOptions);
        calibrator.fit(residuals);
        for (const origin of origins) {
          const point = model.predictSeries(forecast(origin - L)).channel(0);
          const band = Object.values(calibrator.interval(point))[0];
          const truth = x.values.subarray(origin, origin + H);
          for (let h = 0; h < H; h++) {
            ys.push(truth[h]);
            los.push(band.lower[h]);
            his.push(band.upper[h]);
          }
          if (s === 0) {
            for (let h = 0; h < H; h++) {
              chartX.push(x.times[origin + h]);
              chartY.push(point[h]);
              chartLo.push(band.lower[h]);
              chartHi.push(band.upper[h]);
            }
            chartX.push(NaN);
            chartY.push(NaN);
            chartLo.push(NaN);
            chartHi.push(NaN);
          }
          calibrator.update(truth, point);
        }
      } finally {
        model.dispose();
      }
    }
    const rolling = Array.from(rollingCoverage(ys, los, his, Math.min(H, ys.length))).filter(Number.isFinite);
    rows.push({
      model: spec.name,
      method: o.method,
      level,
      points: ys.length,
      coverage: coverage(ys, los, his),
      meanWidth: meanWidth(los, his),
      winkler: intervalScore(ys, los, his, o.alpha),
      rollingMin: Math.min(...rolling),
      rollingMax: Math.max(...rolling),
    });
    lines.push({
      name: `${spec.name} ${level}%`,
      x: chartX,
      y: chartY,
      band: { lower: chartLo, upper: chartHi },
    });
    ctx.progress((m + 1) / o.models.length, `intervals of ${spec.name}`);
  }
  const svg = renderLineChart({
    series: lines,
    title: `${level}% ${o.method} intervals at each origin (series ${chart.key || '(single)'})`,
    verticalRules: origins0.map((i) => chart.times[i]),
    xLabel: 'time (UTC)',
  });
  const markdown = [
    `## Prediction intervals (${o.method}, ${level}%)`,
    '',
    `Nominal coverage ${level}%. The calibrator starts from the held-out residuals of ${o.calibrationWindows} windows before the first origin and is updated with each fold's truth.`,
    '',
    '| model | points | coverage | mean width | Winkler score | rolling coverage (min - max) |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.points} | ${formatMetric(r.coverage)} | ${formatMetric(r.meanWidth)} | ${formatMetric(r.winkler)} | ${formatMetric(r.rollingMin)} - ${formatMetric(r.rollingMax)} |`,
    ),
    '',
    '![intervals](intervals.svg)',
    '',
  ].join('\n');
  return { rows, svg, markdown };
}
