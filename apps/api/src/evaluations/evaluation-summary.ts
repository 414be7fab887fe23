import type { JobEntity } from '@seqcast/db';

/** The kinds of evaluation, each the job type `evaluation.<kind>`. */
export const EVALUATION_KINDS = ['backtest', 'tpp', 'sequences', 'generation'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

type Named = { name?: unknown; kind?: unknown };

/** `a, b, c` from items named by `name`, else by `kind`. */
function names(list: unknown): string {
  if (!Array.isArray(list)) return '';
  return list
    .map((m: Named) => (typeof m?.name === 'string' ? m.name : typeof m?.kind === 'string' ? m.kind : '?'))
    .join(', ');
}

/**
 * One line that tells evaluations apart in a list, read from the payload the evaluation was
 * started with (so it is there while it is queued, and after it failed).
 */
export function evaluationSummary(job: Pick<JobEntity, 'type' | 'payload'>): string {
  const p = job.payload as Record<string, unknown>;
  switch (job.type) {
    case 'evaluation.backtest': {
      const iv = p.intervals as { method?: string; alpha?: number } | undefined;
      const intervals = iv ? `, ${iv.method} ${Math.round((1 - (iv.alpha ?? 0.1)) * 100)}% intervals` : '';
      return `${names(p.models)} on ${p.target}: horizon ${p.horizon}, ${p.folds} folds${intervals}`;
    }
    case 'evaluation.generation': {
      const baselines = Array.isArray(p.baselines) ? p.baselines : [];
      const who = [names(p.models), ...baselines].filter(Boolean).join(', ');
      return `${who || 'baselines'} generating ${p.target} (length ${p.length})`;
    }
    default:
      // tpp and sequences: datasets x models
      return `${names(p.models)} on ${names(p.datasets)}`;
  }
}
