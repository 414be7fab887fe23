import { Float64, Int32, Table, tableToIPC, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { ForecastResult } from './forecast.service';

/** Forecasts as an Arrow table: one row per series and step (series, step, timestamp, value). */
export function forecastsToTable(results: ForecastResult[]): Table {
  const rows = results.flatMap((r) => r.steps.map((s) => ({ series: r.seriesKey, ...s })));
  return new Table({
    series: vectorFromArray(rows.map((r) => r.series), new Utf8()),
    step: vectorFromArray(rows.map((r) => r.step), new Int32()),
    timestamp: vectorFromArray(rows.map((r) => (r.timestamp ? Date.parse(r.timestamp) : null)), new TimestampMillisecond()),
    value: vectorFromArray(rows.map((r) => r.value), new Float64()),
  });
}

export function forecastsToIpc(results: ForecastResult[], format: 'stream' | 'file'): Uint8Array {
  return tableToIPC(forecastsToTable(results), format);
}
