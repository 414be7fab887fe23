import { WorkContext } from '@seqcast/core';

export interface GenerationTaskInput {
  backend: string;
  /** the protocol's config, already checked by the handler */
  config: Record<string, unknown>;
  series: Float32Array[];
}

/** Runs in a worker thread: LS4's generation protocol on the series of one dataset column. */
export async function generationEvaluation(input: GenerationTaskInput, ctx: WorkContext) {
  const { selectBackend } = await import('@seqcast/tensor');
  const { validateGenerationEvalConfig, runGenerationEvaluation } = await import('@seqcast/eval');
  await selectBackend(input.backend as never);
  const r = await runGenerationEvaluation(validateGenerationEvalConfig(input.config), input.series, ctx);
  return { table: r.table, sequences: r.sequences, length: r.length, rows: r.rows };
}
