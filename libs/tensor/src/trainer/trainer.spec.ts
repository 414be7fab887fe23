import { Cancelled, detachedContext } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { Rng } from '@seqcast/numeric';
import { createSchedule } from './schedules';
import { Trainer } from './trainer';
import { TrainDataset, TrainingEvent } from './types';

/** y = X w + b + noise, and its least-squares solution from the normal equations (float64). */
function regressionProblem(n: number, seed: number) {
  const rng = new Rng(seed);
  const trueW = [1.5, -2, 0.5];
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.normal(), rng.normal(), rng.normal()];
    X.push(row);
    y.push(row.reduce((s, x, j) => s + x * trueW[j], 0.3) + 0.1 * rng.normal());
  }
  // Normal equations on [X, 1], solved by Gaussian elimination.
  const d = 4;
  const A = Array.from({ length: d }, () => new Array(d + 1).fill(0));
  for (let i = 0; i < n; i++) {
    const z = [...X[i], 1];
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) A[r][c] += z[r] * z[c];
      A[r][d] += z[r] * y[i];
    }
  }
  for (let p = 0; p < d; p++) {
    for (let r = p + 1; r < d; r++) {
      const f = A[r][p] / A[p][p];
      for (let c = p; c <= d; c++) A[r][c] -= f * A[p][c];
    }
  }
  const sol = new Array(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    let s = A[r][d];
    for (let c = r + 1; c < d; c++) s -= A[r][c] * sol[c];
    sol[r] = s / A[r][r];
  }
  const data: TrainDataset<{ x: tf.Tensor2D; y: tf.Tensor2D }> = {
    size: n,
    batch: (idx) => ({ x: tf.tensor2d(idx.map((i) => X[i])), y: tf.tensor2d(idx.map((i) => [y[i]])) }),
  };
  return { X, y, solution: sol, data };
}

function linearModel(seed: number) {
  const rng = new Rng(seed);
  const w = tf.variable(
    tf.tensor2d([[rng.normal()], [rng.normal()], [rng.normal()]]),
    true,
    `w${seed}_${Math.random()}`,
  );
  const b = tf.variable(tf.scalar(0), true, `b${seed}_${Math.random()}`);
  const predict = (x: tf.Tensor2D) => tf.add(tf.matMul(x, w), b);
  const mse = (batch: { x: tf.Tensor2D; y: tf.Tensor2D }) =>
    tf.mean(tf.square(tf.sub(predict(batch.x), batch.y))) as tf.Scalar;
  return { w, b, predict, mse };
}

