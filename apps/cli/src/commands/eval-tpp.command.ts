import { Command } from 'commander';
import { detachedContext } from '@seqcast/core';
import { loadTppEvalConfig, runTppEvaluation } from '@seqcast/events';
import { selectBackend } from '@seqcast/tensor';
import { writeFileSync } from 'fs';
import { progressBar } from '../progress';

/** `seqcast eval tpp <config>`: EasyTPP-style evaluation in this process (no server needed). */
export function evalCommand(): Command {
  const evalCmd = new Command('eval').description('evaluate models from a config file');
  evalCmd
    .command('tpp <config>')
    .description('event models: datasets x models x seeds from a YAML or JSON file; prints a Markdown table')
    .option('--out <file>', 'also write the results (JSON) here')
    .action(async (file: string, o: { out?: string }) => {
      const config = loadTppEvalConfig(file);
      // event models are tested on cpu (and native TensorFlow); wasm lacks kernels they use
      await selectBackend(process.env.TF_BACKEND || 'cpu');
      const bar = progressBar('eval tpp');
      const result = await runTppEvaluation(config, { ...detachedContext(), progress: (f, m) => bar.update(f, m ?? '') });
      bar.stop();
      console.log(result.table);
      if (o.out) writeFileSync(o.out, JSON.stringify({ rows: result.rows, runs: result.runs }, null, 2));
    });
  return evalCmd;
}
