import { WorkContext } from '@seqcast/core';

/** Runs in a worker thread: an EBES-style evaluation of sequence-level models from a config object. */
export async function sequencesEvaluation(
  input: { config: unknown; backend: string; baseDir: string },
  ctx: WorkContext,
) {
  const { selectBackend } = await import('@seqcast/tensor');
  const { validateSequenceEvalConfig, runSequenceEvaluation } = await import('@seqcast/eval');
  await selectBackend(input.backend as never);
  const result = await runSequenceEvaluation(validateSequenceEvalConfig(input.config, input.baseDir), ctx);
  return JSON.parse(JSON.stringify(result));
}
