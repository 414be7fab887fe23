import type { ChartBand, ChartLine } from '../components/time-chart';
import { TRUTH_COLOR } from '../../../../libs/eval/src/report/palette';
import type { ForecastAnswer, SeriesSummary, SeriesValues } from './forecast-types';

// The forecast page's data shaping, kept pure so it is tested against known answers: interval
// levels to the quantiles the API is asked for, a forecast's JSON to bands, history and
// forecasts on one time axis for TimeChart, and the forecast as CSV text (and back).

export const HISTORY_LABEL = 'history';

/**
 * Interval levels typed as percentages ("80, 95"), ascending without repeats; each must lie
 * strictly between 0 and 100 (a 100% interval has no finite quantiles).
 */
export function parseLevels(text: string): { levels: number[] } | { error: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const levels: number[] = [];
  for (const p of parts) {
    const v = Number(p.replace(/%$/, ''));
    if (!Number.isFinite(v) || v <= 0 || v >= 100)
      return { error: `'${p}' is not a level: give percentages between 0 and 100, e.g. 80, 95` };
    if (!levels.includes(v)) levels.push(v);
  }
  return { levels: levels.sort((a, b) => a - b) };
}

/** Drops the binary noise of (100 - level) / 200, so 0.1 is sent (and keyed) as 0.1. */
const tidy = (q: number) => parseFloat(q.toPrecision(12));

/** The central interval of `level`% lies between these two quantiles: 80 -> [0.1, 0.9]. */
export function quantilePair(level: number): [number, number] {
  const lo = tidy((100 - level) / 200);
  return [lo, tidy(1 - lo)];
}

/** The quantile levels a forecast request asks for to draw these interval levels, ascending. */
export function quantilesForLevels(levels: number[]): number[] {
  const all = new Set(levels.flatMap(quantilePair));
  return [...all].sort((a, b) => a - b);
}

export interface Interval {
  /** Percent, e.g. 80. */
  level: number;
  /** 'model': the model's own quantiles; 'calibrator': a conformal calibrator's bounds. */
  source: 'model' | 'calibrator';
  lower: number[];
  upper: number[];
}

/** The central interval levels (percent) that a set of quantile keys holds both ends of, ascending. */
export function quantileLevels(quantileKeys: string[]): number[] {
  const keys = new Set(quantileKeys);
  return quantileKeys
    .map(Number)
    .filter((q) => q < 0.5 && keys.has(String(tidy(1 - q))))
    .map((q) => tidy((1 - 2 * q) * 100))
    .sort((a, b) => a - b);
}

/**
 * The intervals of one channel of a forecast: the model's own, from each pair of its quantiles
 * (those asked for, or the levels a statistical kind is configured with), then the calibrator's
 * lo-X/hi-X bounds; each narrowest first. Lower and upper are taken per step as the smaller
 * and larger edge, so crossing quantiles still make a band.
 */
export function intervalsOf(answer: ForecastAnswer, channel: number): Interval[] {
  const pair = (lo: number[] | undefined, hi: number[] | undefined) =>
    lo && hi
      ? {
          lower: lo.map((v, i) => Math.min(v, hi[i])),
          upper: lo.map((v, i) => Math.max(v, hi[i])),
        }
      : undefined;
  const own: Interval[] = [];
  for (const level of quantileLevels(Object.keys(answer.quantiles ?? {}))) {
    const [lo, hi] = quantilePair(level);
    const p = pair(answer.quantiles![String(lo)]?.[channel], answer.quantiles![String(hi)]?.[channel]);
    if (p) own.push({ level, source: 'model', ...p });
  }
  const calibrated: Interval[] = [];
  for (const name of Object.keys(answer.bounds ?? {})) {
    const m = /^lo-(.+)$/.exec(name);
    if (!m) continue;
    const p = pair(answer.bounds![name]?.[channel], answer.bounds![`hi-${m[1]}`]?.[channel]);
    if (p) calibrated.push({ level: Number(m[1]), source: 'calibrator', ...p });
  }
  return [...own, ...calibrated.sort((a, b) => a.level - b.level)];
}

/** `hex` mixed with white by `t` (0: itself, 1: white), so wider bands come out lighter. */
export function lighten(hex: string, t: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  const mix = (c: string) =>
    Math.round(parseInt(c, 16) + (255 - parseInt(c, 16)) * t)
      .toString(16)
      .padStart(2, '0');
  return `#${mix(m[1])}${mix(m[2])}${mix(m[3])}`;
}

/** A canvas dash pattern from the palette's SVG dasharray ('8 4' -> [8, 4]; '' is solid). */
export function canvasDash(dasharray: string): number[] | undefined {
  const parts = dasharray.split(/\s+/).filter(Boolean).map(Number);
  return parts.length ? parts : undefined;
}

export interface ChartForecast {
  label: string;
  color: string;
  dash?: number[];
  answer: ForecastAnswer;
  /** Index of the channel drawn in answer.point (and bounds, quantiles). */
  channel: number;
}

export interface HistorySeries {
  /** ISO stamps or plain numbers, oldest first. */
  times: (string | number)[];
  values: (number | null)[];
}

export interface ChartData {
  x: number[];
  lines: ChartLine[];
  bands: ChartBand[];
  /** Whether x holds UTC milliseconds (else plain numbers). */
  time: boolean;
}

const toX = (t: string | number) => (typeof t === 'number' ? t : Date.parse(t));

function medianGap(xs: number[]): number {
  const gaps = xs
    .slice(1)
    .map((x, i) => x - xs[i])
    .sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)] : 1;
}

