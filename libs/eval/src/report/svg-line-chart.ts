import { linearTicks, timeTicks, Ticks } from './axis-ticks';
import { escapeXml } from './escape';

/** A shaded band around a line, e.g. a conformal interval: lower[i] and upper[i] at x[i]. */
export interface LineBand {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Fill opacity, default 0.18. */
  opacity?: number;
}

/** One line of the chart. A non-finite x or y breaks the line (a gap, or a new fold). */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; default from a fixed palette by the series' position. */
  color?: string;
  dashed?: boolean;
  band?: LineBand;
}

export interface LineChartOptions {
  series: LineSeries[];
  title?: string;
  width?: number;
  height?: number;
  /** 'time' (default): x is UTC milliseconds, labelled as UTC dates; 'linear': plain numbers. */
  xType?: 'time' | 'linear';
  xLabel?: string;
  yLabel?: string;
  /** Dashed vertical lines at these x values (forecast origins). */
  verticalRules?: number[];
}

/** Tableau 10: distinct, colour-blind-aware, print-safe. */
export const CHART_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const LEGEND_WIDTH = 170;
const MAX_LEGEND_CHARS = 24;

/** Coordinates with two decimals: enough for a screen, and byte-identical across runs. */
const num = (v: number) => (Math.round(v * 100) / 100).toFixed(2).replace(/\.?0+$/, '') || '0';

/**
 * A self-contained SVG line chart, rendered without a browser or dependency: axes with
 * ticks (UTC dates or numbers), grid, legend, lines with optional shaded bands, dashed
 * vertical rules. The same input always gives the same bytes, so reports can be diffed.
 */
