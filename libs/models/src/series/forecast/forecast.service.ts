import { Injectable } from '@nestjs/common';
import { Conflict, NotFound, Unprocessable, ValidationFailed } from '@seqcast/core';
import { DatasetsService, timeZoneOf, VersionView } from '@seqcast/data';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { Forecast, forecasterRegistry, generativeKinds, unscaleValues } from '@seqcast/forecast';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { AdapterStates } from './adapter-states';
import { CalibratorStates } from './calibrator-states';
import { ForecastResult, toForecastResult } from './forecast-result';
import { ForecastWriter } from './forecast-writer';
import { LoadedModel, ModelCache } from './model-cache';
import { toForecastRow } from './stored-forecast';
import { sampleGrid } from './sample-times';
import { timedForecast } from './timed-forecast';
import { clockOf, parseStamps, type TimingView } from '../time-axis';
import { modelTargets } from '../../series-data';

export type { ForecastResult } from './forecast-result';

export interface ForecastRequest {
  /** The series to forecast; may be left out when the dataset has one series. */
  seriesKey?: string;
  horizon: number;
  /** Values to forecast from, oldest first; by default the series' newest values in the dataset. */
  context?: number[];
  /** Values to forecast from per target channel (in the model's `targets` order), instead of `context`. */
  contexts?: number[][];
  /** Time of the last context value (ISO 8601), to timestamp a forecast from a given context. */
  contextEnd?: string;
  /**
   * The time of every context value (ISO 8601), oldest first: a 'timed' model (LS4) reads the
   * gaps between them; for every kind the last one is the forecast's origin (as contextEnd).
   */
  contextTimes?: string[];
  /** Quantile levels in (0, 1) to serve: the model's own, or from its sample paths. */
  quantiles?: number[];
  /** Serve the model's sample paths too (probabilistic models only). */
  samples?: boolean;
  /** Intervals past the calibrator's calibrated steps reuse its last step's widths (default: refused). */
  extrapolateIntervals?: boolean;
}

export { clockOf } from '../time-axis';

/** The key of a dataset's only series, for a request that leaves seriesKey out; 400 when there are several. */
function onlySeriesKey(keys: Iterable<string>, data: VersionView): string {
  const all = [...keys];
  if (all.length === 1) return all[0];
  throw new ValidationFailed(`seriesKey is required: dataset ${data.datasetId} has ${all.length} series`, [
    {
      field: 'seriesKey',
      reason: `required when the dataset has several series (${all.length}); GET /datasets/:id/series lists them`,
    },
  ]);
}

/** How long a model's row is trusted before it is read again (a retrain shows up within this). */
const ROW_TTL_MS = 1000;

