import { detachedContext } from '@seqcast/core';
import { servedPipeline } from '@seqcast/forecast';

export interface ServedForecastsInput {
  kind: string;
  config: Record<string, unknown>;
  /** Each series' training part, the whole of what the model sees. */
  series: Array<{ key: string; train: Float64Array }>;
  horizon: number;
}

/**
 * Forecasts of a per-series kind as the API makes them: the kind in the served pipeline
 * (scale-free kinds keep the data's scale there), fitted on every series' training part and
 * each series forecast from it by its key. bench:forecast runs it in the process or in
 * worker threads, a shard of the series each (runInWorkerThread finds it by name).
 */
export async function servedForecasts(input: ServedForecastsInput): Promise<Float64Array[]> {
  const pipeline = servedPipeline(input.kind, input.config);
  try {
    const series = input.series.map((s) => ({ key: s.key, train: [Float32Array.from(s.train)] }));
    await pipeline.fitSeries(series, detachedContext());
    return series.map((s) =>
      Float64Array.from(
        pipeline.predictSeries({ seriesKey: s.key, history: s.train, horizon: input.horizon }).channel(0),
      ),
    );
  } finally {
    pipeline.dispose();
  }
}
