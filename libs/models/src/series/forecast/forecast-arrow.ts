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
import { Forecast } from '@seqcast/forecast';
import { bandsOf, ForecastResult, quantileName } from './forecast-result';

type Row = Record<string, number | string | null>;

/**
 * Forecasts as an Arrow table in long format (StatsForecast style): one row per series,
 * channel and step with its point `value`, one column per interval bound (lo-90, hi-90, ...)
 * and per quantile (q-0.1, ...). A `channel` column appears when a forecast has more than one
 * channel (a univariate table keeps the columns it always had). Sample paths, when present,
 * follow as rows of their own: `sample` is the path's index (null on the point rows) and
 * `value` its value; their bound and quantile cells are null.
 */
export function forecastsToTable(results: ForecastResult[]): Table {
  const rows: Row[] = [];
  for (const r of results) {
    const at = (c: number, i: number, value: number, sample: number | null): Row => ({
      series: r.seriesKey,
      channel: r.channels[c],
      step: i + 1,
      timestamp: r.steps[i]?.timestamp ?? null,
      value,
      sample,
    });
    r.point.forEach((path, c) =>
      path.forEach((v, i) => {
        const row = at(c, i, v, null);
        for (const [name, b] of Object.entries(r.bounds ?? {})) row[name] = b[c][i];
        for (const [q, p] of Object.entries(r.quantiles ?? {})) row[quantileName(Number(q))] = p[c][i];
        rows.push(row);
      }),
    );
    r.samples?.forEach((s, k) => s.forEach((path, c) => path.forEach((v, i) => rows.push(at(c, i, v, k)))));
  }
  const extra = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const quantiles = extra
    .filter((k) => k.startsWith('q-'))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  const bounds = extra.filter((k) => /^(lo|hi)-/.test(k)).sort();
  const numbers = (name: string) =>
    vectorFromArray(
      rows.map((r) => (typeof r[name] === 'number' ? (r[name] as number) : null)),
      new Float64(),
    );
  const columns: Record<string, Vector<DataType>> = {
    series: vectorFromArray(
      rows.map((r) => r.series as string),
      new Utf8(),
    ),
  };
  if (results.some((r) => r.channels.length > 1))
    columns.channel = vectorFromArray(
      rows.map((r) => r.channel as string),
      new Utf8(),
    );
  columns.step = vectorFromArray(
    rows.map((r) => r.step as number),
    new Int32(),
  );
  // UTC instants, tagged with the dataset's zone so engines show them as uploaded (UTC when naive).
  const zone = results.find((r) => r.timeZone)?.timeZone ?? 'UTC';
  columns.timestamp = vectorFromArray(
    rows.map((r) => (r.timestamp ? Date.parse(r.timestamp as string) : null)),
    new TimestampMillisecond(zone),
  );
  columns.value = numbers('value');
  if (results.some((r) => r.samples))
    columns.sample = vectorFromArray(
      rows.map((r) => r.sample as number | null),
      new Int32(),
    );
  for (const name of [...quantiles, ...bounds]) columns[name] = numbers(name);
  return new Table(columns);
}

export function forecastsToIpc(results: ForecastResult[], format: 'stream' | 'file'): Uint8Array {
  return tableToIPC(forecastsToTable(results), format);
}

/**
 * Forecasts back from such a table, one per series in order of appearance (channel names
 * '0', '1', ... where the table has no channel column). Values are exact: the columns are float64.
 */
export function forecastsFromTable(table: Table): Forecast[] {
  const col = (name: string) => table.getChild(name);
  const names = table.schema.fields.map((f) => f.name);
  const get = (name: string, i: number) => col(name)?.get(i) as number | string | null;
  const bySeries = new Map<string, { channels: string[]; rows: number[] }>();
  for (let i = 0; i < table.numRows; i++) {
    const key = String(get('series', i));
    const entry = bySeries.get(key) ?? { channels: [], rows: [] };
    const channel = col('channel') ? String(get('channel', i)) : '0';
    if (!entry.channels.includes(channel)) entry.channels.push(channel);
    entry.rows.push(i);
    bySeries.set(key, entry);
  }
  return [...bySeries].map(([seriesKey, { channels, rows }]) => {
    const horizon = Math.max(...rows.map((i) => Number(get('step', i))));
    const grid = () => channels.map(() => new Array<number>(horizon).fill(NaN));
    const point = grid();
    const extra = Object.fromEntries(names.filter((n) => /^(lo|hi|q)-/.test(n)).map((n) => [n, grid()]));
    const samples: number[][][] = [];
    for (const i of rows) {
      const c = channels.indexOf(col('channel') ? String(get('channel', i)) : '0');
      const h = Number(get('step', i)) - 1;
      const sample = col('sample') ? (get('sample', i) as number | null) : null;
      if (sample !== null) {
        samples[sample] ??= grid();
        samples[sample][c][h] = get('value', i) as number;
        continue;
      }
      point[c][h] = get('value', i) as number;
      for (const n of Object.keys(extra)) extra[n][c][h] = get(n, i) as number;
    }
    const f32 = (paths: number[][]) => paths.map((p) => Float32Array.from(p));
    const quantiles = Object.keys(extra).filter((n) => n.startsWith('q-'));
    const bounds = Object.fromEntries(Object.entries(extra).filter(([n]) => !n.startsWith('q-')));
    return new Forecast({
      point: f32(point),
      quantiles: new Map(quantiles.map((n) => [Number(n.slice(2)), f32(extra[n])])),
      samples: samples.length ? samples.map(f32) : undefined,
      meta: { seriesKey, channelNames: channels },
    }).withIntervals(bandsOf(bounds));
  });
}