describe('Trainer', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('fits linear regression to the least-squares solution', async () => {
    const { solution, data } = regressionProblem(256, 1);
    const m = linearModel(2);
    const history = await new Trainer({
      epochs: 60,
      batchSize: 32,
      learningRate: 0.05,
      schedule: { kind: 'cosine', warmupSteps: 8 },
      seed: 3,
    }).fit({ params: [m.w, m.b], loss: m.mse, train: data }, detachedContext());
    const w = m.w.dataSync();
    const b = m.b.dataSync()[0];
    for (let i = 0; i < 3; i++) expect(w[i]).toBeCloseTo(solution[i], 2);
    expect(b).toBeCloseTo(solution[3], 2);
    expect(history.epochs[59].loss).toBeLessThan(history.epochs[0].loss);
  });

  it('gives the same weights twice for one seed, and different ones for another', async () => {
    const run = async (seed: number) => {
      const { data } = regressionProblem(64, 5);
      const m = linearModel(6);
      await new Trainer({ epochs: 3, batchSize: 10, learningRate: 0.01, seed, weightDecay: 0.01 }).fit(
        { params: [m.w, m.b], loss: m.mse, train: data },
        detachedContext(),
      );
      return Array.from(m.w.dataSync());
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('keeps the tensor count flat across epochs (no leaks), with every feature on', async () => {
    const { data } = regressionProblem(64, 7);
    const m = linearModel(8);
    const counts: number[] = [];
    await new Trainer({
      epochs: 4,
      batchSize: 16,
      learningRate: 0.01,
      clipNorm: 1,
      emaDecay: 0.9,
      earlyStopping: { patience: 10 },
      schedule: { kind: 'one-cycle' },
      onEvent: (e) => {
        if (e.type === 'epoch') counts.push(tf.memory().numTensors);
      },
    }).fit(
      {
        params: [m.w, m.b],
        loss: m.mse,
        train: data,
        validate: () => tf.tidy(() => m.mse({ x: tf.ones([2, 3]), y: tf.ones([2, 1]) }).dataSync()[0]),
      },
      detachedContext(),
    );
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[1]).toBe(counts[0]);
  });

  it('stops early and restores the weights of the best epoch', async () => {
    const { data } = regressionProblem(32, 9);
    const m = linearModel(10);
    // A validation metric that is best at epoch 3 and then worsens.
    const metrics = [5, 4, 1, 2, 3, 4, 5, 6];
    let epoch = 0;
    const snapshots: number[][] = [];
    const history = await new Trainer({
      epochs: 8,
      batchSize: 8,
      learningRate: 0.05,
      earlyStopping: { patience: 2 },
    }).fit(
      {
        params: [m.w, m.b],
        loss: m.mse,
        train: data,
        validate: () => {
          snapshots.push(Array.from(m.w.dataSync()));
          return metrics[epoch++];
        },
      },
      detachedContext(),
    );
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs).toHaveLength(5);
    expect(history.bestEpoch).toBe(3);
    expect(Array.from(m.w.dataSync())).toEqual(snapshots[2]);
  });

  it('with scoreInitial, keeps the starting weights when no epoch beats them on validation', async () => {
    const { data } = regressionProblem(32, 9);
    const m = linearModel(11);
    const start = Array.from(m.w.dataSync());
    // validation: the squared distance from the starting weights, so every step away is worse
    const validate = () => Array.from(m.w.dataSync()).reduce((a, w, i) => a + (w - start[i]) ** 2, 0);
    const history = await new Trainer({
      epochs: 6,
      batchSize: 8,
      learningRate: 0.05,
      earlyStopping: { patience: 3, scoreInitial: true },
    }).fit({ params: [m.w, m.b], loss: m.mse, train: data, validate }, detachedContext());
    expect(history.bestEpoch).toBe(0);
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs).toHaveLength(3);
    expect(Array.from(m.w.dataSync())).toEqual(start);
  });

  it('validates with the EMA weights and ends on them', async () => {
    const { data } = regressionProblem(32, 13);
    const m = linearModel(14);
    const decay = 0.8;
    // Reference EMA rebuilt here from the live weights seen after every step.
    let shadow = Array.from(m.w.dataSync());
    let t = 0;
    const validated: number[][] = [];
    const expected: number[][] = [];
    await new Trainer({
      epochs: 2,
      batchSize: 8,
      learningRate: 0.05,
      emaDecay: decay,
      stepEventIntervalMs: 0,
      onEvent: (e) => {
        if (e.type !== 'step') return;
        const d = Math.min(decay, (1 + t) / (10 + t));
        t += 1;
        const w = m.w.dataSync();
        shadow = shadow.map((s, i) => d * s + (1 - d) * w[i]);
        if (e.step === e.steps) expected.push(shadow);
      },
    }).fit(
      {
        params: [m.w, m.b],
        loss: m.mse,
        train: data,
        validate: () => (validated.push(Array.from(m.w.dataSync())), 0),
      },
      detachedContext(),
    );
    expect(validated).toHaveLength(2);
    for (let e = 0; e < 2; e++)
      for (let i = 0; i < 3; i++) expect(validated[e][i]).toBeCloseTo(expected[e][i], 5);
    // the result is the averaged weights
    for (let i = 0; i < 3; i++) expect(m.w.dataSync()[i]).toBeCloseTo(expected[1][i], 5);
  });

  it('emits progress events and reports to the work context', async () => {
    const { data } = regressionProblem(40, 15);
    const m = linearModel(16);
    const events: TrainingEvent[] = [];
    const fractions: number[] = [];
    await new Trainer({
      epochs: 2,
      batchSize: 10,
      learningRate: 0.01,
      stepEventIntervalMs: 0,
      onEvent: (e) => events.push(e),
    }).fit(
      { params: [m.w, m.b], loss: m.mse, train: data, validate: () => 0.5 },
      { signal: new AbortController().signal, progress: (f) => fractions.push(f) },
    );
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => [e.epoch, e.valMetric])).toEqual([
      [1, 0.5],
      [2, 0.5],
    ]);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(8);
    expect(events[events.length - 1].etaSeconds).toBe(0);
    expect(fractions[fractions.length - 1]).toBe(1);
  });

  it('stops with Cancelled when the signal aborts, and frees its tensors', async () => {
    const { data } = regressionProblem(64, 17);
    const m = linearModel(18);
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    let steps = 0;
    const run = new Trainer({
      epochs: 100,
      batchSize: 4,
      learningRate: 0.01,
      emaDecay: 0.9,
      stepEventIntervalMs: 0,
      onEvent: () => ++steps === 5 && controller.abort(),
    }).fit(
      { params: [m.w, m.b], loss: m.mse, train: data },
      { signal: controller.signal, progress: () => undefined },
    );
    await expect(run).rejects.toBeInstanceOf(Cancelled);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails clearly when the loss becomes NaN', async () => {
    const m = linearModel(19);
    const data: TrainDataset<tf.Tensor2D> = { size: 4, batch: () => tf.tensor2d([[NaN, 0, 0]]) };
    await expect(
      new Trainer({ epochs: 1, batchSize: 2, learningRate: 0.1 }).fit(
        { params: [m.w, m.b], loss: (x) => tf.sum(m.predict(x)) as tf.Scalar, train: data },
        detachedContext(),
      ),
    ).rejects.toThrow(/diverged/);
  });

  it('trains a tfjs-layers model through its trainableWeights', async () => {
    const { solution, data } = regressionProblem(128, 21);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    await new Trainer({ epochs: 40, batchSize: 32, learningRate: 0.05, seed: 1 }).fit(
      {
        params: model,
        loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x) as tf.Tensor) as tf.Scalar,
        train: data,
      },
      detachedContext(),
    );
    const kernel = model.getWeights()[0].dataSync();
    for (let i = 0; i < 3; i++) expect(kernel[i]).toBeCloseTo(solution[i], 1);
    model.dispose();
  });
});

