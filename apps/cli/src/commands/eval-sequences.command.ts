import { Command } from 'commander';
import { detachedContext, loadConfig, ValidationFailed } from '@seqcast/core';
import { writeFileSync } from 'fs';
import { ApiClient } from '../api-client';
import { progressBar } from '../progress';
import { followJob } from './jobs.command';

interface SequencesEvalOutput {
  table: string;
}

interface Options {
  server?: boolean;
  out?: string;
  markdown?: string;
  budget?: string;
}

// The evaluation, the models and tfjs load only when an evaluation runs, not at every CLI start.
const evaluation = () => import('@seqcast/eval');

const overrides = (o: Options) => (o.budget ? { budget: o.budget } : {});

/** Runs the config in this process (no server needed). */
async function runHere(file: string, o: Options): Promise<SequencesEvalOutput> {
  const { loadSequenceEvalConfig, runSequenceEvaluation } = await evaluation();
  const config = loadSequenceEvalConfig(file, overrides(o));
  const { configureTensors } = await import('@seqcast/tensor');
  await configureTensors(loadConfig(), { auto: 'cpu' });
  const bar = progressBar('eval sequences');
  const result = await runSequenceEvaluation(config, {
    ...detachedContext(),
    progress: (f, m) => bar.update(f, m ?? ''),
  });
  bar.stop();
  return result;
}

/** Sends the config to the server (POST /evaluations, kind sequences) and follows the job. */
async function runOnServer(api: ApiClient, file: string, o: Options): Promise<SequencesEvalOutput | null> {
  const doc = (await evaluation()).readSequenceEvalFile(file) as Record<string, unknown>;
  const job = await api.request<{ id: string }>('POST', '/evaluations', {
    ...doc,
    ...overrides(o),
    kind: 'sequences',
  });
  const done = await followJob(api, job.id, 'eval sequences');
  if (done.status !== 'succeeded') {
    console.error(`evaluation ${job.id} ${done.status}: ${done.error ?? ''}`);
    return null;
  }
  return done.result as unknown as SequencesEvalOutput;
}

/**
 * `seqcast eval sequences <config>`: the EBES protocol for sequence-level models (HPO,
 * final seeds, grouping, ablations), here or (`--server`) as a job; prints the Markdown table.
 */
export function addEvalSequences(evalCmd: Command, client: () => ApiClient): void {
  evalCmd
    .command('sequences <config>')
    .description(
      'sequence-level models (EBES protocol): datasets x models from a YAML or JSON file; prints the Markdown table',
    )
    .option('--budget <name>', 'full (the protocol: 70 trials, 20 seeds), small or tiny; overrides the file')
    .option('--server', 'run it as a job on the server at --url')
    .option('--out <file>', 'also write every figure (JSON) here')
    .option('--markdown <file>', 'also write the Markdown table here')
    .action(async (file: string, o: Options) => {
      let result: SequencesEvalOutput | null;
      try {
        result = o.server ? await runOnServer(client(), file, o) : await runHere(file, o);
      } catch (e) {
        if (!(e instanceof ValidationFailed)) throw e;
        // every bad field on its own line, as the HTTP answer names them
        console.error(`seqcast: ${e.message}`);
        for (const d of e.details) console.error(`  ${d.field ?? ''}: ${d.reason}`);
        process.exitCode = 2;
        return;
      }
      if (!result) return;
      console.log(result.table);
      if (o.out) writeFileSync(o.out, JSON.stringify(result, null, 2));
      if (o.markdown) writeFileSync(o.markdown, `${result.table}\n`);
    });
}
