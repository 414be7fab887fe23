import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { seq2seqCsvLines } from '@seqcast/data';
import { ApiClient } from '../api-client';
import { startTraining } from './train-job';
import { inputsFromCsv, inputsFromJson, predictionLines } from './seq2seq-inputs';

interface Seq2SeqModelView {
  id: string;
  name: string;
  kind: string;
  status: string;
  datasetId: string;
  config: Record<string, unknown>;
}

interface Prediction {
  ratio: number;
  inputColumns: string[];
  targetColumns: string[];
  predictions: number[][][];
}

/** Writes lines to a file, or to stdout when no file is named. */
async function writeLines(lines: Iterable<string>, out?: string): Promise<void> {
  const stream: NodeJS.WritableStream = out ? fs.createWriteStream(out) : process.stdout;
  for (const line of lines)
    if (!stream.write(`${line}\n`)) await new Promise<void>((r) => stream.once('drain', () => r()));
  if (out) await new Promise<void>((r) => stream.end(() => r()));
}

/**
 * `seqcast seq2seq`: sequence-to-sequence models (HiSS and its flat baselines) on a running
 * server, and the seeded sensor generators written as CSV ready for `seqcast ingest --kind seq2seq`.
 */
export function seq2seqCommand(client: () => ApiClient): Command {
  const cmd = new Command('seq2seq').description(
    'sequence-to-sequence models (HiSS, flat S4D, LSTM, causal Transformer): generate, create, train, predict ($SEQCAST_URL)',
  );
  cmd
    .command('generate <generator>')
    .description(
      'write a seeded benchmark as seq2seq CSV: imu (accelerometer and gyroscope at 100 Hz -> velocity at 10 Hz) or tactile',
    )
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--sequences <n>', 'sequences', '40')
    .option('--output-steps <n>', 'target steps per sequence', '20')
    .option('--seed <n>', 'seed', '0')
    .option(
      '--input-frame <frame>',
      "imu only: 'body' (the accelerometer as read, the default) or 'heading' (rotated by the gyro-integrated heading, RoNIN's frame)",
    )
    .action(
      async (
        generator: string,
        o: { out: string; sequences: string; outputSteps: string; seed: string; inputFrame?: string },
      ) => {
        // loaded here: the generators pull in the evaluation library, which other commands need not load
        const { generateImuDeadReckoning, generateTactileArray } = await import('@seqcast/eval');
        const options = {
          sequences: Number(o.sequences),
          outputSteps: Number(o.outputSteps),
          seed: Number(o.seed),
        };
        const generators = {
          imu: () => generateImuDeadReckoning({ ...options, inputFrame: o.inputFrame as 'body' | undefined }),
          tactile: () => generateTactileArray(options),
        };
        const make = generators[generator as keyof typeof generators];
        if (!make)
          throw new Error(`unknown generator ${generator}: use ${Object.keys(generators).join(' or ')}`);
        if (o.inputFrame !== undefined && generator !== 'imu')
          throw new Error(`--input-frame is an option of the imu generator, not of ${generator}`);
        const set = make();
        await writeLines(
          seq2seqCsvLines({ ...set, inputColumns: set.inputChannels, targetColumns: set.targetChannels }),
          o.out,
        );
        console.log(
          `${o.out}: ${set.inputs.length} sequences, inputs ${set.inputChannels.join(', ')} at ${set.inputRateHz} Hz, targets ${set.targetChannels.join(', ')} at ${set.outputRateHz} Hz (ratio ${set.ratio})`,
        );
        console.log(
          `upload: seqcast ingest ${o.out} --kind seq2seq --sequence-column sequence --time-column step --target-columns ${set.targetChannels.join(',')} --ratio ${set.ratio}`,
        );
      },
    );
  cmd.command('kinds').action(async () => {
    for (const k of await client().request<{ kind: string; description: string }[]>(
      'GET',
      '/seq2seq-models/kinds',
    ))
      console.log(`${k.kind.padEnd(20)} ${k.description}`);
  });
  cmd.command('list').action(async () => {
    const r = await client().request<{ items: Seq2SeqModelView[] }>('GET', '/seq2seq-models');
    for (const m of r.items) console.log(`${m.id}  ${m.status.padEnd(8)}  ${m.kind.padEnd(20)} ${m.name}`);
  });
  cmd
    .command('create')
    .requiredOption('--kind <kind>', 'hiss, flat_s4d, lstm or causal_transformer')
    .requiredOption('--dataset <id>', 'a seq2seq dataset')
    .option('--config <json>', "model configuration (ratio: the dataset's)", '{}')
    .option('--name <name>')
    .action(async (o: { kind: string; dataset: string; config: string; name?: string }) => {
      const m = await client().request<Seq2SeqModelView>('POST', '/seq2seq-models', {
        kind: o.kind,
        datasetId: o.dataset,
        config: JSON.parse(o.config),
        ...(o.name ? { name: o.name } : {}),
      });
      console.log(m.id);
    });
  cmd
    .command('train <id>')
    .option('--seed <n>', 'seed of the split by sequences')
    .option('--wait', 'follow progress until training ends')
    .option(
      '--resume',
      "go on from the checkpoint of the model's interrupted training (cancelled, killed or failed)",
    )
    .option(
      '--checkpoint-steps <n>',
      "steps between checkpoints inside an epoch (default: the server's TRAIN_CHECKPOINT_STEPS)",
    )
    .action(
      async (
        id: string,
        o: { seed?: string; wait?: boolean; resume?: boolean; checkpointSteps?: string },
      ) => {
        const body = {
          ...(o.seed !== undefined ? { seed: Number(o.seed) } : {}),
          ...(o.resume ? { resume: true } : {}),
          ...(o.checkpointSteps !== undefined ? { checkpointSteps: Number(o.checkpointSteps) } : {}),
        };
        const done = await startTraining(client(), `/seq2seq-models/${encodeURIComponent(id)}`, body, {
          wait: o.wait,
          resumeCommand: `seqcast seq2seq train ${id} --resume${o.seed !== undefined ? ` --seed ${o.seed}` : ''}`,
        });
        if (done?.status !== 'succeeded') return;
        const r = done.result as {
          split: Record<string, string[]>;
          test: { mse: number; meanPredictorMse: number; perTarget: Record<string, number> };
          epochs: number;
          seconds: number;
        };
        console.log(
          `sequences: train ${r.split.train.length}, validation ${r.split.validation.length}, test ${r.split.test.length}; ${r.epochs} epochs in ${r.seconds.toFixed(1)} s`,
        );
        console.log(
          `test MSE ${r.test.mse.toPrecision(4)} (mean predictor ${r.test.meanPredictorMse.toPrecision(4)})`,
        );
        for (const [c, v] of Object.entries(r.test.perTarget)) console.log(`  ${c}: ${v.toPrecision(4)}`);
      },
    );
  cmd
    .command('predict <id> <file>')
    .description(
      "outputs at the target rate for input sequences: a CSV in the upload layout (sequence column and the model's input columns; targets ignored) or JSON [sequence][input column][step]",
    )
    .option('--sequence-column <col>', 'CSV: the sequence column', 'sequence')
    .option('--out <file>', 'write the predictions CSV here (default: stdout)')
    .action(async (id: string, file: string, o: { sequenceColumn: string; out?: string }) => {
      const api = client();
      let given;
      if (path.extname(file).toLowerCase() === '.json') given = inputsFromJson(fs.readFileSync(file, 'utf8'));
      else {
        // the model reads its dataset's input columns, in that order
        const model = await api.request<Seq2SeqModelView>('GET', `/seq2seq-models/${encodeURIComponent(id)}`);
        const dataset = await api.request<{ latest: { schema: { inputColumns: string[] } } }>(
          'GET',
          `/datasets/${model.datasetId}`,
        );
        given = await inputsFromCsv(
          fs.createReadStream(file, { encoding: 'utf8' }),
          o.sequenceColumn,
          dataset.latest.schema.inputColumns,
        );
      }
      const p = await api.request<Prediction>('POST', `/seq2seq-models/${encodeURIComponent(id)}/predict`, {
        inputs: given.inputs,
      });
      await writeLines(predictionLines(given.keys, p.predictions, p.targetColumns, p.ratio), o.out);
    });
  return cmd;
}
