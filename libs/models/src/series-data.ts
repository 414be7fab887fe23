import { Unprocessable, ValidationFailed } from '@seqcast/core';
import { DatasetStore, loadSeriesFrames, SeriesSchema, VersionView } from '@seqcast/data';

export interface TargetSeries {
  key: string;
  /** UTC ms (or the numeric time of the dataset). */
  times: Float64Array;
  values: Float32Array;
}

/** A series with one value array per target channel (in the order of the model's targets). */
export interface ChannelSeries {
  key: string;
  /** UTC ms (or the numeric time of the dataset). */
  times: Float64Array;
  channels: Float32Array[];
}

/** The value columns a model forecasts: its `targets`, or for rows from before them its one `target`. */
export function modelTargets(model: { target: string | null; targets?: string[] | null }): string[] {
  if (model.targets?.length) return model.targets;
  return model.target ? [model.target] : [];
}

function seriesSchema(version: VersionView): SeriesSchema {
  if (version.schema.kind !== 'series') {
    throw new Unprocessable(
      `Dataset ${version.datasetId} is a ${version.schema.kind} dataset; forecasting models need a series dataset`,
      [{ field: 'datasetId', reason: 'not a series dataset' }],
    );
  }
  return version.schema as SeriesSchema;
}

const NUMERIC = /^(Float|Int|Uint)/;

/**
 * Checks that a dataset version can feed a forecaster on `target`; `field` names the request
 * field in the error (`targets[1]` for the second of several).
 */
export function checkSeriesTarget(version: VersionView, target: string, field = 'target'): SeriesSchema {
  const schema = seriesSchema(version);
  if (!schema.valueColumns.includes(target)) {
    throw new ValidationFailed(`Dataset ${version.datasetId} has no value column '${target}'`, [
      { field, reason: `'${target}' must be one of: ${schema.valueColumns.join(', ')}` },
    ]);
  }
  const type = version.schema.fields?.find((f) => f.name === target)?.type;
  if (type !== undefined && !NUMERIC.test(type)) {
    throw new ValidationFailed(
      `Column '${target}' of dataset ${version.datasetId} is not numeric (${type})`,
      [{ field, reason: `'${target}' is ${type}, not a number` }],
    );
  }
  return schema;
}

/**
 * Checks the target columns of a multichannel model: at least one, each a numeric value
 * column of the dataset version, none twice. Errors name the column and its place.
 */
export function checkSeriesTargets(version: VersionView, targets: string[], field = 'targets'): SeriesSchema {
  let schema = seriesSchema(version);
  if (!targets.length)
    throw new ValidationFailed('targets is empty', [
      { field, reason: `name at least one of: ${schema.valueColumns.join(', ')}` },
    ]);
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (seen.has(t))
      throw new ValidationFailed(`target column '${t}' is named twice`, [
        { field: `${field}[${i}]`, reason: `'${t}' is already targets[${targets.indexOf(t)}]` },
      ]);
    seen.add(t);
    schema = checkSeriesTarget(version, t, `${field}[${i}]`);
  });
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

/** Reads the target columns of every series of a dataset version, one Float32Array per target. */
export async function loadChannelSeries(
  store: DatasetStore,
  version: VersionView,
  targets: string[],
): Promise<ChannelSeries[]> {
  checkSeriesTargets(version, targets);
  const frames = await loadSeriesFrames(store.readBatches(version.files), version.schema, targets);
  const C = targets.length;
  return frames.map((f) => {
    // frames are row-major: values[row * C + channel]
    const n = f.times.length;
    const channels = targets.map(() => new Float32Array(n));
    for (let r = 0; r < n; r++) for (let c = 0; c < C; c++) channels[c][r] = f.values[r * C + c];
    return { key: f.key, times: f.times, channels };
  });
}
