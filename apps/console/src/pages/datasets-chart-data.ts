import type { ChartLine } from '../components/time-chart';
import { MODEL_PALETTE } from '../../../../libs/eval/src/report/palette';
import type { DatasetSchema, SeriesValues } from './datasets-types';

// What the series chart draws, from GET /datasets/:id/values: pure, so the component test
// checks the numbers handed to uPlot rather than a canvas jsdom cannot draw.

/** The columns a user may plot, per kind, in the order the schema lists them. */
export function plottableColumns(schema: DatasetSchema): string[] {
  switch (schema.kind) {
    case 'series':
      return [
        ...(schema.valueColumns ?? []),
        ...(schema.knownCovariates ?? []),
        ...(schema.pastCovariates ?? []),
      ].filter((c) => isNumericField(schema, c));
    case 'events':
      return [...(schema.typeColumn ? [schema.typeColumn] : []), ...(schema.numericFeatures ?? [])];
    case 'seq2seq':
      return [...(schema.inputColumns ?? []), ...(schema.targetColumns ?? [])];
  }
}

/** The columns shown before the user chooses: the targets (at most four, to stay readable). */
export function defaultColumns(schema: DatasetSchema): string[] {
  const all = plottableColumns(schema);
  const preferred =
    schema.kind === 'seq2seq'
      ? (schema.targetColumns ?? [])
      : schema.kind === 'events'
        ? all.slice(0, 1)
        : all;
  return (preferred.length ? preferred : all).slice(0, 4);
}

function isNumericField(schema: DatasetSchema, column: string): boolean {
  const field = schema.fields.find((f) => f.name === column);
  return !field || /^(Float|Int|Uint|Decimal)/.test(field.type);
}

export interface SeriesChartData {
  /** UTC milliseconds when `time`, else the stored numbers (event times, steps). */
  x: number[];
  lines: ChartLine[];
  time: boolean;
}

/** A time as the API writes it (ISO 8601 for timestamps, a number otherwise) as a chart x value. */
export function timeValue(t: string | number): number {
  return typeof t === 'number' ? t : Date.parse(t);
}

function numberOrNull(v: number | string | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * The chart of one series: x from its times, one line per chosen column. An event dataset's
 * type column becomes one row of points per type (y = the type's position), a timeline;
 * its other columns and a seq2seq dataset's targets (filled on one row in `ratio`) are drawn
 * as points, since a line through such sparse or irregular values would suggest values between.
 */
export function seriesChart(values: SeriesValues, columns: string[], schema: DatasetSchema): SeriesChartData {
  const x = values.times.map(timeValue);
  const time = values.times.length > 0 && typeof values.times[0] === 'string';
  const lines: ChartLine[] = [];
  const color = () => MODEL_PALETTE[lines.length % MODEL_PALETTE.length];
  for (const column of columns) {
    const raw = values.columns[column];
    if (!raw) continue;
    if (schema.kind === 'events' && column === schema.typeColumn) {
      for (const type of distinctTypes(raw)) {
        const y = raw.map((v) => (v === null || String(v) !== type.name ? null : type.position));
        lines.push({ label: `${column} ${type.name}`, y, color: color(), points: true });
      }
      continue;
    }
    const sparse =
      schema.kind === 'events' ||
      (schema.kind === 'seq2seq' && (schema.targetColumns ?? []).includes(column));
    lines.push({
      label: column,
      y: raw.map(numberOrNull),
      color: color(),
      ...(sparse ? { points: true } : {}),
    });
  }
  return { x, lines, time };
}

/** The types present, numeric types in their order and named ones alphabetically, each with its row. */
function distinctTypes(raw: (number | string | null)[]): { name: string; position: number }[] {
  const names = [...new Set(raw.filter((v) => v !== null).map(String))];
  const numeric = names.every((n) => Number.isFinite(Number(n)));
  names.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  return names.map((name, i) => ({ name, position: numeric ? Number(name) : i }));
}

/** A series key as people read it: the empty key of a one-series dataset, JSON arrays as a/b. */
export function keyLabel(key: string): string {
  if (key === '') return '(the only series)';
  if (key.startsWith('[')) {
    try {
      const parts = JSON.parse(key) as unknown[];
      if (Array.isArray(parts)) return parts.map(String).join(' / ');
    } catch {
      // not JSON after all: show it as stored
    }
  }
  return key;
}
