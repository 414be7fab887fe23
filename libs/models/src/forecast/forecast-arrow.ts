import {
  DataType,
  Float64,
  Int32,
  Table,
  tableToIPC,
  TimestampMillisecond,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { ForecastResult } from './forecast.service';

/**
 * Forecasts as an Arrow table: one row per series and step (series, step, timestamp, value),
 * plus one column per interval bound (lo-90, hi-90, ...) when a calibrator gave them.
 */
export function forecastsToTable(results: ForecastResult[]): Table {
  const rows: Record<string, number | string | null>[] = results.flatMap((r) =>
    r.steps.map((s) => ({ ...s, series: r.seriesKey })),
  );
  const boundNames = [
    ...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => /^(lo|hi)-/.test(k)))),
  ].sort();
  const columns: Record<string, Vector<DataType>> = {
    series: vectorFromArray(
      rows.map((r) => r.series as string),
      new Utf8(),
    ),
    step: vectorFromArray(
      rows.map((r) => r.step as number),
      new Int32(),
    ),
    timestamp: vectorFromArray(
      rows.map((r) => (r.timestamp ? Date.parse(r.timestamp as string) : null)),
      new TimestampMillisecond(),
    ),
    value: vectorFromArray(
      rows.map((r) => r.value as number),
      new Float64(),
    ),
  };
  for (const b of boundNames)
    columns[b] = vectorFromArray(
      rows.map((r) => (typeof r[b] === 'number' ? (r[b] as number) : null)),
      new Float64(),
    );
  return new Table(columns);
}

export function forecastsToIpc(results: ForecastResult[], format: 'stream' | 'file'): Uint8Array {
  return tableToIPC(forecastsToTable(results), format);
}
