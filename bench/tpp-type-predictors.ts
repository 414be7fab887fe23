/**
 * Reference predictors of the next event's type from its history, independent of the event
 * models (for `bench:tpp-types`): class frequencies, Markov chains on the previous types and
 * a multinomial logistic regression on summaries of the recent history. Each scores the
 * events the TPP evaluation scores (2..L of each sequence, given the events before them in
 * the same sequence) and returns one probability row per event, in order.
 */
import { fitSoftmaxRegression, softmaxProbabilities } from '@seqcast/numeric';

export interface MarkedSequence {
  times: number[];
  types: number[];
  /** A finer numeric mark behind the type when the data has one (the magnitude a class was cut from). */
  marks?: number[];
}

export interface TypeTask {
  numTypes: number;
  train: MarkedSequence[];
  dev: MarkedSequence[];
  test: MarkedSequence[];
}

export type Predict = (split: MarkedSequence[]) => Float64Array[];

/** The types of the scored events (2..L of each sequence), in order. */
export function scoredTypes(split: MarkedSequence[]): number[] {
  return split.flatMap((s) => s.types.slice(1));
}

/** The training types' frequencies (their argmax is the majority class of the sanity gate). */
export function classFrequencies(task: TypeTask): Predict {
  const counts = new Float64Array(task.numTypes);
  for (const k of scoredTypes(task.train)) counts[k]++;
  const total = counts.reduce((a, b) => a + b, 0);
  const p = counts.map((c) => c / total);
  return (split) => scoredTypes(split).map(() => p);
}

/**
 * P(k_i | k_{i-1}) with add-one counts, and at order 2 P(k_i | k_{i-2}, k_{i-1}) with the
 * order-1 row as its prior (weight K), which the second event of a sequence falls back on.
 */
export function markov(task: TypeTask, order: 1 | 2): Predict {
  const K = task.numTypes;
  const one = Array.from({ length: K }, () => new Float64Array(K).fill(1));
  const two = Array.from({ length: K * K }, () => new Float64Array(K));
  for (const s of task.train) {
    for (let i = 1; i < s.types.length; i++) {
      one[s.types[i - 1]][s.types[i]]++;
      if (i >= 2) two[s.types[i - 2] * K + s.types[i - 1]][s.types[i]]++;
    }
  }
  const norm = (r: Float64Array) => {
    const t = r.reduce((a, b) => a + b, 0);
    return r.map((c) => c / t);
  };
  const p1 = one.map(norm);
  const p2 = two.map((r, ab) => norm(r.map((c, k) => c + K * p1[ab % K][k])));
  return (split) =>
    split.flatMap((s) =>
      s.types.slice(1).map((_, j) => {
        const i = j + 1;
        return order === 2 && i >= 2 ? p2[s.types[i - 2] * K + s.types[i - 1]] : p1[s.types[i - 1]];
      }),
    );
}

/** Decay scales of the per-type counts, in mean training gaps (minutes to days on the earthquakes). */
const SCALES = [0.25, 1, 4, 16];
const LAGS = 3;

/**
 * One row of history features for event i of s (events 0..i-1 known): the last 3 types
 * one-hot (and whether each exists), the log of the last two gaps, log(1 + exponentially
 * decayed count) of each type at 4 time scales, the event's position and time in its
 * sequence, and, with marks, the last 3 marks and the largest mark within 1 and 16 mean gaps.
 * `nextGap` adds the log of the gap to event i itself (its time known: not a history-only row).
 */
function featureRow(s: MarkedSequence, i: number, K: number, meanGap: number, nextGap: boolean): number[] {
  const row = [1];
  const logGap = (g: number) => Math.log(g / meanGap + 1e-3);
  for (let lag = 1; lag <= LAGS; lag++) {
    const j = i - lag;
    for (let k = 0; k < K; k++) row.push(j >= 0 && s.types[j] === k ? 1 : 0);
    row.push(j >= 0 ? 0 : 1);
    if (lag <= 2) row.push(j >= 1 ? logGap(s.times[j] - s.times[j - 1]) : 0);
  }
  const now = s.times[i - 1];
  for (const scale of SCALES) {
    const c = new Array(K).fill(0);
    for (let j = 0; j < i; j++) c[s.types[j]] += Math.exp(-(now - s.times[j]) / (scale * meanGap));
    row.push(...c.map(Math.log1p));
  }
  row.push(Math.log(i), Math.log1p((now - s.times[0]) / meanGap));
  if (s.marks) {
    for (let lag = 1; lag <= LAGS; lag++) row.push(i - lag >= 0 ? s.marks[i - lag] : 0);
    for (const within of [1, 16]) {
      let m = -Infinity;
      for (let j = i - 1; j >= 0 && now - s.times[j] <= within * meanGap; j--) m = Math.max(m, s.marks[j]);
      row.push(m);
    }
  }
  if (nextGap) row.push(logGap(s.times[i] - now));
  return row;
}

function designMatrix(
  split: MarkedSequence[],
  K: number,
  meanGap: number,
  nextGap: boolean,
): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (const s of split) {
    for (let i = 1; i < s.types.length; i++) {
      x.push(featureRow(s, i, K, meanGap, nextGap));
      y.push(s.types[i]);
    }
  }
  return { x, y };
}

