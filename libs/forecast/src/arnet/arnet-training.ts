import { throwIfCancelled, WorkContext } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import type { EpochRecord, TrainingEvent, TrainingHistory } from '@seqcast/tensor';
import type { WindowSet } from '../data/windows';
import { regulariserRamp, sparsityGradient } from './sparsity';

/**
 * AR-Net's training as its reference code (ourownstory/AR-Net, v1 on fastai) runs it, in plain
 * Float64 JS: the model is one linear layer, so the gradient is written out and a step costs
 * p x H x batch multiply-adds instead of a tf graph's fixed per-op overhead. That is what lets
 * the paper's step counts (tens of thousands of batches of 32-128 at 125,000 samples) fit in
 * seconds, where the shared tf Trainer takes about 2 ms a step.
 *
 * - Adam as fastai's (beta2 0.99, eps 1e-5), beta1 cycled 0.95 -> 0.85 -> 0.95 with the rate.
 * - fit_one_cycle(lr_max, div 25, div_final 1e4, pct_start 0.25): cosine warm-up from lr/25 to lr
 *   over the first quarter of the steps, cosine annealing to lr/1e4 over the rest.
 * - The sparsity regulariser added to the loss with weight lambda x ramp, the ramp quadratic in
 *   training progress up to full strength at `rampEnd` (0.5) of training (SparsifyAR).
 * - Batches drawn by a seeded shuffle each epoch, the last partial batch dropped (drop_last).
 */
export interface ArNetTrainingOptions {
  epochs: number;
  batchSize: number;
  /** peak rate of the one-cycle schedule */
  learningRate: number;
  lambda: number;
  c1: number;
  c2: number;
  rampEnd: number;
  loss: 'mse' | 'huber';
  huberDelta: number;
  /** decoupled weight decay (fastai's true_wd form): w -= lr * wd * w each step */
  weightDecay: number;
  seed: number;
}

/** The layer: weight p x H (row i multiplies the i-th oldest lag), bias H; updated in place. */
export interface LinearLayer {
  w: Float64Array;
  b: Float64Array;
}

/**
 * The windows as offsets into one Float64 copy of their channels: window r's inputs are
 * values[at[r] .. at[r] + p), its targets the H values after. Windows overlap, so this holds
 * each value once; a shuffled batch then reads a 1 MB array (125,000 values) that stays in
 * cache, where a p-times larger matrix of copied rows missed it on every row.
 */
export class DenseWindows {
  readonly values: Float64Array;
  readonly at: Int32Array;
  readonly size: number;

  constructor(
    windows: WindowSet,
    readonly p: number,
    readonly H: number,
  ) {
    this.size = windows.size;
    this.at = new Int32Array(this.size);
    const offsets = new Map<Float32Array, number>();
    let total = 0;
    for (let r = 0; r < this.size; r++) {
      const { channel, start } = windows.location(r);
      let o = offsets.get(channel);
      if (o === undefined) {
        o = total;
        offsets.set(channel, o);
        total += channel.length;
      }
      this.at[r] = o + start;
    }
    this.values = new Float64Array(total);
    for (const [channel, o] of offsets) this.values.set(channel, o);
  }

  /**
   * Mean |y_t - y_(t-1)| over the series: each window's first target and last input are one
   * consecutive pair, and every pair after a series' first p values is some window's.
   */
  meanAbsStep(): number {
    const { p, values: v, at, size } = this;
    let s = 0;
    for (let r = 0; r < size; r++) s += Math.abs(v[at[r] + p] - v[at[r] + p - 1]);
    return size ? s / size : 0;
  }
}

/** Mean squared error of the layer over all windows and outputs. */
export function denseMse(data: DenseWindows, layer: LinearLayer): number {
  const { p, H, values: v, at, size } = data;
  let se = 0;
  for (let r = 0; r < size; r++) {
    const xo = at[r];
    for (let j = 0; j < H; j++) {
      let f = layer.b[j];
      for (let i = 0; i < p; i++) f += v[xo + i] * layer.w[i * H + j];
      se += (f - v[xo + p + j]) ** 2;
    }
  }
  return se / (size * H);
}

/** One error's loss: squared, or tf's Huber (0.5 e^2 within delta, delta (|e| - delta/2) beyond). */
function pointLoss(e: number, huber: boolean, delta: number): number {
  if (!huber) return e * e;
  const a = Math.abs(e);
  return a <= delta ? 0.5 * e * e : delta * (a - 0.5 * delta);
}

/** d pointLoss / de. */
function pointGradient(e: number, huber: boolean, delta: number): number {
  if (!huber) return 2 * e;
  return Math.abs(e) <= delta ? e : delta * Math.sign(e);
}

/**
 * Gradient of the batch's data loss (mean over rows and outputs) into gw/gb; returns the loss.
 */
