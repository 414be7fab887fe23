import { WorkContext } from '@seqcast/core';

/** Runs in a worker thread: an EasyTPP-style evaluation from a config object. */
export async function tppEvaluation(
  input: { config: unknown; backend: string; baseDir: string },
  ctx: WorkContext,
) {
  const { selectBackend } = await import('@seqcast/tensor');
  const { validateTppEvalConfig, runTppEvaluation } = await import('@seqcast/eval');
  const { readEventFile } = await import('@seqcast/data');
  await selectBackend(input.backend as never);
  const result = await runTppEvaluation(
    validateTppEvalConfig(input.config, input.baseDir),
    ctx,
    readEventFile,
  );
  return JSON.parse(
    JSON.stringify({
      table: result.table,
      window: result.window,
      datasets: result.datasets,
      rows: result.rows,
    }),
  );
}
