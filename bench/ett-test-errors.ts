import type { Forecaster } from '@seqcast/forecast';
import { WindowSet } from '@seqcast/forecast';
import { PointErrorAccumulator } from '@seqcast/numeric';

/**
 * Test MSE and MAE of a fitted model over every window of `test` (stride 1, no dropped last
 * batch): the ETT protocol of bench/forecast.ts and bench/spacetime-recipe.ts.
 */
export function ettTestErrors(
  model: Forecaster,
  test: Float32Array,
  lookback: number,
  horizon: number,
): { mse: number; mae: number } {
  const w = new WindowSet([[test]], lookback, horizon);
  const acc = new PointErrorAccumulator();
  const chunk = 256;
  for (let start = 0; start < w.size; start += chunk) {
    const rows = Array.from({ length: Math.min(chunk, w.size - start) }, (_, i) => start + i);
    const forecasts = model.predictBatch(
      rows.map((r) => [w.input(r)]),
      horizon,
    );
    forecasts.forEach((f, i) => acc.add(w.target(rows[i]), f.channel(0), NaN));
  }
  const { mse, mae } = acc.result();
  return { mse, mae };
}