function batchGradient(
  data: DenseWindows,
  rows: Int32Array,
  from: number,
  m: number,
  layer: LinearLayer,
  o: Pick<ArNetTrainingOptions, 'loss' | 'huberDelta'>,
  gw: Float64Array,
  gb: Float64Array,
  err: Float64Array,
): number {
  const { p, H, values: x, at } = data;
  const { w, b } = layer;
  gw.fill(0);
  gb.fill(0);
  let loss = 0;
  const scale = 1 / (m * H);
  const delta = o.huberDelta;
  const huber = o.loss === 'huber';
  if (H === 1) {
    // the one-step model (the paper's): no output loop in the hot path
    const b0 = b[0];
    let g0 = 0;
    for (let k = 0; k < m; k++) {
      const xo = at[rows[from + k]];
      let e = b0 - x[xo + p];
      for (let i = 0; i < p; i++) e += x[xo + i] * w[i];
      loss += pointLoss(e, huber, delta);
      const d = pointGradient(e, huber, delta) * scale;
      g0 += d;
      for (let i = 0; i < p; i++) gw[i] += x[xo + i] * d;
    }
    gb[0] = g0;
    return loss * scale;
  }
  for (let k = 0; k < m; k++) {
    const xo = at[rows[from + k]];
    for (let j = 0; j < H; j++) err[j] = b[j] - x[xo + p + j];
    for (let i = 0; i < p; i++) {
      const v = x[xo + i];
      const wo = i * H;
      for (let j = 0; j < H; j++) err[j] += v * w[wo + j];
    }
    for (let j = 0; j < H; j++) {
      const e = err[j];
      loss += pointLoss(e, huber, delta);
      const d = pointGradient(e, huber, delta) * scale;
      err[j] = d;
      gb[j] += d;
    }
    for (let i = 0; i < p; i++) {
      const v = x[xo + i];
      const wo = i * H;
      for (let j = 0; j < H; j++) gw[wo + j] += v * err[j];
    }
  }
  return loss * scale;
}

/** fastai's SchedCos: start -> end along half a cosine as pos goes 0 -> 1. */
const cosine = (start: number, end: number, pos: number) =>
  start + ((1 + Math.cos(Math.PI * (1 - pos))) * (end - start)) / 2;

/** fastai's fit_one_cycle schedules at progress pos in [0, 1]: rate and Adam's beta1. */
export function oneCycle(lrMax: number, pos: number): { lr: number; beta1: number } {
  const pct = 0.25;
  if (pos < pct) {
    const t = pos / pct;
    return { lr: cosine(lrMax / 25, lrMax, t), beta1: cosine(0.95, 0.85, t) };
  }
  const t = (pos - pct) / (1 - pct);
  return { lr: cosine(lrMax, lrMax / 1e4, t), beta1: cosine(0.85, 0.95, t) };
}

/** Adam's moments for the layer's parameters (weights then biases). */
class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(size: number) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  step(params: Float64Array[], grads: Float64Array[], lr: number, beta1: number, wd: number): void {
    const beta2 = 0.99;
    const eps = 1e-5;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    let k = 0;
    for (let a = 0; a < params.length; a++) {
      const w = params[a];
      const g = grads[a];
      for (let i = 0; i < w.length; i++, k++) {
        this.m[k] = beta1 * this.m[k] + (1 - beta1) * g[i];
        this.v[k] = beta2 * this.v[k] + (1 - beta2) * g[i] * g[i];
        if (wd > 0) w[i] -= lr * wd * w[i];
        w[i] -= (lr * (this.m[k] / c1)) / (Math.sqrt(this.v[k] / c2) + eps);
      }
    }
  }
}

function shuffled(n: number, rng: Rng, out: Int32Array): Int32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * fastai's learning-rate range test as the reference calls it (lr_find(start_lr=1e-6,
 * end_lr=1, num_it=200), then lr_at_min / 10): rates growing exponentially, one Adam step
 * each from the initial weights, the loss smoothed (beta 0.98, debiased); the run stops once the
 * smoothed loss exceeds 4x its best. fastai's lr_min is the rate at the smoothed minimum / 10
 * (the first 20 and last 5 points skipped), and the reference divides that by 10 again. The data loss only:
 * the regulariser's ramp starts at 0. Leaves `layer` as it found it.
 */
