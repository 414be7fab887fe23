import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, Conflict, dataPaths, NotFound } from '@seqcast/core';
import { DatasetsService } from '@seqcast/data';
import {
  CalibratorEntity,
  AdapterEntity,
  OnlineSnapshotEntity,
  OnlineStateEntity,
  DatasetEntity,
  DatasetVersionEntity,
  ForecastEntity,
  JobEntity,
  ModelEntity,
  ModelVersionEntity,
  ScheduleEntity,
  transactionRetryingConflicts,
} from '@seqcast/db';
import { SchedulerService } from '@seqcast/jobs';
import { ArtifactStore } from '@seqcast/tensor';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { DataSource, EntityManager, In } from 'typeorm';
import { ARTIFACT_STORE } from '../artifact-store.provider';
import { EventModelsService } from '../events/event-models.service';
import { Seq2SeqModelsService } from '../seq2seq/seq2seq-models.service';
import { ForecastService } from '../series/forecast/forecast.service';
import { ForecastWriter } from '../series/forecast/forecast-writer';
import { ModelCache } from '../series/forecast/model-cache';
import { MODEL_BATCH_FORECAST } from '../series/job-types';
import { checkpointFile } from '../series/train/train-checkpoints';
import { activeJobsNaming, busyWith } from './active-jobs';

/** What deleted model rows leave to clean up once their transaction has committed. */
interface DeletedModels {
  modelIds: string[];
  versionIds: string[];
  artifactRefs: string[];
  scheduleIds: string[];
  /** Batch-forecast files of the models' jobs, relative to DATA_DIR. */
  batchFiles: string[];
}

const NOTHING: DeletedModels = {
  modelIds: [],
  versionIds: [],
  artifactRefs: [],
  scheduleIds: [],
  batchFiles: [],
};

/**
 * Deleting datasets and models. Every row goes in one transaction: the rows themselves
 * first, so a concurrent forecast write (which locks the model row, see ForecastWriter)
 * either lands before and is deleted with the rest, or finds the model gone. Files
 * (dataset files, artifacts, batch-forecast files) are removed only after the commit, so a
 * failed transaction leaves everything as it was; a crash after the commit leaves at worst
 * files nothing lists (the dataset store sweeps those at boot, DatasetsService.sweepOrphans;
 * an artifact folder no version names is never read and can be removed by hand).
 */
