import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, dataPaths } from '@seqcast/core';
import { checkPayload, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { ArtifactStore, runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { ARTIFACT_STORE } from '../../artifact-store.provider';
import { NewVersion, trainVersion } from '../../model-versions';
import { ForecastService } from '../forecast/forecast.service';
import { MODEL_UPDATE } from '../job-types';
import { ModelUpdatesService, UpdatePayload, UpdatePlan } from './model-updates.service';
import { updateModel, type UpdateModelInput, type UpdateModelOutput } from './update-model.task';

const TASK = path.join(__dirname, `update-model.task${path.extname(__filename)}`);

export interface UpdateJobResult {
  modelId: string;
  modelVersionId: string;
  version: number;
  /** The version the update started from. */
  basedOnVersion: number;
  datasetVersion: number;
  update: UpdatePlan['update'];
  /** New rows learnt, the series they belong to, and how many of those the model had not seen. */
  rows: number;
  series: number;
  newSeries: number;
  windows: number;
  steps?: number;
  backend: string | null;
  seconds: number;
}

/**
 * Updates a trained model with the rows of a dataset version it has not learnt: its current
 * artifact is loaded with its pipeline, `update` runs (in a worker thread for trained kinds,
 * in process for closed-form and stateless ones), and the result is saved as a new artifact
 * that becomes the model's current version only if the version it started from still is.
 * A failed run leaves the model as it was and removes the artifact it wrote.
 */
@Injectable()
@HandlesJob(MODEL_UPDATE)
export class UpdateModelJobHandler implements JobHandler<UpdatePayload, UpdateJobResult> {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly updates: ModelUpdatesService,
    private readonly forecasts: ForecastService,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
  ) {}

  /** Enqueued by its own route, which first checks the rows this payload points at. */
  readonly access = 'internal';

  validate(p: Record<string, unknown>): UpdatePayload {
    return checkPayload<UpdatePayload>(MODEL_UPDATE, p, {
      modelId: { type: 'uuid', required: true },
      datasetVersionId: { type: 'uuid', required: true },
    });
  }

  async run(p: UpdatePayload, ctx: JobRunContext): Promise<UpdateJobResult> {
    const started = Date.now();
    ctx.progress(0, 'reading data');
    const plan = await this.updates.plan(
      p.modelId,
      { datasetVersionId: p.datasetVersionId },
      { probe: false },
    );
    const { row, result } = await trainVersion(this.ds, plan.model.id, () => this.apply(plan, ctx), {
      basedOn: plan.version.id,
      discard: (v) => this.artifacts.remove(v.artifactRef),
    });
    this.forecasts.invalidate(plan.model.id);
    return {
      modelId: plan.model.id,
      modelVersionId: row.id,
      version: row.version,
      ...result,
      seconds: (Date.now() - started) / 1000,
    };
  }

  private async apply(
    plan: UpdatePlan,
    ctx: JobRunContext,
  ): Promise<{
    version: NewVersion;
    result: Omit<UpdateJobResult, 'modelId' | 'modelVersionId' | 'version' | 'seconds'>;
  }> {
    const inWorker = plan.update === 'gradient';
    const input: UpdateModelInput = {
      backend: inWorker ? this.config.TF_BACKEND : null,
      artifactRoot: dataPaths(this.config).artifacts,
      artifactId: plan.version.artifactRef,
      observations: plan.rows.observations,
      dataSchema: {
        ...plan.dataSchema,
        datasetId: plan.data.datasetId,
        datasetVersion: plan.data.version,
        frequency: plan.data.frequency,
        seen: plan.rows.seen,
      },
    };
    ctx.progress(0.02, `${plan.rows.rows} new rows in ${plan.rows.series} series`);
    const progress = (f: number, m?: string) => ctx.progress(0.02 + 0.96 * f, m);
    const out: UpdateModelOutput = inWorker
      ? await runInWorkerThread<UpdateModelInput, UpdateModelOutput>(TASK, 'updateModel', input, {
          signal: ctx.signal,
          onProgress: progress,
        })
      : await updateModel(input, { signal: ctx.signal, progress });
    const figures = {
      basedOnVersion: plan.version.version,
      datasetVersion: plan.data.version,
      update: plan.update,
      rows: plan.rows.rows,
      series: plan.rows.series,
      newSeries: plan.rows.newSeries,
      windows: out.report.windows,
      ...(out.report.steps !== undefined ? { steps: out.report.steps } : {}),
    };
    return {
      version: {
        artifactRef: out.artifactId,
        datasetVersionId: plan.data.id,
        metrics: { update: { ...figures, seconds: out.report.seconds } },
        backend: out.backend,
      },
      result: { ...figures, backend: out.backend },
    };
  }
}
