import { linearTicks, timeTicks, Ticks } from './axis-ticks';
import { escapeXml } from './escape';
import { MODEL_PALETTE, modelColor, modelDash, TRUTH_COLOR } from './palette';

/** A shaded band around a line, e.g. a conformal interval: lower[i] and upper[i] at x[i]. */
export interface LineBand {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Fill opacity; default 0.18 for a lone band, less when several bands share the chart. */
  opacity?: number;
}

/** One line of the chart. A non-finite x or y breaks the line (a gap, or a new fold). */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; default from the shared palette (palette.ts) by the series' position. */
  color?: string;
  /** A plain dash ('6 4'); `dash` wins when both are set. */
  dashed?: boolean;
  /** SVG stroke-dasharray, e.g. from modelDash(); '' is solid. */
  dash?: string;
  /** Stroke width, default 1.6. */
  width?: number;
  /** Stroke opacity, default 1: below 1, a line drawn over another lets it show through. */
  opacity?: number;
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

/** The series colours by position: Okabe–Ito's colour-blind-safe set (see palette.ts). */
export const CHART_PALETTE = MODEL_PALETTE;

/**
 * The truth's line style in every report chart: black, and wider than the models' lines so it
 * shows along both sides of a forecast that matches it. Listed first, it is drawn beneath them.
 */
export const TRUTH_STROKE: Pick<LineSeries, 'color' | 'width'> = { color: TRUTH_COLOR, width: 2.2 };

/**
 * The line style of the model at this position of a report's model list: colour and dash by
 * position, so a model looks the same in every chart of the report; slightly transparent, so a
 * model drawn over another (or over the truth) leaves it visible.
 */
export function modelStroke(index: number): Pick<LineSeries, 'color' | 'dash' | 'width' | 'opacity'> {
  return { color: modelColor(index), dash: modelDash(index), width: 1.6, opacity: 0.9 };
}

