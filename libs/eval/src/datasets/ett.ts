import { sharedDataPath } from '@seqcast/core';
import { readFileSync } from 'fs';

/** ETT hourly splits (Informer protocol): rows, each later split reaching back by the lookback. */
export const ETT_HOURLY_BORDERS = { train: [0, 8640], valid: [8640, 11520], test: [11520, 14400] } as const;

/** Reads one column of a dated CSV (Time-Series-Library layout) as Float64. */
export function readCsvColumn(file: string, column: string): Float64Array {
  const text = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const header = text[0].split(',');
  const idx = header.indexOf(column);
  if (idx < 0) throw new Error(`${file}: no column ${column} (have ${header.join(', ')})`);
  const out = new Float64Array(text.length - 1);
  for (let r = 1; r < text.length; r++) out[r - 1] = Number(text[r].split(',')[idx]);
  return out;
}

export interface EttSplits {
  mean: number;
  std: number;
  /** standardised with the train split's mean and std */
  train: Float32Array;
  /** valid rows reaching back `lookback` steps */
  valid: Float32Array;
  test: Float32Array;
}

/**
 * One column of an ETT hourly file split by the Informer borders and standardised with
 * the train split's mean and std (the protocol every ETT figure in MODELS.md uses).
 */
export function ettSplits(
  file = sharedDataPath('forecasting', 'ETTh2.csv'),
  column = 'OT',
  lookback = 336,
): EttSplits {
  const raw = readCsvColumn(file, column);
  const [t0, t1] = ETT_HOURLY_BORDERS.train;
  let s = 0;
  let s2 = 0;
  for (let i = t0; i < t1; i++) {
    s += raw[i];
    s2 += raw[i] * raw[i];
  }
  const n = t1 - t0;
  const mean = s / n;
  const std = Math.sqrt(s2 / n - mean * mean);
  const z = Float32Array.from(raw, (v) => (v - mean) / std);
  const slice = ([a, b]: readonly [number, number], back: number) => z.slice(Math.max(0, a - back), b);
  return {
    mean,
    std,
    train: slice(ETT_HOURLY_BORDERS.train, 0),
    valid: slice(ETT_HOURLY_BORDERS.valid, lookback),
    test: slice(ETT_HOURLY_BORDERS.test, lookback),
  };
}
