import { Inject, Injectable } from '@nestjs/common';
import { NotFound, Unprocessable, ValidationFailed } from '@seqcast/core';
import { DatasetsService } from '@seqcast/data';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { forecasterRegistry, seq2seqRegistry } from '@seqcast/forecast';
import { JOB_QUEUE, JobQueue, SchedulerService } from '@seqcast/jobs';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { ForecastService } from './forecast/forecast.service';
import { MODEL_BATCH_FORECAST, MODEL_TRAIN } from './job-types';
import { forecasterConfig } from '../model-config';
import { checkSeriesTarget, checkSeriesTargets } from '../series-data';
import { FitOn, trainSplitKey } from './train/train-model.handler';
import { TrainCheckpoints, trainRequestKey } from './train/train-checkpoints';

export interface NewModel {
  kind: string;
  config?: Record<string, unknown>;
  datasetId: string;
  /** One value column to forecast (the same as `targets: [target]`). */
  target?: string;
  /** Several value columns, one channel each, in this order. */
  targets?: string[];
  lookback: number;
  horizon: number;
  name?: string;
}

export const MODEL_SCHEDULE_ACTIONS = {
  retrain: MODEL_TRAIN,
  'batch-forecast': MODEL_BATCH_FORECAST,
} as const;
export type ModelScheduleAction = keyof typeof MODEL_SCHEDULE_ACTIONS;

/** The target columns a request names: `targets`, or `target` alone (not both, unless they agree). */
function requestedTargets(input: Pick<NewModel, 'target' | 'targets'>): string[] {
  if (input.targets !== undefined) {
    if (!Array.isArray(input.targets) || input.targets.some((t) => typeof t !== 'string'))
      throw new ValidationFailed('targets must be an array of column names', [
        { field: 'targets', reason: 'an array of strings' },
      ]);
    if (input.target !== undefined && (input.targets.length !== 1 || input.targets[0] !== input.target))
      throw new ValidationFailed('give target or targets, not both', [
        { field: 'target', reason: `targets already names the columns (${input.targets.join(', ')})` },
      ]);
    return input.targets;
  }
  if (typeof input.target !== 'string' || !input.target)
    throw new ValidationFailed('a model needs a target column', [
      { field: 'target', reason: 'name the value column to forecast (or several in targets)' },
    ]);
  return [input.target];
}

/** The life of a forecasting model: configured on a dataset, trained by jobs, scheduled. */
@Injectable()
export class ModelsService {
  private readonly models: Repository<ModelEntity>;
  private readonly versions: Repository<ModelVersionEntity>;

  constructor(
    ds: DataSource,
    private readonly datasets: DatasetsService,
    private readonly forecasts: ForecastService,
    private readonly scheduler: SchedulerService,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly checkpoints: TrainCheckpoints,
  ) {
    this.models = ds.getRepository(ModelEntity);
    this.versions = ds.getRepository(ModelVersionEntity);
  }

  async create(input: NewModel): Promise<ModelEntity> {
    if (!forecasterRegistry.has(input.kind)) {
      // GET /models/kinds lists the seq2seq kinds too: say where those are created
      const elsewhere = seq2seqRegistry.registry.has(input.kind);
      throw new ValidationFailed(
        elsewhere
          ? `'${input.kind}' is a seq2seq model kind: create it at POST /seq2seq-models`
          : `unknown model kind '${input.kind}'`,
        [
          {
            field: 'kind',
            reason: elsewhere
              ? 'a seq2seq kind (family seq2seq): POST /seq2seq-models {kind, datasetId, config?}'
              : `must be one of: ${forecasterRegistry.kinds().join(', ')}`,
          },
        ],
      );
    }
    const config = forecasterConfig(input.kind, input.config ?? {}, input.lookback, input.horizon);
    const targets = requestedTargets(input);
    const version = await this.datasets.version(input.datasetId);
    if (input.targets) checkSeriesTargets(version, targets);
    else checkSeriesTarget(version, targets[0]);
    // Build once to learn the model's real limits (e.g. a config horizon below the requested one).
    const probe = forecasterRegistry.create(input.kind, config);
    const limits = { lookback: probe.lookback, maxHorizon: probe.maxHorizon };
    probe.dispose();
    if (input.horizon > limits.maxHorizon) {
      throw new ValidationFailed(
        `horizon ${input.horizon} is beyond this ${input.kind} configuration (at most ${limits.maxHorizon})`,
        [{ field: 'horizon', reason: `at most ${limits.maxHorizon}` }],
      );
    }
    return this.models.save(
      this.models.create({
        id: randomUUID(),
        name: input.name ?? `${input.kind} on ${targets.join(', ')}`,
        family: 'series',
        kind: input.kind,
        config,
        datasetId: input.datasetId,
        target: targets[0],
        targets,
        lookback: limits.lookback,
        horizon: input.horizon,
        status: 'created',
        latestVersionId: null,
      }),
    );
  }

