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
import { seriesLabel } from '../report/series-label';
import { LineSeries, modelStroke, renderLineChart, TRUTH_STROKE } from '../report/svg-line-chart';

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
  /**
   * Forecast origins before the first fold whose residuals start the calibrator: consecutive
   * origins `step` apart, the cadence of the folds, ending one step before the first fold; at
   * most as many as leave half of the rows before the first fold to fit the point model on.
   */
  calibrationWindows: number;
  /** Origins per rolling-coverage window (default 10). */
  rollingOrigins?: number;
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
  /** per horizon step (index 0 = one step ahead): coverage and mean width over every origin */
  coverageByStep: number[];
  widthByStep: number[];
}

/**
 * One model's intervals on the chart series (the first), origin-major with `horizon` points
 * per origin: what the console redraws and computes coverage over time from, in the data's
 * units and UTC ms.
 */
export interface IntervalChartModel {
  model: string;
  times: number[];
  truth: number[];
  point: number[];
  lower: number[];
  upper: number[];
}

export interface IntervalChartData {
  series: string;
  /** Nominal coverage, 1 - alpha. */
  level: number;
  horizon: number;
  /** Origins per rolling-coverage window, as the summary rows' rollingMin / rollingMax used. */
  rollingOrigins: number;
  models: IntervalChartModel[];
}

export interface IntervalBacktestResult {
  rows: IntervalSummaryRow[];
  svg: string;
  markdown: string;
  chart: IntervalChartData;
}

