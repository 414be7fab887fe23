/**
 * `npm run bench:spacetime-recipe -- --horizon 720 --dir var/spacetime-recipe [--hours 2]`:
 * SpaceTime trained by the paper's recipe (README of HazyResearch/spacetime, ETTh1, applied
 * here to ETTh2 OT as in docs/benchmarks.md): lookback 336, batch 50, the paper's widths
 * (D 128, d 64, 32 + 32 kernels, one encoder block), dropout 0.25, AdamW lr 1e-3 weight decay
 * 1e-4, cosine schedule with 10 warm-up epochs, up to 500 epochs, early stopping on the
 * validation MSE with patience 20 (best weights restored).
 *
 * Long runs go in pieces: the Trainer checkpoints every 50 steps and at every epoch into
 * `--dir` (checkpoint-h<H>.bin), and the same command resumes from there, so a run can be
 * stopped (Ctrl-C, `--hours`, a reboot) and continued any number of times. Each epoch
 * appends a line to curve-h<H>.jsonl (training loss, validation MSE, seconds, load); when the
 * run ends (early stopping or the last epoch) the test MSE / MAE over every test window go to
 * result-h<H>.json beside the closed-form baselines of bench:forecast.
 *
 *   --epochs N   cap on epochs (default 500, the recipe's)
 *   --hours X    stop (checkpointed) after X hours of this invocation
 */
import { detachedContext, loadKernelSettings } from '@seqcast/core';
import { ettSplits } from '@seqcast/eval';
import { forecasterRegistry } from '@seqcast/forecast';
import { configureKernels, readCheckpointFile, selectBackend, writeCheckpointFile } from '@seqcast/tensor';
import { appendFileSync, mkdirSync, writeFileSync } from 'fs';
import { loadavg } from 'os';
import { join } from 'path';
import { ettTestErrors } from './ett-test-errors';

const LOOKBACK = 336;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 || process.argv[i + 1] === undefined ? fallback : process.argv[i + 1];
}

async function main(): Promise<void> {
  configureKernels(loadKernelSettings());
  const backend = await selectBackend('cpu');
  const horizon = Number(flag('horizon', '720'));
  const dir = flag('dir', 'var/spacetime-recipe');
  const hours = Number(flag('hours', '0'));
  mkdirSync(dir, { recursive: true });
  const checkpointFile = join(dir, `checkpoint-h${horizon}.bin`);
  const curveFile = join(dir, `curve-h${horizon}.jsonl`);
  const config = {
    lookback: LOOKBACK,
    horizon,
    modelDim: 128,
    kernelDim: 64,
    encoderKernels: 32,
    decoderKernels: 32,
    encoderBlocks: 1,
    dropout: 0.25,
    batchSize: 50,
    learningRate: 1e-3,
    weightDecay: 1e-4,
    warmupEpochs: 10,
    epochs: Number(flag('epochs', '500')),
    patience: 20,
    normalisation: 'mean',
  };
  const data = ettSplits(undefined, 'OT', LOOKBACK);
  const model = forecasterRegistry.create('spacetime', config);
  const previous = await readCheckpointFile(checkpointFile);
  console.log(
    `backend ${backend.details}; SpaceTime h${horizon} ${JSON.stringify(config)}; ` +
      (previous
        ? `resuming at epoch ${previous.position.epoch}, step ${previous.position.step}/${previous.position.steps}`
        : 'starting'),
  );
  const abort = new AbortController();
  if (hours > 0)
    setTimeout(() => abort.abort('time budget of this invocation spent'), hours * 3600e3).unref();
  process.once('SIGINT', () => abort.abort('interrupted'));
  const t0 = Date.now();
  let epochStart = Date.now();
  try {
    await model.fit([[data.train]], [[data.valid]], {
      ...detachedContext(),
      signal: abort.signal,
      checkpoints: {
        everySteps: 50,
        load: () => readCheckpointFile(checkpointFile),
        save: (c) => writeCheckpointFile(checkpointFile, c),
      },
      onEvent: (e) => {
        if (e.type === 'epoch') {
          const seconds = (Date.now() - epochStart) / 1000;
          epochStart = Date.now();
          const line = {
            epoch: e.epoch,
            loss: e.loss,
            valMse: e.valMetric,
            learningRate: e.learningRate,
            seconds, // wall, validation included (the first after a resume: from the resume)
            load: loadavg()[0],
            at: new Date().toISOString(),
          };
          appendFileSync(curveFile, JSON.stringify(line) + '\n');
          console.log(
            `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} val MSE ${e.valMetric?.toFixed(4)} ${seconds.toFixed(0)} s (load ${line.load.toFixed(2)})`,
          );
        }
      },
    });
  } catch (err) {
    if (abort.signal.aborted) {
      console.log(
        `stopped after ${((Date.now() - t0) / 3600e3).toFixed(2)} h (${abort.signal.reason}); rerun to resume`,
      );
      return;
    }
    throw err;
  }
  const errors = ettTestErrors(model, data.test, LOOKBACK, horizon);
  const result = {
    horizon,
    ...errors,
    config,
    finishedAt: new Date().toISOString(),
    backend: backend.details,
  };
  writeFileSync(join(dir, `result-h${horizon}.json`), JSON.stringify(result, null, 2));
  console.log(`h${horizon} test MSE ${errors.mse.toFixed(4)} MAE ${errors.mae.toFixed(4)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