export function renderLineChart(options: LineChartOptions): string {
  const width = options.width ?? 900;
  const height = options.height ?? 420;
  const top = options.title ? 40 : 16;
  const plot = { left: 70, top, right: width - LEGEND_WIDTH - 16, bottom: height - (options.xLabel ? 56 : 40) };
  const xType = options.xType ?? 'time';

  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of options.series) {
    collect(s.x, s.y, xs, ys);
    if (s.band) {
      collect(s.x, s.band.lower, xs, ys);
      collect(s.x, s.band.upper, xs, ys);
    }
  }
  for (const r of options.verticalRules ?? []) if (Number.isFinite(r)) xs.push(r);
  let [xMin, xMax] = extent(xs, xType === 'time' ? 3600_000 : 1);
  let [yMin, yMax] = extent(ys, 1);
  const yTicks = linearTicks(yMin, yMax);
  yMin = Math.min(yMin, Math.floor(yMin / yTicks.step) * yTicks.step);
  yMax = Math.max(yMax, Math.ceil(yMax / yTicks.step) * yTicks.step);
  const yAxis = linearTicks(yMin, yMax);
  const xAxis: Ticks = xType === 'time' ? timeTicks(xMin, xMax) : linearTicks(xMin, xMax);
  if (xType === 'linear') [xMin, xMax] = [Math.min(xMin, ...xAxis.values), Math.max(xMax, ...xAxis.values)];

  const sx = (v: number) => plot.left + ((v - xMin) / (xMax - xMin)) * (plot.right - plot.left);
  const sy = (v: number) => plot.bottom - ((v - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);

  const out: string[] = [];
  const title = options.title ?? 'line chart';
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11" role="img">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  if (options.title) out.push(`<text class="title" x="${num(width / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`);

  // grid and axes
  out.push('<g class="grid" stroke="#e5e5e5" stroke-width="1">');
  for (const v of yAxis.values) out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${num(sy(v))}" y2="${num(sy(v))}"/>`);
  for (const v of xAxis.values) out.push(`<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${plot.top}" y2="${plot.bottom}"/>`);
  out.push('</g>');
  out.push('<g class="axis x-axis" stroke="#333333">');
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}"/>`);
  xAxis.values.forEach((v, i) => {
    const x = num(sx(v));
    out.push(`<line x1="${x}" x2="${x}" y1="${plot.bottom}" y2="${plot.bottom + 5}"/>`);
    out.push(`<text x="${x}" y="${plot.bottom + 18}" text-anchor="middle" stroke="none" fill="#333333">${escapeXml(xAxis.labels[i])}</text>`);
  });
  if (options.xLabel) out.push(`<text x="${num((plot.left + plot.right) / 2)}" y="${plot.bottom + 38}" text-anchor="middle" stroke="none" fill="#333333">${escapeXml(options.xLabel)}</text>`);
  out.push('</g>');
  out.push('<g class="axis y-axis" stroke="#333333">');
  out.push(`<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}"/>`);
  yAxis.values.forEach((v, i) => {
    const y = num(sy(v));
    out.push(`<line x1="${plot.left - 5}" x2="${plot.left}" y1="${y}" y2="${y}"/>`);
    out.push(`<text x="${plot.left - 8}" y="${y}" dy="0.32em" text-anchor="end" stroke="none" fill="#333333">${escapeXml(yAxis.labels[i])}</text>`);
  });
  if (options.yLabel) {
    const cy = num((plot.top + plot.bottom) / 2);
    out.push(`<text x="16" y="${cy}" transform="rotate(-90 16 ${cy})" text-anchor="middle" stroke="none" fill="#333333">${escapeXml(options.yLabel)}</text>`);
  }
  out.push('</g>');

  const colors = options.series.map((s, i) => s.color ?? CHART_PALETTE[i % CHART_PALETTE.length]);

  out.push('<g class="bands" stroke="none">');
  options.series.forEach((s, i) => {
    if (!s.band) return;
    out.push(`<path class="band" d="${bandPath(s.x, s.band.lower, s.band.upper, sx, sy)}" fill="${escapeXml(colors[i])}" fill-opacity="${num(s.band.opacity ?? 0.18)}"/>`);
  });
  out.push('</g>');

  if (options.verticalRules?.length) {
    out.push('<g class="rules" stroke="#888888" stroke-width="1" stroke-dasharray="3 3">');
    for (const r of options.verticalRules) if (Number.isFinite(r)) out.push(`<line x1="${num(sx(r))}" x2="${num(sx(r))}" y1="${plot.top}" y2="${plot.bottom}"/>`);
    out.push('</g>');
  }

  out.push('<g class="lines" fill="none" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round">');
  options.series.forEach((s, i) => {
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<path class="line" data-series="${escapeXml(s.name)}" d="${linePath(s.x, s.y, sx, sy)}" stroke="${escapeXml(colors[i])}"${dash}/>`);
  });
  out.push('</g>');

  out.push('<g class="legend">');
  const lx = plot.right + 16;
  options.series.forEach((s, i) => {
    const y = plot.top + 8 + i * 18;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const name = s.name.length > MAX_LEGEND_CHARS ? `${s.name.slice(0, MAX_LEGEND_CHARS - 1)}…` : s.name;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${y}" y2="${y}" stroke="${escapeXml(colors[i])}" stroke-width="2.5"${dash}/>`);
    out.push(`<text x="${lx + 28}" y="${y}" dy="0.32em" fill="#222222">${escapeXml(name)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function collect(x: ArrayLike<number>, y: ArrayLike<number>, xs: number[], ys: number[]): void {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
}

/** [min, max] of the values, widened by `pad` around a single value and [0, 1] when empty. */
function extent(values: number[], pad: number): [number, number] {
  if (!values.length) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    const d = Math.abs(lo) * 0.05 || pad;
    return [lo - d, hi + d];
  }
  return [lo, hi];
}

/** One SVG path for a line; every non-finite point starts a new sub-path. */
function linePath(x: ArrayLike<number>, y: ArrayLike<number>, sx: (v: number) => number, sy: (v: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${num(sx(x[i]))} ${num(sy(y[i]))}`);
    pen = true;
  }
  return parts.join(' ');
}

/** A closed polygon per run of points where x, lower and upper are all finite. */
function bandPath(x: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, sx: (v: number) => number, sy: (v: number) => number): string {
  const parts: string[] = [];
  const n = Math.min(x.length, lower.length, upper.length);
  let run: number[] = [];
  const flush = () => {
    if (run.length) {
      const up = run.map((i, j) => `${j ? 'L' : 'M'}${num(sx(x[i]))} ${num(sy(upper[i]))}`);
      const down = [...run].reverse().map((i) => `L${num(sx(x[i]))} ${num(sy(lower[i]))}`);
      parts.push(`${up.join(' ')} ${down.join(' ')} Z`);
    }
    run = [];
  };
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(lower[i]) && Number.isFinite(upper[i])) run.push(i);
    else flush();
  }
  flush();
  return parts.join(' ');
}
