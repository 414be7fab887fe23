import { Command } from 'commander';
import { detachedContext, loadConfig } from '@seqcast/core';
import { writeFileSync } from 'fs';
import { ApiClient } from '../api-client';
import { progressBar } from '../progress';
import { addEvalSequences } from './eval-sequences.command';
import { followJob } from './jobs.command';

interface TppEvalOutput {
  table: string;
  rows: unknown[];
  runs?: unknown[];
}

// The evaluation, the event models and tfjs load only when an evaluation runs, not at every CLI start.
const evaluation = () => import('@seqcast/eval');

/** Runs the config in this process (no server needed). */
async function runHere(file: string): Promise<TppEvalOutput> {
  const { loadTppEvalConfig, runTppEvaluation } = await evaluation();
  const { readEventFile } = await import('@seqcast/data');
  const config = loadTppEvalConfig(file);
  const { configureTensors } = await import('@seqcast/tensor');
  const { EVENT_MODELS_AUTO_BACKEND } = await import('@seqcast/events');
  // the backend the server's event jobs choose for TF_BACKEND=auto (libs/events, backend-choice.ts)
  await configureTensors(loadConfig(), { auto: EVENT_MODELS_AUTO_BACKEND });
  const bar = progressBar('eval tpp');
  const result = await runTppEvaluation(
    config,
    { ...detachedContext(), progress: (f, m) => bar.update(f, m ?? '') },
    readEventFile,
  );
  bar.stop();
  return result;
}

/** Sends the config to the server as a job (stored datasets can be read there) and follows it. */
async function runOnServer(api: ApiClient, file: string): Promise<TppEvalOutput | null> {
  const job = await api.request<{ id: string }>(
    'POST',
    '/evaluations/tpp',
    (await evaluation()).readTppEvalFile(file),
  );
  const done = await followJob(api, job.id, 'eval tpp');
  if (done.status !== 'succeeded') {
    console.error(`evaluation ${job.id} ${done.status}: ${done.error ?? ''}`);
    return null;
  }
  return done.result as unknown as TppEvalOutput;
}

/** `seqcast eval tpp <config>`: EasyTPP-style evaluation, here or (`--server`) as a job on the server. */
export function evalCommand(client: () => ApiClient): Command {
  const evalCmd = new Command('eval').description('evaluate models from a config file');
  evalCmd
    .command('tpp <config>')
    .description('event models: datasets x models x seeds from a YAML or JSON file; prints a Markdown table')
    .option(
      '--server',
      'run it as a job on the server at --url (needed for stored datasets: {kind: dataset, datasetId})',
    )
    .option('--out <file>', 'also write the results (JSON) here')
    .action(async (file: string, o: { server?: boolean; out?: string }) => {
      const result = o.server ? await runOnServer(client(), file) : await runHere(file);
      if (!result) return;
      console.log(result.table);
      if (o.out) writeFileSync(o.out, JSON.stringify({ rows: result.rows, runs: result.runs }, null, 2));
    });
  addEvalSequences(evalCmd, client);
  return evalCmd;
}
