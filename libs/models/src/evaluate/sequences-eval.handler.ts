import { Injectable } from '@nestjs/common';
import { AppConfig, ErrorDetail, sharedDataDir, ValidationFailed } from '@seqcast/core';
import { declareJobType, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { inShared } from './tpp-eval-sources';

export const EVALUATION_SEQUENCES = declareJobType(
  'evaluation.sequences',
  'EBES-style evaluation of sequence-level models: payload is the evaluation config (datasets x models, HPO, final seeds, ablations); the result holds the Markdown table and every figure as JSON.',
);

const TASK = path.join(__dirname, `sequences-eval.task${path.extname(__filename)}`);

@Injectable()
@HandlesJob(EVALUATION_SEQUENCES)
export class SequencesEvaluationJobHandler implements JobHandler<Record<string, unknown>> {
  constructor(private readonly config: AppConfig) {}

  /** POST /jobs takes the same body as POST /evaluations {kind: sequences}, checked the same way. */
  readonly access = 'public';

  /**
   * The form of the config, then its files: a UEA source must name `.ts` files in the shared
   * data folder (the server reads nothing else on a client's word), and they must hold class
   * labels (a dataset without a target is refused before the job is queued).
   */
  async validate(payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { validateSequenceEvalConfig, resolveDataPath, readUeaCases } = await import('@seqcast/eval');
    const { kind: _kind, ...config } = payload;
    const baseDir = process.cwd();
    const checked = validateSequenceEvalConfig(config, baseDir);
    const shared = sharedDataDir();
    const details: ErrorDetail[] = [];
    checked.datasets.forEach((d, i) => {
      if (d.source.kind !== 'uea') return;
      for (const key of ['train', 'test'] as const) {
        const field = `datasets[${i}].source.${key}`;
        const file = resolveDataPath(d.source[key], baseDir);
        if (!inShared(file, shared)) {
          details.push({ field, reason: 'must lie in the shared data folder (${SHARED_DATA}/...)' });
          continue;
        }
        try {
          readUeaCases(file);
        } catch (e) {
          if (e instanceof ValidationFailed)
            details.push(...e.details.map((x) => ({ field, reason: `${x.field}: ${x.reason}` })));
          else details.push({ field, reason: 'cannot be read' });
        }
      }
    });
    if (details.length) throw new ValidationFailed('Invalid sequence evaluation config', details);
    return config;
  }

  async run(payload: Record<string, unknown>, ctx: JobRunContext) {
    ctx.progress(0, 'loading datasets');
    return runInWorkerThread(
      TASK,
      'sequencesEvaluation',
      { config: payload, backend: this.config.TF_BACKEND, baseDir: process.cwd() },
      { signal: ctx.signal, onProgress: ctx.progress },
    );
  }
}
