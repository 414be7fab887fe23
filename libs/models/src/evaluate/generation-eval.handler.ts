import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, ValidationFailed } from '@seqcast/core';
import { DATASET_STORE, DatasetsService, DatasetStore } from '@seqcast/data';
import { declareJobType, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { checkSeriesTarget, loadTargetSeries } from '../series-data';
import type { generationEvaluation, GenerationTaskInput } from './generation-eval.task';

export const EVALUATION_GENERATION = declareJobType(
  'evaluation.generation',
  "LS4's generation protocol on a stored dataset column: generative models and classical generators fitted to the last `length` values of every series, scored by the marginal, classification and prediction metrics; the result holds the Markdown table and every row.",
);

const TASK = path.join(__dirname, `generation-eval.task${path.extname(__filename)}`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The job's payload: the protocol's config plus the data it runs on, pinned to a version. */
export interface GenerationPayload extends Record<string, unknown> {
  datasetId: string;
  version: number;
  target: string;
}

@Injectable()
@HandlesJob(EVALUATION_GENERATION)
export class GenerationEvaluationJobHandler implements JobHandler<GenerationPayload> {
  constructor(
    private readonly config: AppConfig,
    private readonly datasets: DatasetsService,
    @Inject(DATASET_STORE) private readonly store: DatasetStore,
  ) {}

  /** POST /jobs takes the same body as POST /evaluations {kind: generation}, checked the same way. */
  readonly access = 'public';

  /** The protocol's form (every field named), then the dataset and its column; pins the version read. */
  async validate(raw: Record<string, unknown>): Promise<GenerationPayload> {
    const { validateGenerationEvalConfig } = await import('@seqcast/eval');
    const { kind: _kind, datasetId, version, target, ...protocol } = raw;
    const bad: Array<{ field: string; reason: string }> = [];
    if (typeof datasetId !== 'string' || !UUID.test(datasetId))
      bad.push({ field: 'datasetId', reason: 'a dataset id (uuid)' });
    if (typeof target !== 'string' || !target)
      bad.push({ field: 'target', reason: 'the value column to generate' });
    if (version !== undefined && !(Number.isInteger(version) && (version as number) >= 1))
      bad.push({ field: 'version', reason: 'a version number >= 1 (default: the newest)' });
    // every problem in one answer: the data fields' and the protocol's
    let config: ReturnType<typeof validateGenerationEvalConfig> | undefined;
    try {
      config = validateGenerationEvalConfig(protocol);
    } catch (e) {
      if (!(e instanceof ValidationFailed)) throw e;
      bad.push(...e.details.map((d) => ({ field: d.field ?? '', reason: d.reason })));
    }
    if (bad.length || !config) throw new ValidationFailed('Invalid generation evaluation', bad);
    const v = await this.datasets.version(datasetId as string, version as number | undefined);
    checkSeriesTarget(v, target as string);
    return { ...config, datasetId: datasetId as string, version: v.version, target: target as string };
  }

  async run(p: GenerationPayload, ctx: JobRunContext) {
    ctx.progress(0, 'reading data');
    const version = await this.datasets.version(p.datasetId, p.version);
    const series = await loadTargetSeries(this.store, version, p.target);
    const { datasetId: _d, version: _v, target: _t, ...config } = p;
    const input: GenerationTaskInput = {
      backend: this.config.TF_BACKEND,
      config,
      series: series.map((s) => s.values),
    };
    const result = await runInWorkerThread<
      GenerationTaskInput,
      Awaited<ReturnType<typeof generationEvaluation>>
    >(TASK, 'generationEvaluation', input, {
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    return { ...result, datasetId: p.datasetId, datasetVersion: p.version, target: p.target };
  }
}