describe('learning-rate schedules (closed forms)', () => {
  it('cosine with warm-up', () => {
    const s = createSchedule({ kind: 'cosine', warmupSteps: 10, minLr: 0 }, 1, 110);
    expect(s.lrAt(0)).toBeCloseTo(0.1);
    expect(s.lrAt(9)).toBeCloseTo(1);
    expect(s.lrAt(10)).toBeCloseTo(1);
    expect(s.lrAt(60)).toBeCloseTo(0.5);
    expect(s.lrAt(110)).toBeCloseTo(0);
  });

  it('one-cycle starts at base/div, peaks at the base rate, ends near zero', () => {
    const s = createSchedule(
      { kind: 'one-cycle', pctStart: 0.25, divFactor: 10, finalDivFactor: 100 },
      1,
      100,
    );
    expect(s.lrAt(0)).toBeCloseTo(0.1);
    expect(s.lrAt(25)).toBeCloseTo(1);
    expect(s.lrAt(100)).toBeCloseTo(0.001);
  });

  it('reduce-on-plateau cuts the rate after `patience` epochs without improvement', () => {
    const s = createSchedule({ kind: 'plateau', factor: 0.5, patience: 2 }, 1, 0);
    for (const m of [3, 2, 2, 2]) s.onEpochEnd!(m);
    expect(s.lrAt(0)).toBe(1);
    s.onEpochEnd!(2);
    expect(s.lrAt(0)).toBe(0.5);
  });
});
