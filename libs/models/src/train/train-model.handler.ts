import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, Unprocessable } from '@seqcast/core';
import { DATASET_STORE, DatasetsService, DatasetStore, splitByFractions } from '@seqcast/data';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import { randomUUID } from 'crypto';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { MODEL_TRAIN } from '../job-types';
import { loadTargetSeries } from '../series-data';
import { applyScale, fitScale, SeriesScale } from '../series-scaler';
import type { TrainModelInput, TrainModelOutput } from './train-model.task';

const TASK = path.join(__dirname, `train-model.task${path.extname(__filename)}`);

/** Split of every series in time order: 70% train, 10% validation, 20% test. */
export const DEFAULT_SPLIT = { train: 0.7, test: 0.2 };

export interface TrainJobResult {
  modelId: string;
  modelVersionId: string;
  version: number;
  datasetVersion: number;
  backend: string;
  seconds: number;
  series: number;
  test: TrainModelOutput['test'];
  validMse?: number;
  epochs?: number;
}

/**
 * Trains a model on the newest version of its dataset. The data is read and split here;
 * fitting runs in a worker thread; the new model version is recorded only once its
 * artifact is safely stored, so a failed or cancelled run leaves the previous version in place.
 */
@Injectable()
@HandlesJob(MODEL_TRAIN)
export class TrainModelJobHandler implements JobHandler<{ modelId: string }, TrainJobResult> {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
  ) {}

  async run(p: { modelId: string }, ctx: JobRunContext): Promise<TrainJobResult> {
    const models = this.ds.getRepository(ModelEntity);
    const model = await models.findOneByOrFail({ id: p.modelId });
    await models.update({ id: model.id }, { status: 'training' });
    try {
      const result = await this.train(model, ctx);
      return result;
    } catch (e) {
      const latest = await models.findOneBy({ id: model.id });
      await models.update({ id: model.id }, { status: latest?.latestVersionId ? 'trained' : 'failed' });
      throw e;
    }
  }

  private async train(model: ModelEntity, ctx: JobRunContext): Promise<TrainJobResult> {
    const started = Date.now();
    ctx.progress(0, 'reading data');
    const version = await this.datasets.version(model.datasetId!);
    const series = await loadTargetSeries(this.store, version, model.target!);
    const lookback = model.lookback!;
    const horizon = model.horizon!;
    const scales: Record<string, SeriesScale> = {};
    const input: TrainModelInput = {
      kind: model.kind,
      config: model.config,
      backend: this.config.TF_BACKEND,
      artifactRoot: dataPaths(this.config).artifacts,
      train: [],
      valid: [],
      test: [],
      scaler: null,
      dataSchema: {
        datasetId: version.datasetId,
        datasetVersion: version.version,
        target: model.target,
        frequency: version.frequency,
      },
      maxTestWindows: 2000,
      horizon,
    };
    for (const s of series) {
      const n = s.values.length;
      if (n < lookback + horizon + 2) continue;
      const split = splitByFractions(n, DEFAULT_SPLIT, lookback);
      const scale = fitScale(s.values, split.train.end);
      scales[s.key] = scale;
      const z = applyScale(s.values, scale);
      input.train.push(z.slice(split.train.start, split.train.end));
      input.valid.push(z.slice(split.valid.start, split.valid.end));
      input.test.push(z.slice(split.test.start, split.test.end));
    }
    if (!input.train.length) {
      throw new Unprocessable(
        `No series of dataset ${version.datasetId} is long enough for lookback ${lookback} + horizon ${horizon}`,
        [{ field: 'lookback', reason: `every series has fewer than ${lookback + horizon + 2} rows` }],
      );
    }
    input.scaler = { kind: 'per-series-standard', series: scales };
    ctx.progress(0.01, `training ${model.kind} on ${input.train.length} series`);
    const out = await runInWorkerThread<TrainModelInput, TrainModelOutput>(TASK, 'trainModel', input, {
      signal: ctx.signal,
      onProgress: (f, m) => ctx.progress(0.01 + 0.98 * f, m),
    });
    const versions = this.ds.getRepository(ModelVersionEntity);
    const row = await this.ds.transaction(async (m) => {
      const last = await m
        .getRepository(ModelVersionEntity)
        .findOne({ where: { modelId: model.id }, order: { version: 'DESC' } });
      const v = await m.getRepository(ModelVersionEntity).save(
        versions.create({
          id: randomUUID(),
          modelId: model.id,
          version: (last?.version ?? 0) + 1,
          artifactRef: out.artifactId,
          datasetVersionId: version.id,
          metrics: {
            test: out.test,
            validMse: out.report.validMse ?? null,
            seconds: out.report.seconds,
            epochs: out.report.epochs?.length ?? null,
          },
          backend: out.backend,
        }),
      );
      await m
        .getRepository(ModelEntity)
        .update({ id: model.id }, { status: 'trained', latestVersionId: v.id });
      return v;
    });
    return {
      modelId: model.id,
      modelVersionId: row.id,
      version: row.version,
      datasetVersion: version.version,
      backend: out.backend,
      seconds: (Date.now() - started) / 1000,
      series: input.train.length,
      test: out.test,
      validMse: out.report.validMse,
      epochs: out.report.epochs?.length,
    };
  }
}
