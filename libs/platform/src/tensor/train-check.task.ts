import { throwIfCancelled, WorkContext } from '@seqcast/core';
import type * as tfTypes from '@tensorflow/tfjs';

export interface TrainCheckInput {
  epochs: number;
  rows: number;
  backend: string;
  seed: number;
}

export interface TrainCheckResult {
  backend: string;
  epochs: number;
  /** Fitted slope and intercept of y = 2x - 1 + noise: a trained model that can be checked. */
  w: number;
  b: number;
  finalLoss: number;
  seconds: number;
}

/**
 * Runs in a worker thread: fits y = 2x - 1 (plus seeded noise) through the shared
 * Trainer on the configured backend. It exercises the whole training path (backend
 * selection in the thread, Trainer, progress, cancellation) with a known answer.
 */
export async function trainCheck(input: TrainCheckInput, ctx: WorkContext): Promise<TrainCheckResult> {
  const tf = await import('@tensorflow/tfjs');
  const { Trainer, selectBackend, Rng } = await import('@seqcast/tensor');
  const info = await selectBackend(input.backend as never);
  const rng = new Rng(input.seed);
  const xs = Float32Array.from({ length: input.rows }, () => rng.next() * 2 - 1);
  const ys = xs.map((x) => 2 * x - 1 + 0.05 * rng.normal());
  const w = tf.variable(tf.scalar(0));
  const b = tf.variable(tf.scalar(0));
  const started = Date.now();
  const history = await new Trainer({ epochs: input.epochs, batchSize: 32, learningRate: 0.05, seed: input.seed }).fit(
    {
      params: [w, b],
      train: {
        size: input.rows,
        batch: (idx) => [tf.tensor1d(idx.map((i) => xs[i])), tf.tensor1d(idx.map((i) => ys[i]))],
      },
      loss: ([x, y]: tfTypes.Tensor[]) => tf.mean(tf.square(tf.sub(tf.add(tf.mul(x, w), b), y))) as tfTypes.Scalar,
    },
    ctx,
  );
  throwIfCancelled(ctx.signal);
  const result = {
    backend: info.name,
    epochs: history.epochs.length,
    w: w.dataSync()[0],
    b: b.dataSync()[0],
    finalLoss: history.epochs[history.epochs.length - 1]?.loss ?? NaN,
    seconds: (Date.now() - started) / 1000,
  };
  tf.dispose([w, b]);
  return result;
}
