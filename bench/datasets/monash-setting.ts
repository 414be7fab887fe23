import type { SeriesFile } from './series-file';

/**
 * Horizons of the Monash archive's experiments for files whose .tsf states no `@horizon`
 * (Godahewa et al. 2021: 12 for FRED-MD, 30 for the daily sets), as docs/benchmarks.md's
 * fixed-horizon table runs them.
 */
const ARCHIVE_HORIZONS: Record<string, number> = { fred_md: 12, us_births: 30, saugeenday: 30 };

/** Season lengths of the archive's MASE by the file's `@frequency`. */
const SEASONALITY: Record<string, number> = { monthly: 12, weekly: 52, daily: 7, quarterly: 4, yearly: 1 };

/** The archive's fixed horizon and MASE season length of a file. */
export function monashSetting(file: SeriesFile): { horizon: number; seasonality: number } {
  const horizon = file.horizon ?? ARCHIVE_HORIZONS[file.name];
  if (!horizon) throw new Error(`${file.name}: no @horizon in the file and none in the archive's table`);
  return { horizon, seasonality: SEASONALITY[file.frequency ?? ''] ?? 1 };
}