export function rangeTestRate(
  data: DenseWindows,
  layer: LinearLayer,
  o: Pick<ArNetTrainingOptions, 'batchSize' | 'loss' | 'huberDelta' | 'seed'>,
): number {
  const start = 1e-6;
  const end = 1;
  const iterations = 200;
  const probe: LinearLayer = { w: layer.w.slice(), b: layer.b.slice() };
  const bs = Math.min(o.batchSize, data.size);
  const perEpoch = Math.max(1, Math.floor(data.size / bs));
  const rng = new Rng(o.seed + 7919);
  const order = new Int32Array(data.size);
  const gw = new Float64Array(probe.w.length);
  const gb = new Float64Array(probe.b.length);
  const err = new Float64Array(data.H);
  const adam = new Adam(gw.length + gb.length);
  const lrs: number[] = [];
  const losses: number[] = [];
  let avg = 0;
  let best = Infinity;
  for (let i = 0; i < iterations; i++) {
    const batch = i % perEpoch;
    if (batch === 0) shuffled(data.size, rng, order);
    const lr = start * (end / start) ** (i / (iterations - 1));
    const loss = batchGradient(data, order, batch * bs, bs, probe, o, gw, gb, err);
    if (!Number.isFinite(loss)) break;
    avg = 0.98 * avg + 0.02 * loss;
    const smooth = avg / (1 - 0.98 ** (i + 1));
    lrs.push(lr);
    losses.push(smooth);
    if (smooth > 4 * best) break;
    best = Math.min(best, smooth);
    adam.step([probe.w, probe.b], [gw, gb], lr, 0.9, 0);
  }
  // fastai's suggestion reads the curve without its first num_it / 10 and last 5 points: early
  // batches' noise is not a minimum
  const first = Math.min(Math.floor(iterations / 10), losses.length - 1);
  const kept = Math.max(first + 1, losses.length - 5);
  let at = first;
  for (let i = first + 1; i < kept; i++) if (losses[i] < losses[at]) at = i;
  return lrs[at] / 10 / 10;
}

const YIELD_MS = 50;

/**
 * Trains `layer` in place; epoch records as the shared Trainer writes them. Yields to the
 * event loop every YIELD_MS between epochs: the loop is plain JavaScript, and in a worker
 * thread a cancellation (a job handed back at SIGTERM) arrives as a message that only an
 * idle event loop delivers.
 */
export async function trainArNet(
  data: DenseWindows,
  layer: LinearLayer,
  o: ArNetTrainingOptions,
  ctx: WorkContext & { onEvent?: (e: TrainingEvent) => void },
  validate?: () => number,
): Promise<TrainingHistory> {
  const started = Date.now();
  let yielded = started;
  const bs = Math.min(o.batchSize, data.size);
  const perEpoch = Math.max(1, Math.floor(data.size / bs));
  const total = perEpoch * o.epochs;
  const rng = new Rng(o.seed + 1);
  const order = new Int32Array(data.size);
  const gw = new Float64Array(layer.w.length);
  const gb = new Float64Array(layer.b.length);
  const err = new Float64Array(data.H);
  const adam = new Adam(gw.length + gb.length);
  const epochs: EpochRecord[] = [];
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    if (Date.now() - yielded > YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yielded = Date.now();
    }
    throwIfCancelled(ctx.signal);
    const epochStarted = Date.now();
    shuffled(data.size, rng, order);
    let sum = 0;
    let lr = 0;
    for (let batch = 0; batch < perEpoch; batch++, step++) {
      let loss = batchGradient(data, order, batch * bs, bs, layer, o, gw, gb, err);
      if (o.lambda > 0) {
        // SparsifyAR's progress counts the step being taken: (iter + 1) / n_iter of this epoch
        const weight = o.lambda * regulariserRamp((step + 1) / total, o.rampEnd);
        if (weight > 0) loss += weight * sparsityGradient(layer.w, o.c1, o.c2, gw, weight);
      }
      const s = oneCycle(o.learningRate, step / total);
      lr = s.lr;
      adam.step([layer.w, layer.b], [gw, gb], s.lr, s.beta1, o.weightDecay);
      sum += loss;
    }
    const record: EpochRecord = {
      epoch: epoch + 1,
      loss: sum / perEpoch,
      learningRate: lr,
      seconds: (Date.now() - epochStarted) / 1000,
    };
    if (validate) record.valMetric = validate();
    epochs.push(record);
    ctx.progress(
      (epoch + 1) / o.epochs,
      `ar-net epoch ${epoch + 1}/${o.epochs} loss ${record.loss.toPrecision(4)}`,
      {
        epoch: record.epoch,
        epochs: o.epochs,
        loss: record.loss,
        ...(record.valMetric !== undefined ? { valLoss: record.valMetric } : {}),
      },
    );
    ctx.onEvent?.({
      type: 'epoch',
      epoch: epoch + 1,
      epochs: o.epochs,
      step: perEpoch,
      steps: perEpoch,
      loss: record.loss,
      valMetric: record.valMetric,
      learningRate: lr,
      etaSeconds: ((Date.now() - started) / 1000 / (epoch + 1)) * (o.epochs - epoch - 1),
    });
  }
  return { epochs, stoppedEarly: false, steps: step, seconds: (Date.now() - started) / 1000 };
}
