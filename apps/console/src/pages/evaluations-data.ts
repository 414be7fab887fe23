import type { ChartBand, ChartLine } from '../components/time-chart';
import { MODEL_DASHES, MODEL_PALETTE, TRUTH_COLOR } from '../../../../libs/eval/src/report/palette';
import type { BacktestChart, IntervalChart, IntervalChartModel, Num } from './evaluations-types';

// The Evaluations page's data shaping, pure so it is tested against hand-computed answers:
// a backtest's forecasts and intervals on one time axis for TimeChart, and the intervals'
// rolling coverage over time against the nominal level.

export interface ChartData {
  x: number[];
  lines: ChartLine[];
  bands: ChartBand[];
}

/** A model's line style by its position in the evaluation's model list, as in the SVG reports. */
export function modelStyle(index: number): { color: string; dash?: number[] } {
  const color = MODEL_PALETTE[index % MODEL_PALETTE.length];
  const dash = MODEL_DASHES[index % MODEL_DASHES.length];
  return dash ? { color, dash: dash.split(' ').map(Number) } : { color };
}

const finite = (v: Num | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

/** The sorted union of every series' times, and each series' values at them (null where it has none). */
export function alignOnTimes(series: { times: number[]; values: Num[] }[]): {
  x: number[];
  ys: (number | null)[][];
} {
  const x = [...new Set(series.flatMap((s) => s.times))].sort((a, b) => a - b);
  const at = new Map(x.map((t, i) => [t, i]));
  const ys = series.map((s) => {
    const y: (number | null)[] = new Array(x.length).fill(null);
    s.times.forEach((t, i) => (y[at.get(t)!] = finite(s.values[i])));
    return y;
  });
  return { x, ys };
}

/** The models in the order they first appear. */
function modelOrder(names: string[]): string[] {
  return [...new Set(names)];
}

/** Truth in black, then each model's forecasts of every fold joined into one line per model. */
export function forecastChartData(chart: BacktestChart): ChartData {
  const models = modelOrder(chart.forecasts.map((f) => f.model));
  const perModel = models.map((m) => {
    const folds = chart.forecasts.filter((f) => f.model === m);
    return { times: folds.flatMap((f) => f.times), values: folds.flatMap((f) => f.values) };
  });
  const { x, ys } = alignOnTimes([{ times: chart.times, values: chart.truth }, ...perModel]);
  return {
    x,
    lines: [
      { label: 'truth', y: ys[0], color: TRUTH_COLOR, width: 1.5 },
      ...models.map((m, i) => ({ label: m, y: ys[i + 1], width: 2, ...modelStyle(i) })),
    ],
    bands: [],
  };
}

/** Truth (the backtest chart's, with its history before the first origin, when given), each model's forecast and band. */
export function intervalChartData(ic: IntervalChart, truth?: BacktestChart): ChartData {
  const pct = Math.round(ic.level * 100);
  const truthSeries = truth
    ? { times: truth.times, values: truth.truth }
    : { times: ic.models[0]?.times ?? [], values: ic.models[0]?.truth ?? [] };
  const { x, ys } = alignOnTimes([
    truthSeries,
    ...ic.models.flatMap((m) => [
      { times: m.times, values: m.point },
      { times: m.times, values: m.lower },
      { times: m.times, values: m.upper },
    ]),
  ]);
  return {
    x,
    lines: [
      { label: 'truth', y: ys[0], color: TRUTH_COLOR, width: 1.5 },
      ...ic.models.map((m, i) => ({ label: m.model, y: ys[1 + 3 * i], width: 2, ...modelStyle(i) })),
    ],
    bands: ic.models.map((m, i) => ({
      label: `${m.model} ${pct}%`,
      lower: ys[2 + 3 * i],
      upper: ys[3 + 3 * i],
      color: modelStyle(i).color,
    })),
  };
}

/**
 * Coverage over windows of `windowOrigins` consecutive origins (every step of each, `horizon`
 * points per origin, origin-major), one value per window, placed at the time of the window's
 * last point: the fraction of truths inside [lower, upper]. A point without a truth or a bound
 * counts as a miss, as the report's rolling coverage counts it (the window's size divides).
 */
export function rollingCoverageOverTime(
  m: Pick<IntervalChartModel, 'times' | 'truth' | 'lower' | 'upper'>,
  horizon: number,
  windowOrigins: number,
): { times: number[]; coverage: number[] } {
  const origins = Math.floor(m.times.length / horizon);
  const w = Math.min(windowOrigins, origins);
  const inside = m.times.map((_, i) => {
    const [y, lo, hi] = [finite(m.truth[i]), finite(m.lower[i]), finite(m.upper[i])];
    return y !== null && lo !== null && hi !== null && lo <= y && y <= hi ? 1 : 0;
  });
  const times: number[] = [];
  const coverage: number[] = [];
  if (w < 1) return { times, coverage };
  for (let k = w - 1; k < origins; k++) {
    const from = (k - w + 1) * horizon;
    const to = (k + 1) * horizon;
    let n = 0;
    for (let i = from; i < to; i++) n += inside[i];
    times.push(m.times[to - 1]);
    coverage.push(n / (to - from));
  }
  return { times, coverage };
}

/** Forecast origins in the interval chart (every model has the same). */
export function originCount(ic: IntervalChart): number {
  return Math.floor((ic.models[0]?.times.length ?? 0) / ic.horizon);
}

/**
 * The window a coverage-over-time chart starts with: the report's (`rollingOrigins`) when it
 * leaves at least `minPoints` windows, else the widest that does (at least one origin), so a
 * short run is still a line rather than one dot.
 */
export function defaultWindow(ic: IntervalChart, minPoints = 4): number {
  const origins = originCount(ic);
  return Math.max(1, Math.min(ic.rollingOrigins, origins - minPoints + 1));
}

/** Each model's coverage over windows of `windowOrigins` origins, and a line at the nominal level, on one axis. */
export function coverageChartData(ic: IntervalChart, windowOrigins = ic.rollingOrigins): ChartData {
  const rolled = ic.models.map((m) => rollingCoverageOverTime(m, ic.horizon, windowOrigins));
  const { x, ys } = alignOnTimes(rolled.map((r) => ({ times: r.times, values: r.coverage })));
  const pct = Math.round(ic.level * 100);
  return {
    x,
    lines: [
      ...ic.models.map((m, i) => ({ label: m.model, y: ys[i], width: 2, ...modelStyle(i) })),
      { label: `nominal ${pct}%`, y: x.map(() => ic.level), color: TRUTH_COLOR, dash: [6, 4], width: 1 },
    ],
    bands: [],
  };
}
