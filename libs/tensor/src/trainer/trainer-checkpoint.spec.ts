import { Cancelled, detachedContext, ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../backend/select-backend';
import type { TrainerCheckpoint, TrainerCheckpoints } from './checkpoint';
import { readCheckpointFile, readCheckpointHeader, writeCheckpointFile } from './checkpoint-file';
import { Trainer } from './trainer';
import type { FitSpec, TrainerOptions } from './types';

/** 90 rows of y = x . (1, -2, 0.5) + 0.3 + noise: 90 rows in batches of 8 leave a short last batch. */
function data() {
  const rng = new Rng(21);
  const X = Array.from({ length: 90 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const y = X.map((r) => [r[0] - 2 * r[1] + 0.5 * r[2] + 0.3 + 0.2 * rng.normal()]);
  return {
    size: X.length,
    batch: (rows: number[]) => ({ x: tf.tensor2d(rows.map((i) => X[i])), y: tf.tensor2d(rows.map((i) => y[i])) }),
  };
}

type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };

/**
 * A two-layer model whose loss draws dropout masks from its own Rng (as SpaceTime's does),
 * kept by FitSpec.state. `init` varies the starting weights, so a resumed model built with
 * another init proves the weights come from the checkpoint.
 */
function model(init: number, crashAfterSteps = Infinity, metrics?: number[]) {
  const rng = new Rng(init);
  const w1 = tf.variable(tf.tensor2d(Array.from({ length: 12 }, () => 0.5 * rng.normal()), [3, 4]));
  const w2 = tf.variable(tf.tensor2d(Array.from({ length: 4 }, () => 0.5 * rng.normal()), [4, 1]));
  const dropout = new Rng(99);
  let calls = 0;
  let validations = 0;
  const valid = data().batch([0, 1, 2, 3, 4, 5, 6, 7]);
  const spec: FitSpec<Batch> = {
    params: [w1, w2],
    train: data(),
    loss: (b, training) => {
      if (training && ++calls > crashAfterSteps) throw new Error('worker killed');
      const h = tf.tanh(tf.matMul(b.x, w1));
      const dropped = training ? tf.dropout(h, 0.25, undefined, dropout.fork()) : h;
      return tf.mean(tf.square(tf.sub(tf.matMul(dropped, w2), b.y))) as tf.Scalar;
    },
    // the loss on the first rows without dropout: early stopping keeps best weights and a counter
    validate: () => (metrics ? metrics[validations++] : tf.tidy(() => spec.loss(valid, false).dataSync()[0])),
    state: {
      save: () => ({ dropout: dropout.state32, validations }),
      restore: (s) => {
        const saved = s as { dropout: number; validations: number };
        dropout.restore(saved.dropout);
        validations = saved.validations;
      },
    },
  };
  return {
    spec,
    weights: () => [w1, w2].map((w) => Array.from(w.dataSync())),
    dispose: () => tf.dispose([w1, w2, valid.x, valid.y]),
  };
}

const OPTIONS: TrainerOptions = {
  epochs: 6,
  batchSize: 8,
  learningRate: 0.05,
  weightDecay: 0.01,
  clipNorm: 1,
  emaDecay: 0.9,
  schedule: { kind: 'plateau', patience: 0, factor: 0.5 },
  earlyStopping: { patience: 3, minDelta: 0 },
  seed: 5,
};

/** Checkpoints kept in memory; `saved` lists every one written. */
function memory(everySteps: number, start: TrainerCheckpoint | null = null) {
  const saved: TrainerCheckpoint[] = [];
  const port: TrainerCheckpoints = {
    everySteps,
    load: async () => start,
    save: async (c) => void saved.push(c),
  };
  return { port, saved };
}

function maxDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((row, i) => row.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i][j])))));
  return d;
}

async function uninterrupted(options = OPTIONS) {
  const m = model(1);
  const history = await new Trainer(options).fit(m.spec, detachedContext());
  const weights = m.weights();
  m.dispose();
  // the best epoch comes after every interruption below, so the end weights depend on the resumed steps
  expect(history.bestEpoch).toBeGreaterThan(3);
  return { weights, history };
}