  list(page: { limit: number; offset: number }): Promise<[ModelEntity[], number]> {
    return this.models.findAndCount({
      where: { family: 'series' },
      order: { createdAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async get(id: string): Promise<ModelEntity> {
    const m = await this.models.findOneBy({ id, family: 'series' });
    if (!m)
      throw new NotFound(`model ${id} not found`, [{ field: 'id', reason: 'no such forecasting model' }]);
    return m;
  }

  async versionsOf(id: string): Promise<ModelVersionEntity[]> {
    await this.get(id);
    return this.versions.find({ where: { modelId: id }, order: { version: 'DESC' } });
  }

  /**
   * Queues a model.train job. `resume` takes up the model's checkpoint, which must belong to
   * this request (same config, newest dataset version and fitOn; 409 otherwise, before anything
   * is queued); `checkpointSteps` overrides TRAIN_CHECKPOINT_STEPS for this run; `fitOn: 'all'`
   * refits on every row after the split fit (see TrainModelInput.fitOn).
   */
  async train(id: string, options: { resume?: boolean; checkpointSteps?: number; fitOn?: FitOn } = {}) {
    const model = await this.get(id);
    if (options.resume) {
      const version = await this.datasets.version(model.datasetId!);
      await this.checkpoints.requireMatching(id, trainRequestKey(model, version.id, trainSplitKey(options.fitOn)));
    }
    this.forecasts.invalidate(id);
    return this.queue.enqueue(MODEL_TRAIN, {
      modelId: id,
      ...(options.resume ? { resume: true } : {}),
      ...(options.checkpointSteps !== undefined ? { checkpointSteps: options.checkpointSteps } : {}),
      ...(options.fitOn === 'all' ? { fitOn: 'all' } : {}),
    });
  }

  async batchForecast(
    id: string,
    horizon?: number,
    include: { quantiles?: number[]; samples?: boolean } = {},
  ) {
    const m = await this.get(id);
    if (!m.latestVersionId)
      throw new Unprocessable(`model ${id} is not trained yet`, [{ field: 'status', reason: m.status }]);
    return this.queue.enqueue(MODEL_BATCH_FORECAST, {
      modelId: id,
      ...(horizon ? { horizon } : {}),
      ...(include.quantiles?.length ? { quantiles: include.quantiles } : {}),
      ...(include.samples ? { samples: true } : {}),
    });
  }

  /** Learned coefficients of linear autoregressive models (AR-Net, Classic-AR). */
  async coefficients(id: string): Promise<Record<string, unknown>> {
    const { model, version, loaded } = await this.forecasts.loaded(id);
    const f = loaded.forecaster.model as unknown as { coefficients?: () => Record<string, unknown> };
    if (typeof f.coefficients !== 'function') {
      throw new Unprocessable(`a ${model.kind} model has no readable coefficients`, [
        { field: 'kind', reason: 'only linear autoregressive models (ar-net, classic-ar) have them' },
      ]);
    }
    const raw = f.coefficients();
    const plain = JSON.parse(
      JSON.stringify(raw, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)),
    );
    return { modelId: model.id, modelVersionId: version.id, kind: model.kind, ...plain };
  }

  async schedule(id: string, action: ModelScheduleAction, cron: string, timezone?: string) {
    const m = await this.get(id);
    return this.scheduler.create({
      name: `${action} ${m.name}`,
      cron,
      timezone,
      jobType: MODEL_SCHEDULE_ACTIONS[action],
      payload: { modelId: id },
    });
  }

  async schedulesOf(id: string) {
    await this.get(id);
    return (await this.scheduler.list()).filter((s) => s.payload.modelId === id);
  }
}