export const L2_GRID = [0.01, 0.1, 1, 10, 100, 1000, 10000];

/**
 * The multinomial logistic regression on `featureRow`, features standardised on the training
 * rows, intercept unpenalised; the L2 weight is the grid's best on the dev set's log-loss,
 * the fit itself on the training set only (the split the event models train and stop on).
 * `l2` fixes the weight instead (the least penalty shows what shrinkage hid).
 */
export function logisticOnHistory(
  task: TypeTask,
  options: { nextGap?: boolean; l2?: number } = {},
): { predict: Predict; l2: number; features: number } {
  const K = task.numTypes;
  const gaps = task.train.flatMap((s) => s.times.slice(1).map((t, j) => t - s.times[j]));
  const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const nextGap = options.nextGap ?? false;
  const train = designMatrix(task.train, K, meanGap, nextGap);
  const D = train.x[0].length;
  const mean = new Float64Array(D);
  const sd = new Float64Array(D).fill(1);
  for (let d = 1; d < D; d++) {
    const col = train.x.map((r) => r[d]);
    mean[d] = col.reduce((a, b) => a + b, 0) / col.length;
    const v = col.reduce((a, b) => a + (b - mean[d]) ** 2, 0) / col.length;
    sd[d] = v > 1e-12 ? Math.sqrt(v) : 1;
  }
  const pack = (rows: number[][]) => {
    const out = new Float64Array(rows.length * D);
    rows.forEach((r, n) => r.forEach((v, d) => (out[n * D + d] = d === 0 ? 1 : (v - mean[d]) / sd[d])));
    return out;
  };
  const xTrain = pack(train.x);
  const dev = designMatrix(task.dev, K, meanGap, nextGap);
  const xDev = pack(dev.x);
  let best = { l2: NaN, loss: Infinity, weights: new Float64Array(0) };
  for (const l2 of options.l2 !== undefined ? [options.l2] : L2_GRID) {
    const fit = fitSoftmaxRegression(xTrain, train.y.length, D, train.y, K, { l2, unpenalized: [0] });
    const p = softmaxProbabilities(fit.weights, xDev, dev.y.length, D, K);
    const loss = dev.y.reduce((a, k, n) => a - Math.log(p[n * K + k]), 0) / dev.y.length;
    if (loss < best.loss) best = { l2, loss, weights: fit.weights };
  }
  const predict: Predict = (split) => {
    const { x, y } = designMatrix(split, K, meanGap, nextGap);
    const p = softmaxProbabilities(best.weights, pack(x), y.length, D, K);
    return y.map((_, n) => p.subarray(n * K, (n + 1) * K));
  };
  return { predict, l2: best.l2, features: D };
}

export interface TypeScore {
  events: number;
  accuracy: number;
  /** Binomial standard error of the accuracy, sqrt(a (1 - a) / n). */
  accuracySe: number;
  logLoss: number;
  /** Against the reference predictor, per event: accuracy gained and log-loss saved, with batch-means standard errors. */
  accuracyGain: number;
  accuracyGainSe: number;
  logLossGain: number;
  logLossGainSe: number;
}

/** Events per batch of the batch-means standard errors: the events of a burst are not independent. */
export const BATCH = 50;

function batchMeans(d: number[]): { mean: number; se: number } {
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const B = Math.floor(d.length / BATCH);
  if (B < 2) return { mean, se: NaN };
  const m = Array.from(
    { length: B },
    (_, b) => d.slice(b * BATCH, (b + 1) * BATCH).reduce((a, x) => a + x, 0) / BATCH,
  );
  const mm = m.reduce((a, b) => a + b, 0) / B;
  return { mean, se: Math.sqrt(m.reduce((a, x) => a + (x - mm) ** 2, 0) / (B - 1) / B) };
}

/**
 * Accuracy (argmax, ties to the lowest type as the majority class's) and log-loss of `p`
 * against the types `y`, and paired differences from the reference predictor `ref`.
 */
export function scoreTypes(p: Float64Array[], ref: Float64Array[], y: number[]): TypeScore {
  const argmax = (r: Float64Array) => r.reduce((b, v, k) => (v > r[b] ? k : b), 0);
  const hit = y.map((k, n): number => (argmax(p[n]) === k ? 1 : 0));
  const refHit = y.map((k, n): number => (argmax(ref[n]) === k ? 1 : 0));
  const loss = y.map((k, n) => -Math.log(Math.max(p[n][k], 1e-300)));
  const refLoss = y.map((k, n) => -Math.log(Math.max(ref[n][k], 1e-300)));
  const n = y.length;
  const accuracy = hit.reduce((a, b) => a + b, 0) / n;
  const acc = batchMeans(hit.map((h, i) => h - refHit[i]));
  const ll = batchMeans(loss.map((l, i) => refLoss[i] - l));
  return {
    events: n,
    accuracy,
    accuracySe: Math.sqrt((accuracy * (1 - accuracy)) / n),
    logLoss: loss.reduce((a, b) => a + b, 0) / n,
    accuracyGain: acc.mean,
    accuracyGainSe: acc.se,
    logLossGain: ll.mean,
    logLossGainSe: ll.se,
  };
}