describe('Trainer checkpoints', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('resumes a run cancelled mid-epoch and ends with the weights of the uninterrupted run', async () => {
    const reference = await uninterrupted();
    // 12 steps per epoch: cancel after 17 steps, i.e. 5 steps into epoch 2
    const first = model(1);
    const controller = new AbortController();
    const { port, saved } = memory(0);
    await expect(
      new Trainer({
        ...OPTIONS,
        onEvent: () => undefined,
        stepEventIntervalMs: 0,
      }).fit(first.spec, {
        ...detachedContext(),
        signal: controller.signal,
        checkpoints: port,
        progress: (_, message) => {
          if (message?.startsWith('epoch 2/6 step 5/')) controller.abort('cancelled');
        },
      }),
    ).rejects.toBeInstanceOf(Cancelled);
    first.dispose();
    const last = saved[saved.length - 1];
    expect(last.position).toMatchObject({ epoch: 2, step: 5, steps: 12, globalStep: 17, finished: false });

    const second = model(2);
    const progress: string[] = [];
    const history = await new Trainer(OPTIONS).fit(second.spec, {
      ...detachedContext(),
      checkpoints: memory(0, last).port,
      progress: (_, message) => void progress.push(message ?? ''),
    });
    expect(maxDiff(second.weights(), reference.weights)).toBeLessThan(1e-6);
    second.dispose();
    expect(history.resumedFrom?.message).toBe('resumed at epoch 2 of 6, step 5 of 12');
    expect(progress[0]).toMatch(/^resumed at epoch 2 of 6, step 5 of 12/);
    expect(progress[progress.length - 1]).toMatch(/^epoch \d\/6 .* \(resumed at epoch 2 of 6, step 5 of 12\)$/);
    // the whole run's record: epoch losses, early stopping and the step count agree
    expect(history.epochs.map((e) => e.loss)).toEqual(reference.history.epochs.map((e) => e.loss));
    expect(history.stoppedEarly).toBe(reference.history.stoppedEarly);
    expect(history.bestEpoch).toBe(reference.history.bestEpoch);
    expect(history.steps).toBe(reference.history.steps);
  });

  it('resumes a crashed run from its last periodic checkpoint, through a file', async () => {
    const reference = await uninterrupted();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ckpt-'));
    const file = path.join(dir, 'run.ckpt');
    const toFile = (everySteps: number): TrainerCheckpoints => ({
      everySteps,
      load: () => readCheckpointFile(file),
      save: (c) => writeCheckpointFile(file, { ...c, meta: { run: 'a' } }),
    });
    try {
      // killed in the 31st step (epoch 3, step 7): the newest checkpoint is the one after step 28
      const first = model(1, 30);
      await expect(new Trainer(OPTIONS).fit(first.spec, { ...detachedContext(), checkpoints: toFile(4) })).rejects.toThrow(
        'worker killed',
      );
      first.dispose();
      const header = await readCheckpointHeader(file);
      expect(header?.position).toMatchObject({ epoch: 3, step: 4, globalStep: 28 });
      expect(header?.meta).toEqual({ run: 'a' });
      expect((await fs.readdir(dir)).sort()).toEqual(['run.ckpt']);

      const second = model(3);
      const history = await new Trainer(OPTIONS).fit(second.spec, { ...detachedContext(), checkpoints: toFile(4) });
      expect(maxDiff(second.weights(), reference.weights)).toBeLessThan(1e-6);
      second.dispose();
      expect(history.resumedFrom).toMatchObject({ epoch: 3, step: 4, steps: 12 });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('resumes from an epoch-end checkpoint, and from one written after the run ended', async () => {
    const reference = await uninterrupted();
    const { port, saved } = memory(0);
    const full = model(1);
    await new Trainer(OPTIONS).fit(full.spec, { ...detachedContext(), checkpoints: port });
    full.dispose();
    // one checkpoint per epoch end, none inside epochs (everySteps 0)
    expect(saved.map((c) => c.position.step)).toEqual(saved.map(() => 0));
    const atEpoch3 = saved.find((c) => c.position.epoch === 3)!;
    for (const start of [atEpoch3, saved[saved.length - 1]]) {
      const m = model(4);
      await new Trainer(OPTIONS).fit(m.spec, { ...detachedContext(), checkpoints: memory(0, start).port });
      expect(maxDiff(m.weights(), reference.weights)).toBeLessThan(1e-6);
      m.dispose();
    }
    expect(saved[saved.length - 1].position.finished).toBe(true);
  });

  it("keeps early stopping's best weights and counter: resumed after the best epoch, it stops where the uninterrupted run stops", async () => {
    // best at epoch 3, then worse: patience 2 stops after epoch 5 and puts epoch 3's (EMA) weights back
    const metrics = [5, 4, 1, 2, 3, 4, 5, 6];
    const options = { ...OPTIONS, epochs: 8, earlyStopping: { patience: 2 } };
    const ref = model(1, Infinity, metrics);
    const reference = await new Trainer(options).fit(ref.spec, detachedContext());
    const expected = ref.weights();
    ref.dispose();
    expect([reference.bestEpoch, reference.epochs.length, reference.stoppedEarly]).toEqual([3, 5, true]);

    const { port, saved } = memory(5);
    const full = model(1, Infinity, metrics);
    await new Trainer(options).fit(full.spec, { ...detachedContext(), checkpoints: port });
    full.dispose();
    // inside epoch 5: the best (epoch 3) is behind it and epoch 4 set the counter to 1
    const inEpoch5 = saved.find((c) => c.position.epoch === 5 && c.position.step > 0)!;
    expect(inEpoch5.state).toMatchObject({ best: { metric: 1, epoch: 3 }, sinceBest: 1 });

    const resumed = model(6, Infinity, metrics);
    const history = await new Trainer(options).fit(resumed.spec, { ...detachedContext(), checkpoints: memory(0, inEpoch5).port });
    expect([history.bestEpoch, history.epochs.length, history.stoppedEarly]).toEqual([3, 5, true]);
    expect(maxDiff(resumed.weights(), expected)).toBeLessThan(1e-6);
    resumed.dispose();
  });

  it('refuses a checkpoint of another model or another epoch plan', async () => {
    const { port, saved } = memory(0);
    const m = model(1);
    await new Trainer({ ...OPTIONS, epochs: 1 }).fit(m.spec, { ...detachedContext(), checkpoints: port });
    m.dispose();
    const other = model(1);
    const err = await new Trainer({ ...OPTIONS, epochs: 2 })
      .fit(other.spec, { ...detachedContext(), checkpoints: memory(0, saved[0]).port })
      .catch((e: unknown) => e);
    other.dispose();
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as ValidationFailed).details).toEqual([
      { field: 'checkpoint', reason: 'it plans 1 epochs, this run 2' },
    ]);
  });
});
