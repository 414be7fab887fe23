import { Injectable } from '@nestjs/common';
import { Conflict, NotFound, Unprocessable, ValidationFailed } from '@seqcast/core';
import { addSteps, DatasetsService, parseFrequency, VersionView } from '@seqcast/data';
import { ForecastEntity, ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { CalibratorStates } from '../calibrate/calibrator-states';
import { applyScale, fitScale, invertScale, SeriesScale } from '../series-scaler';
import { ForecastWriter } from './forecast-writer';
import { LoadedModel, ModelCache } from './model-cache';

export interface ForecastRequest {
  seriesKey: string;
  horizon: number;
  /** Values to forecast from, oldest first; by default the series' newest values in the dataset. */
  context?: number[];
  /** Time of the last context value (ISO 8601), to timestamp a forecast from a given context. */
  contextEnd?: string;
}

export interface ForecastResult {
  id: string;
  modelId: string;
  modelVersionId: string;
  seriesKey: string;
  horizon: number;
  /** Time of the last observation the forecast starts from (ISO), when known. */
  origin: string | null;
  frequency: string | null;
  /** Conformal calibrator behind the bounds, when the model has one for this series. */
  interval: { calibratorId: string; method: string; levels: string[] } | null;
  /** Per step: the point value and, with a calibrator, bounds named like lo-90 and hi-90. */
  steps: ({ step: number; timestamp: string | null; value: number } & Record<
    string,
    number | string | null
  >)[];
}

/** How long a model's row is trusted before it is read again (a retrain shows up within this). */
const ROW_TTL_MS = 1000;

/**
 * Point forecasts from trained models. The model and the dataset's series come from
 * the cache; the request scales the context with the series' training scale, predicts,
 * inverts the scale and timestamps the steps from the dataset's frequency.
 */
@Injectable()
export class ForecastService {
  private readonly models: Repository<ModelEntity>;
  private readonly versions: Repository<ModelVersionEntity>;
  private readonly rows = new Map<
    string,
    { at: number; model: ModelEntity; version: ModelVersionEntity; data: VersionView }
  >();

  constructor(
    ds: DataSource,
    private readonly datasets: DatasetsService,
    private readonly cache: ModelCache,
    private readonly writer: ForecastWriter,
    private readonly calibrators: CalibratorStates,
  ) {
    this.models = ds.getRepository(ModelEntity);
    this.versions = ds.getRepository(ModelVersionEntity);
  }

  /** The model row, its current version and its dataset's newest version (cached briefly). */
  async current(
    modelId: string,
  ): Promise<{ model: ModelEntity; version: ModelVersionEntity; data: VersionView }> {
    const hit = this.rows.get(modelId);
    if (hit && Date.now() - hit.at < ROW_TTL_MS) return hit;
    const model = await this.models.findOneBy({ id: modelId, family: 'series' });
    if (!model) throw new NotFound(`model ${modelId} not found`, [{ field: 'id', reason: 'no such model' }]);
    if (!model.latestVersionId) {
      throw new Conflict(`model ${modelId} is not trained yet: POST /models/${modelId}/train first`, [
        { field: 'status', reason: model.status },
      ]);
    }
    const version = await this.versions.findOneByOrFail({ id: model.latestVersionId });
    const data = await this.datasets.version(model.datasetId!);
    const entry = { at: Date.now(), model, version, data };
    this.rows.set(modelId, entry);
    return entry;
  }

  /** Drops cached rows of a model (after a retrain or deletion). */
  invalidate(modelId: string): void {
    this.rows.delete(modelId);
  }

  async loaded(
    modelId: string,
  ): Promise<{ model: ModelEntity; version: ModelVersionEntity; data: VersionView; loaded: LoadedModel }> {
    const cur = await this.current(modelId);
    return { ...cur, loaded: await this.cache.model(cur.version.artifactRef, cur.version.id) };
  }

  async forecast(modelId: string, req: ForecastRequest): Promise<ForecastResult> {
    const { model, version, data, loaded } = await this.loaded(modelId);
    const f = loaded.forecaster;
    if (!Number.isInteger(req.horizon) || req.horizon < 1 || req.horizon > f.maxHorizon) {
      throw new Unprocessable(
        `horizon ${req.horizon} is beyond what model ${model.id} forecasts (1..${f.maxHorizon})`,
        [{ field: 'horizon', reason: `must be an integer in 1..${f.maxHorizon}` }],
      );
    }
    const freq = data.frequency ? parseFrequency(data.frequency) : null;
    let values: ArrayLike<number>;
    let lastTime: number | null = null;
    let scale: SeriesScale | undefined = loaded.scales[req.seriesKey];
    if (req.context) {
      values = req.context;
      if (req.contextEnd !== undefined) {
        lastTime = Date.parse(req.contextEnd);
        if (Number.isNaN(lastTime))
          throw new ValidationFailed('contextEnd is not a timestamp', [
            { field: 'contextEnd', reason: 'not ISO 8601' },
          ]);
      }
      // A series the model never saw is scaled by its own context.
      scale ??= fitScale(Float32Array.from(values), values.length);
    } else {
      const series = (await this.cache.seriesOf(data, model.target!)).get(req.seriesKey);
      if (!series) {
        throw new NotFound(
          `series '${req.seriesKey}' is not in dataset ${data.datasetId} (version ${data.version})`,
          [{ field: 'seriesKey', reason: 'unknown series; GET /datasets/:id/series lists them' }],
        );
      }
      values = series.values.subarray(Math.max(0, series.values.length - f.lookback));
      lastTime = series.times.length ? series.times[series.times.length - 1] : null;
      scale ??= fitScale(series.values, series.values.length);
    }
    if (values.length < f.lookback) {
      throw new Unprocessable(
        `context has ${values.length} values; model ${model.id} needs the last ${f.lookback}`,
        [{ field: 'context', reason: `at least ${f.lookback} values` }],
      );
    }
    const ctx = applyScale(Array.prototype.slice.call(values, values.length - f.lookback), scale);
    const point = invertScale(f.predict([ctx], req.horizon).channel(0), scale);
    const bounds = await this.calibrators.bounds(model.id, req.seriesKey, point);
    const stamp = (i: number) =>
      lastTime !== null && freq ? new Date(addSteps(lastTime, i + 1, freq)).toISOString() : null;
    const result: ForecastResult = {
      id: randomUUID(),
      modelId: model.id,
      modelVersionId: version.id,
      seriesKey: req.seriesKey,
      horizon: req.horizon,
      origin: lastTime !== null ? new Date(lastTime).toISOString() : null,
      frequency: data.frequency,
      interval: bounds
        ? {
            calibratorId: bounds.calibratorId,
            method: bounds.method,
            levels: Object.keys(bounds.bounds)
              .filter((k) => k.startsWith('lo-'))
              .map((k) => k.slice(3)),
          }
        : null,
      steps: Array.from(point, (v, i) => {
        const step: ForecastResult['steps'][number] = { step: i + 1, timestamp: stamp(i), value: v };
        if (bounds) for (const [name, b] of Object.entries(bounds.bounds)) step[name] = b[i];
        return step;
      }),
    };
    this.writer.add(
      Object.assign(new ForecastEntity(), {
        id: result.id,
        modelId: model.id,
        modelVersionId: version.id,
        seriesKey: req.seriesKey,
        origin: lastTime !== null ? new Date(lastTime) : null,
        horizon: req.horizon,
        // Timestamps are not stored: origin + frequency give them back, at a fraction of the bytes.
        values: {
          frequency: data.frequency,
          point: Array.from(point),
          ...(bounds ? { bounds: bounds.bounds, calibratorId: bounds.calibratorId } : {}),
        },
        jobId: null,
        createdAt: new Date(),
      }),
    );
    return result;
  }
}