/**
 * Forecasts from trained models. The model (with its scaling pipeline) and the dataset's
 * series come from the cache; the model's forecast, made with the series' origin, frequency
 * and channel names, gets the intervals of the model's calibrator and is served and stored.
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
    private readonly adapters: AdapterStates,
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

  /**
   * How many of a given context's newest values a forecast of `seriesKey` reads (see
   * ScaledForecaster.historyRead); Infinity while the model cannot be served (the forecast
   * itself then says why).
   */
  async historyRead(modelId: string, seriesKey: string | undefined): Promise<number> {
    try {
      const { version } = await this.current(modelId);
      const loaded = await this.cache.model(version.artifactRef, version.id, { count: false });
      return loaded.forecaster.historyRead(seriesKey);
    } catch {
      return Infinity;
    }
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
    const targets = modelTargets(model);
    const all = await this.cache.channelsOf(data, targets);
    const seriesKey = req.seriesKey ?? onlySeriesKey(all.keys(), data);
    let history: ArrayLike<number>[];
    let lastTime: number | null = null;
    let times: ArrayLike<number> | null = null;
    const given = this.givenContext(req, targets);
    if (given) {
      history = given.history;
      if (req.contextTimes !== undefined) {
        times = contextTimes(req, given);
        lastTime = times[times.length - 1];
      } else if (req.contextEnd !== undefined) {
        lastTime = Date.parse(req.contextEnd);
        if (Number.isNaN(lastTime))
          throw new ValidationFailed('contextEnd is not a timestamp', [
            { field: 'contextEnd', reason: 'not ISO 8601' },
          ]);
      }
    } else {
      const series = all.get(seriesKey);
      if (!series) {
        // a single-series dataset's key is usually "" (no key columns): say so rather than leave it to guess
        const keys = [...all.keys()];
        const hint =
          keys.length === 1
            ? `; its one series has the key ${JSON.stringify(keys[0])} (or leave seriesKey out)`
            : '';
        throw new NotFound(
          `series '${seriesKey}' is not in dataset ${data.datasetId} (version ${data.version})${hint}`,
          [{ field: 'seriesKey', reason: `unknown series${hint}; GET /datasets/:id/series lists them` }],
        );
      }
      // The whole series: the pipeline reads the lookback's tail, and a series the model never saw is scaled by all of it.
      history = series.channels;
      times = series.times;
      lastTime = series.times.length ? series.times[series.times.length - 1] : null;
    }
    history.forEach((h, c) => {
      if (h.length >= f.lookback) return;
      const field = given?.field === 'contexts' ? `contexts[${c}]` : 'context';
      const of = targets.length > 1 ? ` of '${targets[c]}'` : '';
      throw new Unprocessable(
        `context${of} has ${h.length} values; model ${model.id} needs the last ${f.lookback}`,
        [{ field, reason: `at least ${f.lookback} values` }],
      );
    });
    const meta = { origin: lastTime, channelNames: targets, modelVersion: version.id };
    const timed = times
      ? timedForecast(
          f,
          loaded.trainedFrequency,
          {
            seriesKey,
            history,
            times,
            timesField: given ? 'contextTimes' : `series '${seriesKey}' times`,
            horizon: req.horizon,
          },
          meta,
        )
      : null;
    const made =
      timed?.forecast ??
      f.predictSeries({
        seriesKey,
        history,
        horizon: req.horizon,
        meta: { ...meta, frequency: data.frequency, clock: clockOf(data.frequency) },
      });
    // the adapter (if any) adapts the point forecast; the calibrator's intervals go around the adapted one
    const adapted = await this.adapters.adapt(model.id, version.id, made, {
      seriesKey,
      history,
      given: given !== undefined,
      horizon: req.horizon,
      forecaster: f,
      modelHorizon: model.horizon,
      ...(timed ? { timedBy: given ? 'contextTimes' : 'seriesKey' } : {}),
    });
    const forecast = this.served(
      await this.calibrators.calibrate(model.id, adapted, req.extrapolateIntervals ?? false),
      req,
      model.id,
    );
    const ids = { id: randomUUID(), modelId: model.id, modelVersionId: version.id };
    this.writer.add(toForecastRow(forecast, ids));
    return {
      ...toForecastResult(forecast, ids),
      timeZone: timeZoneOf(data.schema),
      ...(timed ? { timing: timed.timing } : {}),
    };
  }

  /**
   * Unconditional sample paths of a generative model (LS4): `count` paths of `length` steps,
   * in the units of `seriesKey` when the model was trained on that series (its training
   * scale), else in the model's standardised units; at `times` (one stamp per step, an uneven
   * grid: sample-times.ts) or one nominal step apart. 422 for a kind that does not generate.
   */
  async samples(
    modelId: string,
    req: { count: number; length: number; seed?: number; seriesKey?: string; times?: string[] },
  ): Promise<{
    modelId: string;
    modelVersionId: string;
    count: number;
    length: number;
    seed: number | null;
    seriesKey: string | null;
    units: 'series' | 'standardised';
    channels: string[];
    paths: number[][][];
    /** The stamps the paths were drawn at (request `times`), else null. */
    times: string[] | null;
    timing?: TimingView;
  }> {
    const { model, version, loaded } = await this.loaded(modelId);
    const f = loaded.forecaster;
    const generative = f.model as unknown as {
      generate?: (
        count: number,
        length: number,
        seed?: number,
        options?: { times: ArrayLike<number>; nominalGap: number },
      ) => Float32Array[][];
    };
    if (!forecasterRegistry.can(model.kind, 'generative') || typeof generative.generate !== 'function')
      throw new Unprocessable(`model ${model.id} (${model.kind}) does not generate sample paths`, [
        {
          field: 'kind',
          reason: `${model.kind} is not a generative model (generative kinds: ${generativeKinds().join(', ')})`,
        },
      ]);
    const targets = modelTargets(model);
    let scales: ReturnType<typeof f.scaler.scalesOf>;
    if (req.seriesKey !== undefined) {
      scales = f.scaler.scalesOf(req.seriesKey, targets.length);
      if (!scales)
        throw new NotFound(`model ${model.id} was not trained on series '${req.seriesKey}'`, [
          { field: 'seriesKey', reason: 'not a series of its training data' },
        ]);
    }
    const grid =
      req.times !== undefined ? sampleGrid(f, loaded.trainedFrequency, req.times, req.length) : null;
    const paths = generative.generate.call(
      f.model,
      req.count,
      req.length,
      req.seed,
      grid ? { times: grid.times, nominalGap: grid.nominalGap } : undefined,
    );
    return {
      modelId: model.id,
      modelVersionId: version.id,
      count: req.count,
      length: req.length,
      seed: req.seed ?? null,
      seriesKey: req.seriesKey ?? null,
      units: scales ? 'series' : 'standardised',
      channels: targets,
      paths: paths.map((chs) => chs.map((ch, c) => Array.from(scales ? unscaleValues(ch, scales[c]) : ch))),
      times: grid?.stamps ?? null,
      ...(grid ? { timing: grid.timing } : {}),
    };
  }

  /**
   * The history a request gives instead of the dataset's: `contexts` (one array per target,
   * in order) or `context` (a model with one target); undefined when it gives none.
   */
  private givenContext(
    req: ForecastRequest,
    targets: string[],
  ): { history: ArrayLike<number>[]; field: 'context' | 'contexts' } | undefined {
    if (req.context && req.contexts)
      throw new ValidationFailed('give context or contexts, not both', [
        { field: 'contexts', reason: 'context already gives the history' },
      ]);
    if (req.contexts) {
      if (req.contexts.length !== targets.length)
        throw new ValidationFailed(
          `contexts has ${req.contexts.length} channels; the model forecasts ${targets.length} (${targets.join(', ')})`,
          [{ field: 'contexts', reason: `one array per target: ${targets.join(', ')}` }],
        );
      req.contexts.forEach((ch, c) => {
        if (!Array.isArray(ch) || ch.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
          throw new ValidationFailed(`contexts[${c}] is not an array of finite numbers`, [
            { field: `contexts[${c}]`, reason: 'finite numbers, oldest first' },
          ]);
      });
      return { history: req.contexts, field: 'contexts' };
    }
    if (req.context) {
      if (targets.length !== 1)
        throw new ValidationFailed(
          `the model forecasts ${targets.length} channels (${targets.join(', ')}); give their histories in contexts`,
          [{ field: 'context', reason: 'one channel only: use contexts, one array per target' }],
        );
      return { history: [req.context], field: 'context' };
    }
    return undefined;
  }

  /** What a request asks to be served of a forecast: quantile levels kept, samples kept or dropped. */
  private served(f: Forecast, req: ForecastRequest, modelId: string): Forecast {
    let out = f;
    if (req.quantiles?.length) {
      try {
        out = out.withQuantiles(req.quantiles);
      } catch (e) {
        if (!(e instanceof ValidationFailed)) throw e;
        throw new Unprocessable(e.message, [
          { field: 'quantiles', reason: e.details[0]?.reason ?? 'not available' },
        ]);
      }
    }
    if (!req.samples) return out.withoutSamples();
    if (!out.hasSamples)
      throw new Unprocessable(`model ${modelId} makes no sample paths`, [
        { field: 'samples', reason: 'the model is not probabilistic' },
      ]);
    return out;
  }
}

/**
 * A request's contextTimes as UTC ms: one per context value (every channel as long), each
 * ISO 8601 and after the one before; not with contextEnd (the last time is the end).
 */
function contextTimes(
  req: ForecastRequest,
  given: { history: ArrayLike<number>[]; field: 'context' | 'contexts' },
): Float64Array {
  const raw = req.contextTimes!;
  if (req.contextEnd !== undefined)
    throw new ValidationFailed('give contextTimes or contextEnd, not both', [
      { field: 'contextEnd', reason: 'the last of contextTimes is the end of the context' },
    ]);
  given.history.forEach((h, c) => {
    if (h.length !== raw.length)
      throw new ValidationFailed(`contextTimes has ${raw.length} times for ${h.length} context values`, [
        {
          field: 'contextTimes',
          reason: `one time per value of ${given.field === 'contexts' ? `contexts[${c}]` : 'context'} (${h.length})`,
        },
      ]);
  });
  return parseStamps(raw, 'contextTimes');
}
