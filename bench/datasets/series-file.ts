import { readFileSync } from 'fs';
import { basename } from 'path';

/** A dataset of univariate series as a benchmark reads it. */
export interface SeriesFile {
  name: string;
  series: Array<{ key: string; values: Float64Array }>;
  /** The file's own horizon (.tsf `@horizon`), when it states one. */
  horizon?: number;
  /** The file's frequency label (.tsf `@frequency`, or null). */
  frequency: string | null;
}

/**
 * Monash .tsf: `@` header lines, then `name:start:v1,v2,...` per series (the values are
 * the last field; `?` is missing and read as NaN).
 */
function readTsf(text: string, name: string): SeriesFile {
  const out: SeriesFile = { name, series: [], frequency: null };
  let inData = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (!inData) {
      const [tag, value] = line.split(/\s+/);
      if (tag.toLowerCase() === '@horizon') out.horizon = Number(value);
      if (tag.toLowerCase() === '@frequency') out.frequency = value;
      if (tag.toLowerCase() === '@data') inData = true;
      continue;
    }
    const fields = line.split(':');
    const values = fields[fields.length - 1].split(',').map((v) => (v === '?' ? NaN : Number(v)));
    out.series.push({ key: fields[0], values: Float64Array.from(values) });
  }
  if (!inData) throw new Error(`${name}: no @data line (is this a .tsf file?)`);
  return out;
}

/**
 * CSV, in one of two layouts: long (columns unique_id, ds, y: one row per observation, as
 * the M4 files of Nixtla's datasets) or wide (a first date column, then one series per
 * numeric column, as the ETT files).
 */
function readCsv(text: string, name: string): SeriesFile {
  const rows = text.split(/\r?\n/).filter((l) => l.trim());
  const header = rows[0].split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const idCol = header.indexOf('unique_id');
  const yCol = header.indexOf('y');
  if (idCol >= 0 && yCol >= 0) {
    const by = new Map<string, number[]>();
    for (const r of rows.slice(1)) {
      const f = r.split(',');
      const key = f[idCol];
      if (!by.has(key)) by.set(key, []);
      by.get(key)!.push(f[yCol] === '' ? NaN : Number(f[yCol]));
    }
    return {
      name,
      frequency: null,
      series: [...by].map(([key, v]) => ({ key, values: Float64Array.from(v) })),
    };
  }
  const columns = header.slice(1).map((key) => ({ key, values: [] as number[] }));
  for (const r of rows.slice(1)) {
    const f = r.split(',');
    columns.forEach((c, i) => c.values.push(f[i + 1] === '' ? NaN : Number(f[i + 1])));
  }
  return {
    name,
    frequency: null,
    series: columns
      .filter((c) => c.values.some(Number.isFinite))
      .map((c) => ({ key: c.key, values: Float64Array.from(c.values) })),
  };
}

/** Reads a .tsf or .csv file of series. */
export function readSeriesFile(path: string): SeriesFile {
  const text = readFileSync(path, 'utf8');
  const name = basename(path)
    .replace(/\.(tsf|csv)$/i, '')
    .replace(/_dataset$/, '');
  return /\.tsf$/i.test(path) ? readTsf(text, name) : readCsv(text, name);
}
