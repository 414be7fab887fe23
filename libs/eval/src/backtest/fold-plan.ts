import { ErrorDetail, Unprocessable } from '@seqcast/core';

/**
 * The shortest series a rolling-origin backtest accepts: one full training window
 * (lookback inputs + horizon targets) before the first origin, then the folds. With the
 * default step = horizon this is lookback + folds * step + horizon.
 */
export function requiredLength(lookback: number, horizon: number, folds: number, step: number): number {
  return lookback + horizon + (folds - 1) * step + horizon;
}

/**
 * Origins of the last `folds` folds, `step` apart, placed so that the last fold's horizon
 * ends exactly at the series end: origin_k = length - horizon - (folds - 1 - k) * step.
 */
export function foldOrigins(length: number, horizon: number, folds: number, step: number): number[] {
  const origins: number[] = [];
  for (let k = 0; k < folds; k++) origins.push(length - horizon - (folds - 1 - k) * step);
  return origins;
}

/** Throws Unprocessable naming every series too short for the backtest and the length it needs. */
export function checkLengths(series: Array<{ key: string; length: number }>, lookback: number, horizon: number, folds: number, step: number): void {
  const needed = requiredLength(lookback, horizon, folds, step);
  const details: ErrorDetail[] = [];
  const short: string[] = [];
  series.forEach((s, i) => {
    if (s.length < needed) {
      short.push(s.key);
      details.push({
        field: `series[${i}]`,
        reason: `series '${s.key}' has ${s.length} steps; needs at least ${needed} (lookback ${lookback} + horizon ${horizon} to train on, then ${folds} folds ${step} apart with horizon ${horizon})`,
      });
    }
  });
  if (details.length) {
    const names = short.length === 1 ? `Series '${short[0]}' is` : `Series ${short.map((k) => `'${k}'`).join(', ')} are`;
    throw new Unprocessable(`${names} too short for this backtest: each needs at least ${needed} steps`, details);
  }
}
