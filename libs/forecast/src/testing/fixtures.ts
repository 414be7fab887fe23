import { detachedContext } from '@seqcast/core';
import type { FitContext } from '../types';

/** A context for fits in tests: never cancelled, progress ignored. */
export function testContext(): FitContext {
  return detachedContext();
}

/** Float64 design matrix of lagged windows with a leading intercept column, for independent solves. */
export function laggedDesign(
  y: ArrayLike<number>,
  p: number,
): { x: Float64Array; target: Float64Array; rows: number; cols: number } {
  const rows = y.length - p;
  const cols = p + 1;
  const x = new Float64Array(rows * cols);
  const target = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x[r * cols] = 1;
    for (let i = 0; i < p; i++) x[r * cols + 1 + i] = y[r + p - 1 - i]; // lag order
    target[r] = y[r + p];
  }
  return { x, target, rows, cols };
}
