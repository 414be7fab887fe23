import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, dataPaths, Unprocessable } from '@seqcast/core';
import { DATASET_STORE, DatasetsService, DatasetStore, splitByFractions } from '@seqcast/data';
import { ModelEntity } from '@seqcast/db';
import { checkPayload, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { ArtifactStore, ResumedFrom, runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { ARTIFACT_STORE } from '../../artifact-store.provider';
import { MODEL_TRAIN } from '../job-types';
import { NewVersion, trainVersion } from '../../model-versions';
import { loadChannelSeries, modelTargets } from '../../series-data';
import type { TrainModelInput, TrainModelOutput } from './train-model.task';
import { seriesTiming } from './series-timing';
import type { TimingView } from '../time-axis';
import { TrainCheckpoints, trainRequestKey } from './train-checkpoints';
import { trainingThread, type TrainCheckpointInput } from './train-checkpoint-port';

const TASK = path.join(__dirname, `train-model.task${path.extname(__filename)}`);


/** Split of every series in time order: 70% train, 10% validation, 20% test. */
export const DEFAULT_SPLIT = { train: 0.7, test: 0.2 };

/** What a trained version's weights learnt: the train part of the split, or every row (see TrainModelInput.fitOn). */
export type FitOn = 'split' | 'all';
export const FIT_ON: readonly FitOn[] = ['split', 'all'];

/**
 * The split part of a training request's key (checkpoints belong to one request): a refit on
 * all rows is another request than a split fit. Split fits keep the key they always had.
 */
export function trainSplitKey(fitOn: FitOn = 'split'): unknown {
  return fitOn === 'all' ? { ...DEFAULT_SPLIT, fitOn } : DEFAULT_SPLIT;
}

export interface TrainJobResult {
  modelId: string;
  modelVersionId: string;
  version: number;
  datasetVersion: number;
  backend: string;
  seconds: number;
  series: number;
  /** 'all': the stored weights were refitted on every row after the split fit; `test` is the split fit's. */
  fitOn: FitOn;
  test: TrainModelOutput['test'];
  validMse?: number;
  epochs?: number;
  /** Where training took up from a checkpoint: "resumed at epoch 3 of 20, step 41 of 152". */
  resumed?: ResumedFrom;
  /** Present when the data's rows are unevenly spaced (gaps or irregular stamps): whether the model read the gaps. */
  timing?: TimingView;
}

/** model.train's payload: the model, and how this run treats checkpoints. */
export interface TrainModelPayload {
  modelId: string;
  /** Resume the model's checkpoint (after a cancel, or a job that failed for good); it must match this request. */
  resume?: boolean;
  /** Steps between checkpoints inside an epoch for this run (default TRAIN_CHECKPOINT_STEPS). */
  checkpointSteps?: number;
  /** 'all': refit on every row once validation picked the settings (default 'split'). */
  fitOn?: FitOn;
}

/**
 * Trains a model on the newest version of its dataset. The data is read and split here;
 * fitting runs in a worker thread; the new model version is recorded only once its
 * artifact is safely stored, so a failed or cancelled run leaves the previous version in place.
 */
@Injectable()
@HandlesJob(MODEL_TRAIN)
export class TrainModelJobHandler implements JobHandler<TrainModelPayload, TrainJobResult> {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
    private readonly checkpoints: TrainCheckpoints,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
  ) {}

  /** Enqueued by its own route, which first checks the rows this payload points at. */
  readonly access = 'internal';

  validate(p: Record<string, unknown>): TrainModelPayload {
    return checkPayload<TrainModelPayload>(MODEL_TRAIN, p, {
      modelId: { type: 'uuid', required: true },
      resume: { type: 'boolean' },
      checkpointSteps: { type: 'integer', minimum: 0 },
      fitOn: { type: 'enum', values: FIT_ON },
    });
  }

  async run(p: TrainModelPayload, ctx: JobRunContext): Promise<TrainJobResult> {
    const model = await this.ds.getRepository(ModelEntity).findOneByOrFail({ id: p.modelId });
    // Weights whose version could not be recorded (the database went away) are removed:
    // the retry writes its own, and nothing would ever refer to these.
    const { row, result } = await trainVersion(this.ds, model.id, () => this.train(model, p, ctx), {
      discard: (v) => this.artifacts.remove(v.artifactRef),
    });
    // the version is recorded: nothing is left to resume
    await this.checkpoints.remove(model.id);
    return { modelId: model.id, modelVersionId: row.id, version: row.version, ...result };
  }

  /** Where this run writes checkpoints and whether it takes up the one there (TrainCheckpoints.forJob). */
  private checkpointing(
    model: ModelEntity,
    datasetVersionId: string,
    p: TrainModelPayload,
    ctx: JobRunContext,
  ): Promise<TrainCheckpointInput> {
    const key = trainRequestKey(model, datasetVersionId, trainSplitKey(p.fitOn));
    return this.checkpoints.forJob(model.id, key, ctx.jobId, {
      resume: p.resume,
      everySteps: p.checkpointSteps ?? this.config.TRAIN_CHECKPOINT_STEPS,
    });
  }

  private async train(
    model: ModelEntity,
    p: TrainModelPayload,
    ctx: JobRunContext,
  ): Promise<{
    version: NewVersion;
    result: Omit<TrainJobResult, 'modelId' | 'modelVersionId' | 'version'>;
  }> {
    const started = Date.now();
    ctx.progress(0, 'reading data');
    const version = await this.datasets.version(model.datasetId!);
    const targets = modelTargets(model);
    const series = await loadChannelSeries(this.store, version, targets);
    const lookback = model.lookback!;
    const horizon = model.horizon!;
    const timing = seriesTiming(model.kind, version.frequency, series, lookback);
    const input: TrainModelInput = {
      kind: model.kind,
      config: model.config,
      backend: this.config.TF_BACKEND,
      artifactRoot: dataPaths(this.config).artifacts,
      series: [],
      dataSchema: {
        datasetId: version.datasetId,
        datasetVersion: version.version,
        target: model.target,
        targets,
        frequency: version.frequency,
      },
      maxTestWindows: 2000,
      horizon,
      checkpoint: await this.checkpointing(model, version.id, p, ctx),
      fitOn: p.fitOn ?? 'split',
      ...(timing?.dt ? { nominalGap: timing.nominalGap } : {}),
    };
    // The rows as read, one array per target: the model's pipeline (in the task) fits each
    // series' scales on its train rows and the model on the scaled rows.
    for (const s of series) {
      const n = s.times.length;
      if (n < lookback + horizon + 2) continue;
      const split = splitByFractions(n, DEFAULT_SPLIT, lookback);
      const rows = (r: { start: number; end: number }) => s.channels.map((ch) => ch.slice(r.start, r.end));
      const t = timing?.dt ? timing.times.get(s.key)! : null;
      const at = (r: { start: number; end: number }) => t!.slice(r.start, r.end);
      input.series.push({
        key: s.key,
        train: rows(split.train),
        valid: rows(split.valid),
        test: rows(split.test),
        ...(p.fitOn === 'all' ? { all: s.channels } : {}),
        ...(t
          ? {
              times: {
                train: at(split.train),
                valid: at(split.valid),
                test: at(split.test),
                ...(p.fitOn === 'all' ? { all: t } : {}),
              },
            }
          : {}),
      });
    }
    if (!input.series.length) {
      throw new Unprocessable(
        `No series of dataset ${version.datasetId} is long enough for lookback ${lookback} + horizon ${horizon}`,
        [{ field: 'lookback', reason: `every series has fewer than ${lookback + horizon + 2} rows` }],
      );
    }
    ctx.progress(0.01, `training ${model.kind} on ${input.series.length} series`);
    const out = await runInWorkerThread<TrainModelInput, TrainModelOutput>(
      TASK,
      'trainModel',
      input,
      trainingThread(ctx, 0.01),
    );
    return {
      version: {
        artifactRef: out.artifactId,
        datasetVersionId: version.id,
        metrics: {
          test: out.test,
          validMse: out.report.validMse ?? null,
          seconds: out.report.seconds,
          epochs: out.report.epochs?.length ?? null,
          ...(timing ? { timing: timing.view } : {}),
          ...(out.refit
            ? {
                refit: {
                  windows: out.refit.report.windows,
                  seconds: out.refit.report.seconds,
                  epochs: out.refit.report.epochs?.length ?? null,
                },
              }
            : {}),
        },
        backend: out.backend,
        fitOn: out.refit ? 'all' : 'split',
      },
      result: {
        datasetVersion: version.version,
        backend: out.backend,
        seconds: (Date.now() - started) / 1000,
        series: input.series.length,
        fitOn: out.refit ? 'all' : 'split',
        test: out.test,
        validMse: out.report.validMse,
        epochs: out.report.epochs?.length,
        ...(timing ? { timing: timing.view } : {}),
        ...(out.report.resumedFrom ? { resumed: out.report.resumedFrom } : {}),
      },
    };
  }
}