/**
 * Where each step of a forecast lies on the x axis: its timestamp, or (a dataset without
 * timestamps) one typical history gap after the step before.
 */
export function stepXs(answer: ForecastAnswer, historyX: number[]): number[] {
  if (answer.steps.every((s) => s.timestamp !== null))
    return answer.steps.map((s) => Date.parse(s.timestamp!));
  const last = historyX.length ? historyX[historyX.length - 1] : 0;
  const gap = medianGap(historyX);
  return answer.steps.map((s) => last + s.step * gap);
}

/**
 * History and forecasts on one x axis (the sorted union of their times): each line and band
 * has a value at its own times and null elsewhere, so uPlot draws each where it belongs.
 * Bands of a forecast are in its colour, lighter the wider they are.
 */
export function chartData(history: HistorySeries, forecasts: ChartForecast[]): ChartData {
  const hx = history.times.map(toX);
  const fx = forecasts.map((f) => stepXs(f.answer, hx));
  const x = [...new Set([...hx, ...fx.flat()])].sort((a, b) => a - b);
  const at = new Map(x.map((v, i) => [v, i]));
  const place = (xs: number[], ys: ArrayLike<number | null>) => {
    const out: (number | null)[] = new Array(x.length).fill(null);
    xs.forEach((v, i) => (out[at.get(v)!] = ys[i] ?? null));
    return out;
  };
  const lines: ChartLine[] = [
    { label: HISTORY_LABEL, y: place(hx, history.values), color: TRUTH_COLOR, width: 1.5 },
  ];
  const bands: ChartBand[] = [];
  forecasts.forEach((f, k) => {
    lines.push({
      label: f.label,
      y: place(fx[k], f.answer.point[f.channel] ?? []),
      color: f.color,
      dash: f.dash,
      width: 2,
    });
    const intervals = intervalsOf(f.answer, f.channel);
    for (const source of ['model', 'calibrator'] as const) {
      const mine = intervals.filter((i) => i.source === source);
      mine.forEach((iv, rank) => {
        // narrowest in the model's colour, the widest at most 55% of the way to white
        const t = mine.length > 1 ? (0.55 * rank) / (mine.length - 1) : 0;
        bands.push({
          label: `${f.label} ${iv.level}%${source === 'calibrator' ? ` (${f.answer.interval?.method ?? 'calibrated'})` : ''}`,
          lower: place(fx[k], iv.lower),
          upper: place(fx[k], iv.upper),
          color: lighten(f.color, t),
        });
      });
    }
  });
  const time = history.times.length
    ? typeof history.times[0] === 'string'
    : forecasts.some((f) => f.answer.steps.some((s) => s.timestamp !== null));
  return { x, lines, bands, time };
}

/** One channel of a series' values as a history: the newest `n` rows. */
export function historyOf(values: SeriesValues, column: string, n: number): HistorySeries {
  const col = values.columns[column] ?? [];
  const start = Math.max(0, values.times.length - n);
  return {
    times: values.times.slice(start),
    values: col.slice(start).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)),
  };
}

/**
 * The `from` to ask the series values for so the answer ends with its newest `n` rows: the
 * series' average gap times n, with half again as margin for gaps (the page keeps the last n).
 * Undefined when the whole series is no longer than that.
 */
export function historyFrom(summary: SeriesSummary, n: number): string | undefined {
  if (summary.rows <= n) return undefined;
  const first = toX(summary.first);
  const last = toX(summary.last);
  const gap = (last - first) / Math.max(1, summary.rows - 1);
  const from = last - Math.ceil(n * 1.5) * gap;
  if (!(from > first)) return undefined;
  return typeof summary.last === 'number' ? String(from) : new Date(from).toISOString();
}

// CSV, in the long layout of the Arrow answer: one row per channel and step, then one column
// per quantile (q-0.1) and per bound (lo-80, hi-80).

const CSV_SPECIAL = /[",\r\n]/;
const cell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return CSV_SPECIAL.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A forecast's value columns: the point value, its quantiles (q-0.1), its bounds (lo-80, hi-80). */
export function valueColumns(answer: ForecastAnswer): { name: string; of: (channel: number) => number[] }[] {
  const qs = Object.keys(answer.quantiles ?? {}).sort((a, b) => Number(a) - Number(b));
  return [
    { name: 'value', of: (c: number) => answer.point[c] },
    ...qs.map((q) => ({ name: `q-${q}`, of: (c: number) => answer.quantiles![q][c] })),
    ...Object.keys(answer.bounds ?? {}).map((b) => ({ name: b, of: (c: number) => answer.bounds![b][c] })),
  ];
}

export function forecastCsv(answer: ForecastAnswer): string {
  const columns = valueColumns(answer);
  const header = ['series', 'channel', 'step', 'timestamp', ...columns.map((c) => c.name)];
  const rows = [header.map(cell).join(',')];
  answer.channels.forEach((channel, c) => {
    const values = columns.map((col) => col.of(c));
    answer.steps.forEach((s, i) => {
      rows.push(
        [answer.seriesKey, channel, s.step, s.timestamp, ...values.map((v) => v[i])].map(cell).join(','),
      );
    });
  });
  return `${rows.join('\n')}\n`;
}

/** Reads CSV text (RFC 4180 quoting) into records by the header's names. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length) endRow();
  const [header = [], ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ''])));
}

/** A file name for a download: the model's name and the series, without awkward characters. */
export function fileStem(modelName: string, seriesKey: string): string {
  const clean = (s: string) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '');
  return ['forecast', clean(modelName), clean(seriesKey)].filter(Boolean).join('-');
}
