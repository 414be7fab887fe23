import { Unprocessable, ValidationFailed } from '@seqcast/core';
import { DatasetStore, loadSeriesFrames, SeriesSchema, VersionView } from '@seqcast/data';

export interface TargetSeries {
  key: string;
  /** UTC ms (or the numeric time of the dataset). */
  times: Float64Array;
  values: Float32Array;
}

/** Checks that a dataset version can feed a forecaster on `target`. */
export function checkSeriesTarget(version: VersionView, target: string): SeriesSchema {
  if (version.schema.kind !== 'series') {
    throw new Unprocessable(
      `Dataset ${version.datasetId} holds event sequences; forecasting models need a series dataset`,
      [{ field: 'datasetId', reason: 'not a series dataset' }],
    );
  }
  const schema = version.schema as SeriesSchema;
  if (!schema.valueColumns.includes(target)) {
    throw new ValidationFailed(`Dataset ${version.datasetId} has no value column '${target}'`, [
      { field: 'target', reason: `must be one of: ${schema.valueColumns.join(', ')}` },
    ]);
  }
  return schema;
}

/** Reads one value column of every series of a dataset version. */
export async function loadTargetSeries(
  store: DatasetStore,
  version: VersionView,
  target: string,
): Promise<TargetSeries[]> {
  checkSeriesTarget(version, target);
  const frames = await loadSeriesFrames(store.readBatches(version.files), version.schema, [target]);
  return frames.map((f) => ({ key: f.key, times: f.times, values: Float32Array.from(f.values) }));
}