/**
 * Intervals in a rolling-origin backtest. Per model: fitted once on each series up to the
 * first calibration origin, inside its scaling pipeline (the series' scale from every row
 * before the first fold); the calibrator starts from the held-out residuals of the
 * calibration origins (for every method: a backtest has no bootstrap ensemble; EnbPI and
 * SPCI still apply their own quantile rules to them); at each fold the interval is issued,
 * then the fold's truth updates the calibrator, as it would arrive online.
 *
 * One time spacing per residual series: the calibration origins are consecutive and `step`
 * apart, the folds' cadence, so step h's series (calibration, then online) is the residual of
 * the (h + 1)-step forecast at origins exactly `step` apart throughout, and SPCI's lag
 * features (the previous residuals of the same step) never mix spacings. (Windows spread
 * over the series, or calibrated at every row and updated every `step`, would put residuals
 * hours apart next to ones days apart in the same lag vector.)
 *
 * Scored by coverage, mean width, interval (Winkler) score, coverage and width per horizon
 * step, and rolling coverage over windows of `rollingOrigins` consecutive origins (all steps
 * of each, per series).
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
  const lines: LineSeries[] = [];
  const rollingOrigins = o.rollingOrigins ?? 10;
  const chartData: IntervalChartData = {
    series: chart.key,
    level: 1 - o.alpha,
    horizon: H,
    rollingOrigins: Math.min(rollingOrigins, origins0.length),
    models: [],
  };
  const first = origins0[0];
  const truthFrom = Math.max(0, first - L);
  lines.push({
    name: 'truth',
    x: chart.times.slice(truthFrom),
    y: chart.values.slice(truthFrom),
    ...TRUTH_STROKE,
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
    const kept: IntervalChartModel = {
      model: spec.name,
      times: [],
      truth: [],
      point: [],
      lower: [],
      upper: [],
    };
    const coveredAt = new Float64Array(H);
    const widthAt = new Float64Array(H);
    let originsSeen = 0;
    const rolling: number[] = [];
    for (let s = 0; s < o.series.length; s++) {
      const seriesFrom = ys.length;
      throwIfCancelled(ctx.signal);
      const x = o.series[s];
      const origins = foldOrigins(x.values.length, H, o.folds, o.step);
      const every = o.step;
      // The calibration origins take `every` rows each: keep at least half of the rows before
      // the first fold (and 2 (L + H)) for the point model, which would otherwise be fitted on
      // a short, old stretch and calibrated on a long one after it.
      const trainRows = Math.max(2 * (L + H), Math.ceil(origins[0] / 2));
      const cal = Math.max(1, Math.min(o.calibrationWindows, Math.floor((origins[0] - trainRows) / every)));
      const calOrigins = Array.from({ length: cal }, (_, i) => origins[0] - (cal - i) * every);
      const calStart = calOrigins[0] - L; // first calibration window's start
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
        const preds = model.predictSeriesBatch(calOrigins.map((t) => forecast(t - L)));
        preds.forEach((f, i) => {
          for (let h = 0; h < H; h++) residuals[h].push(x.values[calOrigins[i] + h] - f.at(h));
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
            if (truth[h] >= band.lower[h] && truth[h] <= band.upper[h]) coveredAt[h]++;
            widthAt[h] += band.upper[h] - band.lower[h];
          }
          originsSeen++;
          if (s === 0) {
            for (let h = 0; h < H; h++) {
              chartX.push(x.times[origin + h]);
              chartY.push(point[h]);
              chartLo.push(band.lower[h]);
              chartHi.push(band.upper[h]);
              kept.times.push(x.times[origin + h]);
              kept.truth.push(truth[h]);
              kept.point.push(point[h]);
              kept.lower.push(band.lower[h]);
              kept.upper.push(band.upper[h]);
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
      // windows of whole origins of this series: the series' points are origin-major, H each
      const windowPoints = H * Math.min(rollingOrigins, origins.length);
      const r = rollingCoverage(
        ys.slice(seriesFrom),
        los.slice(seriesFrom),
        his.slice(seriesFrom),
        windowPoints,
      );
      for (let end = windowPoints - 1; end < r.length; end += H) rolling.push(r[end]);
    }
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
      coverageByStep: Array.from(coveredAt, (c) => c / originsSeen),
      widthByStep: Array.from(widthAt, (w) => w / originsSeen),
    });
    chartData.models.push(kept);
    lines.push({
      name: `${spec.name} ${level}%`,
      x: chartX,
      y: chartY,
      band: { lower: chartLo, upper: chartHi },
      // by position in the model list, as in the report's point chart
      ...modelStroke(m),
    });
    ctx.progress((m + 1) / o.models.length, `intervals of ${spec.name}`);
  }
  const label = seriesLabel({ key: chart.key });
  const svg = renderLineChart({
    series: lines,
    title: `${level}% ${o.method} intervals at each origin${label ? ` (${label})` : ''}`,
    verticalRules: origins0.map((i) => chart.times[i]),
    xLabel: 'time (UTC)',
  });
  const markdown = [
    `## Prediction intervals (${o.method}, ${level}%)`,
    '',
    `Nominal coverage ${level}%. The calibrator starts from the held-out residuals of up to ${o.calibrationWindows} consecutive origins ${o.step} apart before the first fold (the folds' cadence) and is updated with each fold's truth. Rolling coverage over windows of ${Math.min(o.rollingOrigins ?? 10, o.folds)} origins.`,
    '',
    '| model | points | coverage | mean width | Winkler score | rolling coverage (min - max) |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.points} | ${formatMetric(r.coverage)} | ${formatMetric(r.meanWidth)} | ${formatMetric(r.winkler)} | ${formatMetric(r.rollingMin)} - ${formatMetric(r.rollingMax)} |`,
    ),
    '',
    ...stepGroupTable(rows, H),
    '![intervals](intervals.svg)',
    '',
  ].join('\n');
  return { rows, svg, markdown, chart: chartData };
}

/** Steps per group in the coverage-by-step table (1-6, 7-12, ...). */
export const STEP_GROUP = 6;

/** Coverage and mean width of steps [from, to) (0-based) from the per-step figures of a row. */
export function stepGroupFigures(
  row: Pick<IntervalSummaryRow, 'coverageByStep' | 'widthByStep'>,
  from: number,
  to: number,
): { coverage: number; meanWidth: number } {
  let c = 0;
  let w = 0;
  for (let h = from; h < to; h++) {
    c += row.coverageByStep[h];
    w += row.widthByStep[h];
  }
  return { coverage: c / (to - from), meanWidth: w / (to - from) };
}

/** Markdown: coverage per group of STEP_GROUP horizon steps, one column per model. */
function stepGroupTable(rows: IntervalSummaryRow[], H: number): string[] {
  if (H <= 1) return [];
  const groups: Array<[number, number]> = [];
  for (let from = 0; from < H; from += STEP_GROUP) groups.push([from, Math.min(H, from + STEP_GROUP)]);
  return [
    `| steps | ${rows.map((r) => `${r.model} coverage (width)`).join(' | ')} |`,
    `| --- | ${rows.map(() => '---:').join(' | ')} |`,
    ...groups.map(([from, to]) => {
      const cells = rows.map((r) => {
        const g = stepGroupFigures(r, from, to);
        return `${formatMetric(g.coverage)} (${formatMetric(g.meanWidth)})`;
      });
      return `| ${from + 1}-${to} | ${cells.join(' | ')} |`;
    }),
    '',
  ];
}