@Injectable()
export class DeletionsService {
  private readonly logger = new Logger('deletions');

  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    private readonly forecasts: ForecastService,
    private readonly writer: ForecastWriter,
    private readonly cache: ModelCache,
    private readonly events: EventModelsService,
    private readonly seq2seq: Seq2SeqModelsService,
    private readonly scheduler: SchedulerService,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
  ) {}

  /**
   * Deletes a model of `family` (a series model at /models, an event model at
   * /event-models): its versions, artifacts, calibrators, stored forecasts, batch-forecast
   * files and schedules. 409 while a job for it is queued or running.
   */
  async deleteModel(id: string, family: ModelEntity['family']): Promise<void> {
    // This process's forecasts still waiting to be written go first, so they are deleted too.
    await this.writer.flush();
    const deleted = await transactionRetryingConflicts(this.ds, async (m) => {
      const model = await m.findOneBy(ModelEntity, { id, family });
      if (!model) {
        const what = family === 'events' ? 'event model' : family === 'seq2seq' ? 'seq2seq model' : 'model';
        throw new NotFound(`${what} ${id} not found`, [{ field: 'id', reason: `no such ${what}` }]);
      }
      const busy = await activeJobsNaming(m, [id]);
      if (busy.length) throw busyWith(`model ${id}`, busy);
      return this.deleteModelRows(m, [model]);
    });
    await this.afterModels(deleted);
  }

  /**
   * Deletes a dataset: its versions and their files. The models configured or trained on
   * it are a 409 naming them, unless `force` (then they are deleted as by deleteModel);
   * queued or running jobs that use the dataset or those models are a 409 either way.
   */
  async deleteDataset(id: string, force: boolean): Promise<void> {
    await this.writer.flush();
    const { files, models } = await transactionRetryingConflicts(this.ds, async (m) => {
      if (!(await m.existsBy(DatasetEntity, { id })))
        throw new NotFound(`No dataset ${id}`, [{ field: 'id', reason: 'no such dataset' }]);
      const users = await this.modelsOn(m, id);
      const busy = await activeJobsNaming(m, [id, ...users.map((u) => u.id)]);
      if (busy.length) throw busyWith(`dataset ${id}`, busy);
      if (users.length && !force)
        throw new Conflict(
          `dataset ${id} is used by ${users.length} model(s): ${users.map((u) => `${u.id} (${u.name})`).join(', ')}; delete them first or use ?force=true`,
          users.map((u) => ({
            field: 'models',
            reason: `${u.family === 'events' ? 'event model' : 'model'} ${u.id} (${u.name})`,
          })),
        );
      const models = users.length ? await this.deleteModelRows(m, users) : NOTHING;
      return { files: await this.datasets.deleteRows(m, id), models };
    });
    await this.afterModels(models);
    await this.datasets
      .releaseFiles(files)
      .catch((e) => this.logger.warn(`dataset ${id}: files left for the orphan sweep: ${String(e)}`));
  }

  /** Models configured on the dataset, and any trained on one of its versions. */
  private async modelsOn(m: EntityManager, datasetId: string): Promise<ModelEntity[]> {
    const versionIds = (
      await m.find(DatasetVersionEntity, { where: { datasetId }, select: { id: true } })
    ).map((v) => v.id);
    const trainedOn = versionIds.length
      ? (
          await m.find(ModelVersionEntity, {
            where: { datasetVersionId: In(versionIds) },
            select: { id: true, modelId: true },
          })
        ).map((v) => v.modelId)
      : [];
    return m.find(ModelEntity, {
      where: [{ datasetId }, ...(trainedOn.length ? [{ id: In([...new Set(trainedOn)]) }] : [])],
      order: { createdAt: 'ASC' },
    });
  }

  private async deleteModelRows(m: EntityManager, models: ModelEntity[]): Promise<DeletedModels> {
    const ids = models.map((x) => x.id);
    // The model rows first: that takes the row locks a concurrent forecast write waits on.
    await m.delete(ModelEntity, { id: In(ids) });
    const versions = await m.find(ModelVersionEntity, {
      where: { modelId: In(ids) },
      select: { id: true, artifactRef: true },
    });
    await m.delete(ModelVersionEntity, { modelId: In(ids) });
    const calibrators = await m.find(CalibratorEntity, { where: { modelId: In(ids) }, select: { id: true } });
    const adapters = await m.find(AdapterEntity, { where: { modelId: In(ids) }, select: { id: true } });
    const owners = [...calibrators, ...adapters].map((c) => c.id);
    if (owners.length) {
      await m.delete(OnlineStateEntity, { ownerId: In(owners) });
      await m.delete(OnlineSnapshotEntity, { ownerId: In(owners) });
    }
    await m.delete(CalibratorEntity, { modelId: In(ids) });
    await m.delete(AdapterEntity, { modelId: In(ids) });
    await m.delete(ForecastEntity, { modelId: In(ids) });
    // Schedules and finished batch jobs name their model in JSON columns: few rows, read and filtered here.
    const schedules = (await m.find(ScheduleEntity)).filter((s) => ids.includes(String(s.payload.modelId)));
    if (schedules.length) await m.delete(ScheduleEntity, { id: In(schedules.map((s) => s.id)) });
    const batches = await m.find(JobEntity, { where: { type: MODEL_BATCH_FORECAST, status: 'succeeded' } });
    const batchFiles = batches
      .map((j) => j.result as { modelId?: string; file?: string } | null)
      .filter((r) => r?.file && ids.includes(r.modelId ?? ''))
      .map((r) => r!.file!);
    return {
      modelIds: ids,
      versionIds: versions.map((v) => v.id),
      artifactRefs: versions.map((v) => v.artifactRef),
      scheduleIds: schedules.map((s) => s.id),
      batchFiles,
    };
  }

  /** After the commit: forget the models in memory, stop their schedules, remove their files. */
  private async afterModels(d: DeletedModels): Promise<void> {
    for (const id of d.modelIds) this.forecasts.invalidate(id);
    for (const v of d.versionIds) {
      this.cache.forget(v);
      this.events.forget(v);
      this.seq2seq.forget(v);
    }
    const root = dataPaths(this.config).root;
    const steps = [
      ...d.scheduleIds.map((id) => () => this.scheduler.unschedule(id)),
      ...d.artifactRefs.map((ref) => () => this.artifacts.remove(ref)),
      // an interrupted training's checkpoint
      ...d.modelIds.map(
        (id) => () => fsp.rm(checkpointFile(dataPaths(this.config).artifacts, id), { force: true }),
      ),
      ...d.batchFiles
        .map((f) => path.resolve(root, f))
        .filter((full) => full.startsWith(root + path.sep))
        .map((full) => () => fsp.rm(full, { force: true })),
    ];
    for (const step of steps)
      await step().catch((e) =>
        this.logger.warn(`cleanup after deleting models ${d.modelIds.join(', ')}: ${String(e)}`),
      );
  }
}