const LEGEND_WIDTH = 170;
/** Long enough to show a whole period of the longest dash pattern (28 units). */
const LEGEND_SWATCH = 30;
/** Where every band overlaps, the stacked fills together cover at most this much. */
const STACKED_BAND_OPACITY = 0.3;
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
  const plot = {
    left: 70,
    top,
    right: width - LEGEND_WIDTH - 16,
    bottom: height - (options.xLabel ? 56 : 40),
  };
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
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11" role="img">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  if (options.title)
    out.push(
      `<text class="title" x="${num(width / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
    );

  // grid and axes
  out.push('<g class="grid" stroke="#e5e5e5" stroke-width="1">');
  for (const v of yAxis.values)
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${num(sy(v))}" y2="${num(sy(v))}"/>`);
  for (const v of xAxis.values)
    out.push(`<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${plot.top}" y2="${plot.bottom}"/>`);
  out.push('</g>');
  out.push('<g class="axis x-axis" stroke="#333333">');
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}"/>`);
  xAxis.values.forEach((v, i) => {
    const x = num(sx(v));
    out.push(`<line x1="${x}" x2="${x}" y1="${plot.bottom}" y2="${plot.bottom + 5}"/>`);
    out.push(
      `<text x="${x}" y="${plot.bottom + 18}" text-anchor="middle" stroke="none" fill="#333333">${escapeXml(xAxis.labels[i])}</text>`,
    );
  });
  if (options.xLabel)
    out.push(
      `<text x="${num((plot.left + plot.right) / 2)}" y="${plot.bottom + 38}" text-anchor="middle" stroke="none" fill="#333333">${escapeXml(options.xLabel)}</text>`,
    );
  out.push('</g>');
  out.push('<g class="axis y-axis" stroke="#333333">');
  out.push(`<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}"/>`);
  yAxis.values.forEach((v, i) => {
    const y = num(sy(v));
    out.push(`<line x1="${plot.left - 5}" x2="${plot.left}" y1="${y}" y2="${y}"/>`);
    out.push(
      `<text x="${plot.left - 8}" y="${y}" dy="0.32em" text-anchor="end" stroke="none" fill="#333333">${escapeXml(yAxis.labels[i])}</text>`,
    );
  });
  if (options.yLabel) {
    const cy = num((plot.top + plot.bottom) / 2);
    out.push(
      `<text x="16" y="${cy}" transform="rotate(-90 16 ${cy})" text-anchor="middle" stroke="none" fill="#333333">${escapeXml(options.yLabel)}</text>`,
    );
  }
  out.push('</g>');

  const colors = options.series.map((s, i) => s.color ?? modelColor(i));
  const bandOpacity = defaultBandOpacity(options.series.filter((s) => s.band).length);

  // Bands beneath every line; each band's edges outlined in its colour, so where bands
  // overlap each one's extent stays readable without darkening the fill.
  out.push('<g class="bands">');
  options.series.forEach((s, i) => {
    if (!s.band) return;
    const color = escapeXml(colors[i]);
    out.push(
      `<path class="band" data-series="${escapeXml(s.name)}" d="${bandPath(s.x, s.band.lower, s.band.upper, sx, sy)}" fill="${color}" fill-opacity="${num(s.band.opacity ?? bandOpacity)}" stroke="none"/>`,
    );
    const edges = `${linePath(s.x, s.band.upper, sx, sy)} ${linePath(s.x, s.band.lower, sx, sy)}`.trim();
    out.push(
      `<path class="band-edge" data-series="${escapeXml(s.name)}" d="${edges}" fill="none" stroke="${color}" stroke-width="0.8" stroke-opacity="0.75"/>`,
    );
  });
  out.push('</g>');

  if (options.verticalRules?.length) {
    out.push('<g class="rules" stroke="#888888" stroke-width="1" stroke-dasharray="3 3">');
    for (const r of options.verticalRules)
      if (Number.isFinite(r))
        out.push(`<line x1="${num(sx(r))}" x2="${num(sx(r))}" y1="${plot.top}" y2="${plot.bottom}"/>`);
    out.push('</g>');
  }

  // In series order: the first (the truth, by the reports' convention) lies beneath the rest.
  out.push('<g class="lines" fill="none" stroke-linejoin="round" stroke-linecap="round">');
  options.series.forEach((s, i) => {
    out.push(
      `<path class="line" data-series="${escapeXml(s.name)}" d="${linePath(s.x, s.y, sx, sy)}" stroke="${escapeXml(colors[i])}"${strokeStyle(s)}/>`,
    );
  });
  out.push('</g>');

  out.push('<g class="legend">');
  const lx = plot.right + 16;
  options.series.forEach((s, i) => {
    const y = plot.top + 8 + i * 18;
    const name = s.name.length > MAX_LEGEND_CHARS ? `${s.name.slice(0, MAX_LEGEND_CHARS - 1)}…` : s.name;
    const color = escapeXml(colors[i]);
    // a band's swatch: its fill and edges behind the line, as in the plot
    if (s.band)
      out.push(
        `<rect x="${lx}" y="${y - 6}" width="${LEGEND_SWATCH}" height="12" fill="${color}" fill-opacity="${num(s.band.opacity ?? bandOpacity)}" stroke="${color}" stroke-width="0.8" stroke-opacity="0.75"/>`,
      );
    // wider than the plotted line, so the dash pattern and colour read at legend size
    out.push(
      `<line x1="${lx}" x2="${lx + LEGEND_SWATCH}" y1="${y}" y2="${y}" stroke="${color}"${strokeStyle({ ...s, width: Math.max(2.5, s.width ?? 0) })}/>`,
    );
    out.push(
      `<text x="${lx + LEGEND_SWATCH + 6}" y="${y}" dy="0.32em" fill="#222222">${escapeXml(name)}</text>`,
    );
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * One band: 0.18. k bands: each at 1 - (1 - 0.3)^(1/k), so the spot where all k overlap is at
 * most 30% covered instead of turning a muddy near-opaque mix (k = 4 at 0.18 would be 55%).
 */
export function defaultBandOpacity(bands: number): number {
  return Math.min(0.18, 1 - Math.pow(1 - STACKED_BAND_OPACITY, 1 / Math.max(1, bands)));
}

/** The stroke attributes of a line: width, dash pattern, opacity (defaults left out). */
function strokeStyle(s: Pick<LineSeries, 'dash' | 'dashed' | 'width' | 'opacity'>): string {
  const dash = s.dash ?? (s.dashed ? '6 4' : '');
  return (
    ` stroke-width="${num(s.width ?? 1.6)}"` +
    (dash ? ` stroke-dasharray="${escapeXml(dash)}"` : '') +
    (s.opacity !== undefined && s.opacity < 1 ? ` stroke-opacity="${num(s.opacity)}"` : '')
  );
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
function linePath(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sx: (v: number) => number,
  sy: (v: number) => number,
): string {
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
function bandPath(
  x: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  sx: (v: number) => number,
  sy: (v: number) => number,
): string {
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
