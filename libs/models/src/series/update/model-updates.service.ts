import { Inject, Injectable } from '@nestjs/common';
import { Conflict, NotFound, Unprocessable, ValidationFailed } from '@seqcast/core';
import { DATASET_STORE, DatasetsService, DatasetStore, VersionView } from '@seqcast/data';
import { DatasetVersionEntity, JobEntity, ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { ForecasterCapabilities, forecasterRegistry, loadScaledForecaster } from '@seqcast/forecast';
import { JOB_QUEUE, JobQueue } from '@seqcast/jobs';
import { ArtifactStore } from '@seqcast/tensor';
import { DataSource, Repository } from 'typeorm';
import { ARTIFACT_STORE } from '../../artifact-store.provider';
import { loadChannelSeries, modelTargets } from '../../series-data';
import { MODEL_UPDATE } from '../job-types';
import { DEFAULT_SPLIT } from '../train/train-model.handler';
import { NewRows, rowsAfter, SeenRows, seenAfterTraining, seenOf } from './update-rows';

/** Which dataset version an update learns from (at most one field; none: the newest). */
export interface UpdateSource {
  /** The version's number within the model's dataset. */
  datasetVersion?: number;
  /** The version's id (a version of another dataset is refused). */
  datasetVersionId?: string;
}

export interface UpdatePayload {
  modelId: string;
  datasetVersionId: string;
}

/** Everything an update needs, checked: the model, its current version, the data and the new rows. */
export interface UpdatePlan {
  model: ModelEntity;
  /** The version the update starts from (the model's current one). */
  version: ModelVersionEntity;
  update: ForecasterCapabilities['update'];
  data: VersionView;
  targets: string[];
  /** The current artifact's data schema (the new one extends it). */
  dataSchema: Record<string, unknown>;
  /** What the current version has learnt, and what the update adds. */
  seen: SeenRows;
  rows: NewRows;
}

/**
 * Incremental fitting of trained series models (`Forecaster.update`) from the rows of a
 * newer version of their dataset. The checks run when the update is asked for (so errors
 * are 4xx answers) and again in the job (the model may have changed in between).
 */
@Injectable()
export class ModelUpdatesService {
  private readonly models: Repository<ModelEntity>;
  private readonly versions: Repository<ModelVersionEntity>;
  private readonly dataVersions: Repository<DatasetVersionEntity>;

  constructor(
    ds: DataSource,
    private readonly datasets: DatasetsService,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {
    this.models = ds.getRepository(ModelEntity);
    this.versions = ds.getRepository(ModelVersionEntity);
    this.dataVersions = ds.getRepository(DatasetVersionEntity);
  }

  /** Checks the update (see `plan`) and enqueues it as a `model.update` job. */
  async update(modelId: string, source: UpdateSource = {}): Promise<JobEntity> {
    const plan = await this.plan(modelId, source, { probe: true });
    const payload: UpdatePayload = { modelId, datasetVersionId: plan.data.id };
    return this.queue.enqueue(MODEL_UPDATE, payload as unknown as Record<string, unknown>);
  }

  /**
   * In order: the model exists (404); its kind can update (422 for update 'none'); it is
   * trained (409), and not with dt from uneven stamps (422: updates read rows as steps); the
   * dataset version exists (404) and is of the model's dataset (422); with `probe`, its
   * artifact holds what an update needs (422 for one written before updates existed: the
   * forecaster says so); and the version has rows the model has not learnt (409).
   */
  async plan(modelId: string, source: UpdateSource, opts: { probe: boolean }): Promise<UpdatePlan> {
    const model = await this.models.findOneBy({ id: modelId, family: 'series' });
    if (!model)
      throw new NotFound(`model ${modelId} not found`, [
        { field: 'id', reason: 'no such forecasting model' },
      ]);
    const update = this.updateKind(model);
    if (update === 'none')
      throw new Unprocessable(`a ${model.kind} model cannot be updated: train it again on the newer data`, [
        { field: 'kind', reason: `${model.kind} has no update (capabilities.update is 'none')` },
      ]);
    if (!model.latestVersionId)
      throw new Conflict(`model ${modelId} is not trained yet: POST /models/${modelId}/train first`, [
        { field: 'status', reason: model.status },
      ]);
    const version = await this.versions.findOneByOrFail({ id: model.latestVersionId });
    if ((version.metrics as { timing?: { dt?: boolean } } | null)?.timing?.dt)
      throw new Unprocessable(
        `model ${modelId} was trained with each step's gap (unevenly spaced rows); an update reads rows as equally spaced steps: train it again on the newer data`,
        [
          {
            field: 'model',
            reason: 'trained with dt from the stamps (timing.dt); updates do not read stamps',
          },
        ],
      );
    const data = await this.dataVersion(model, source);
    const targets = modelTargets(model);
    const manifest = opts.probe
      ? await this.probe(version.artifactRef, update, targets.length)
      : await this.artifacts.manifest(version.artifactRef);
    const dataSchema = (manifest.dataSchema ?? {}) as Record<string, unknown>;
    const seen = seenOf(dataSchema) ?? (await this.seenInTraining(model, version, targets));
    const rows = rowsAfter(seen, await loadChannelSeries(this.store, data, targets), targets.length);
    if (rows.rows === 0) {
      throw new Conflict(
        `model ${modelId} has already learnt every row of dataset ${data.datasetId} version ${data.version}: nothing to update with`,
        [
          {
            field: source.datasetVersionId !== undefined ? 'datasetVersionId' : 'datasetVersion',
            reason: `no rows after those model version ${version.version} learnt; append observations to the dataset first`,
          },
        ],
      );
    }
    return { model, version, update, data, targets, dataSchema, seen, rows };
  }

  /** The instance's `capabilities.update` (kit capabilities say only whether a kind is updatable). */
  private updateKind(model: ModelEntity): ForecasterCapabilities['update'] {
    const probe = forecasterRegistry.create(model.kind, model.config);
    try {
      return probe.capabilities.update;
    } finally {
      probe.dispose();
    }
  }

  private async dataVersion(model: ModelEntity, source: UpdateSource): Promise<VersionView> {
    if (source.datasetVersion !== undefined && source.datasetVersionId !== undefined)
      throw new ValidationFailed('give datasetVersion or datasetVersionId, not both', [
        { field: 'datasetVersionId', reason: 'only one of datasetVersion, datasetVersionId' },
      ]);
    if (source.datasetVersionId === undefined) {
      try {
        return await this.datasets.version(model.datasetId!, source.datasetVersion);
      } catch (e) {
        if (!(e instanceof NotFound)) throw e;
        throw new NotFound(
          `dataset ${model.datasetId} has no version ${source.datasetVersion ?? ''}`.trim(),
          [{ field: 'datasetVersion', reason: "no such version of the model's dataset" }],
        );
      }
    }
    const row = await this.dataVersions.findOneBy({ id: source.datasetVersionId });
    if (!row)
      throw new NotFound(`dataset version ${source.datasetVersionId} not found`, [
        { field: 'datasetVersionId', reason: 'no such dataset version' },
      ]);
    if (row.datasetId !== model.datasetId)
      throw new Unprocessable(
        `dataset version ${row.id} belongs to dataset ${row.datasetId}; model ${model.id} learns from dataset ${model.datasetId}`,
        [{ field: 'datasetVersionId', reason: `not a version of dataset ${model.datasetId}` }],
      );
    return this.datasets.version(row.datasetId, row.version);
  }

  /**
   * Loads the artifact on its own (not the served copy) and, for an exact kind, asks it for
   * an update with no rows: a model whose artifact predates updates refuses (Unprocessable).
   */
  private async probe(artifactRef: string, update: ForecasterCapabilities['update'], channels: number) {
    if (update !== 'exact') return this.artifacts.manifest(artifactRef);
    const { manifest, model } = await loadScaledForecaster(this.artifacts, artifactRef, forecasterRegistry);
    try {
      await model.model.update([Array.from({ length: channels }, () => new Float32Array(0))]);
    } finally {
      model.dispose();
    }
    return manifest;
  }

  /**
   * A version made by the train job learnt the train split of the dataset version it was trained
   * on, or every row of it when it was refitted on all of them (fitOn 'all').
   */
  private async seenInTraining(
    model: ModelEntity,
    version: ModelVersionEntity,
    targets: string[],
  ): Promise<SeenRows> {
    const row = version.datasetVersionId
      ? await this.dataVersions.findOneBy({ id: version.datasetVersionId })
      : null;
    if (!row)
      throw new Unprocessable(
        `model ${model.id} version ${version.version} does not say which dataset version it learnt; train it again`,
        [{ field: 'model', reason: 'no dataset version recorded' }],
      );
    const trained = await this.datasets.version(row.datasetId, row.version);
    const series = await loadChannelSeries(this.store, trained, targets);
    return seenAfterTraining(series, model.lookback!, model.horizon!, version.fitOn === 'all' ? null : DEFAULT_SPLIT);
  }
}
