/**
 * The HiSS part of `npm run bench:ssm`: HiSS against its flat baselines (S4D stack, LSTM,
 * causal Transformer, all at the output rate) on the IMU dead-reckoning benchmark
 * (libs/eval generateImuDeadReckoning: 100 Hz accelerometer and gyroscope with bias drift,
 * scale error and noise; target the velocity at 10 Hz), split by whole sequences, one data
 * seed and several training seeds. Test MSE in the targets' z-scored units (train targets'
 * mean and std), so the figure is comparable across channels and seeds.
 */
import {
  generateImuDeadReckoning,
  splitBySequence,
  type ImuInputFrame,
  type Seq2SeqSet,
} from '@seqcast/eval';
import { seq2seqRegistry } from '@seqcast/forecast';
import { loadavg } from 'os';

export interface HissBudget {
  seeds: number;
  epochs: number;
  patience: number;
  /** width of every model (HiSS: both levels), and blocks per stack */
  width: number;
  layers: number;
  sequences: number;
  batchSize: number;
  learningRate: number;
  /** The IMU's input frame: 'heading' (the default: RoNIN's, as HiSS's datasets) or 'body'. */
  frame: ImuInputFrame;
  /** How the flat baselines meet the output rate (their `inputRate`; 'mean' by default). */
  flatInput: 'mean' | 'last' | 'full';
  /** Kinds to run (default: all four), e.g. to leave out the slow LSTM at a long budget. */
  kinds?: string[];
}

export interface HissRow {
  model: string;
  kind: string;
  mse: number[];
  seconds: number[];
  epochs: number[];
}

export interface HissResult {
  budget: HissBudget;
  rows: HissRow[];
  load: string;
}

/** The models compared, at one width and depth so the comparison is of structure, not size. */
function models(b: HissBudget): Array<{ model: string; kind: string; config: Record<string, unknown> }> {
  const train = {
    epochs: b.epochs,
    patience: b.patience,
    batchSize: b.batchSize,
    learningRate: b.learningRate,
    ratio: 10,
  };
  const flat = { ...train, inputRate: b.flatInput };
  return [
    {
      model: 'HiSS',
      kind: 'hiss',
      config: { ...train, lowWidth: b.width, lowLayers: b.layers, highWidth: b.width, highLayers: b.layers },
    },
    { model: 'flat S4D', kind: 'flat_s4d', config: { ...flat, width: b.width, layers: b.layers } },
    { model: 'LSTM', kind: 'lstm', config: { ...flat, width: b.width, layers: Math.min(2, b.layers) } },
    {
      model: 'causal Transformer',
      kind: 'causal_transformer',
      config: { ...flat, width: b.width, layers: b.layers },
    },
  ];
}

/** Mean squared error per target value, each channel z-scored by the train targets. */
function zMse(pred: Float32Array[][], truth: Seq2SeqSet, train: Seq2SeqSet): number {
  const C = truth.targetChannels.length;
  let total = 0;
  let n = 0;
  for (let c = 0; c < C; c++) {
    const all = train.targets.flatMap((s) => Array.from(s[c]));
    const mean = all.reduce((a, v) => a + v, 0) / all.length;
    const std = Math.sqrt(all.reduce((a, v) => a + (v - mean) ** 2, 0) / all.length) || 1;
    truth.targets.forEach((seq, i) => {
      for (let k = 0; k < seq[c].length; k++) {
        total += ((pred[i][c][k] - seq[c][k]) / std) ** 2;
        n++;
      }
    });
  }
  return total / n;
}

/**
 * Strapdown dead reckoning, the classical answer: with heading-aligned inputs the world-frame
 * velocity is the integral of the accelerometer from rest (trapezoid rule, read at each
 * chunk's last sample), wrong only by the sensors' bias, scale and noise. Nothing is fitted.
 */
function deadReckoning(set: Seq2SeqSet): Float32Array[][] {
  const dt = 1 / set.inputRateHz;
  return set.inputs.map((seq) =>
    [0, 1].map((c) => {
      const a = seq[c];
      const out = new Float32Array(a.length / set.ratio);
      let v = 0;
      for (let k = 0; k < a.length; k++) {
        if (k > 0) v += (dt * (a[k - 1] + a[k])) / 2;
        if ((k + 1) % set.ratio === 0) out[(k + 1) / set.ratio - 1] = v;
      }
      return out;
    }),
  );
}

export async function hissBenchmark(b: HissBudget, log: (line: string) => void): Promise<HissResult> {
  const data = generateImuDeadReckoning({ sequences: b.sequences, seed: 1, inputFrame: b.frame });
  const split = splitBySequence(data, { validation: 0.15, test: 0.15 }, 1);
  log(
    `IMU: ${split.train.inputs.length} / ${split.validation.inputs.length} / ${split.test.inputs.length} sequences of ${data.inputs[0][0].length} inputs`,
  );
  const rows: HissRow[] = [];
  if (b.frame === 'heading') {
    const mse = zMse(deadReckoning(split.test), split.test, split.train);
    log(`dead reckoning: test MSE ${mse.toFixed(4)}`);
    rows.push({
      model: 'dead reckoning (integrated accelerometer)',
      kind: 'dead_reckoning',
      mse: [mse],
      seconds: [0],
      epochs: [0],
    });
  }
  const chosen = models(b).filter((m) => !b.kinds || b.kinds.includes(m.kind));
  const unknown = (b.kinds ?? []).filter((k) => !models(b).some((m) => m.kind === k));
  if (unknown.length) throw new Error(`--models: unknown ${unknown.join(', ')}`);
  for (const m of chosen) {
    const row: HissRow = { model: m.model, kind: m.kind, mse: [], seconds: [], epochs: [] };
    for (let seed = 0; seed < b.seeds; seed++) {
      const model = seq2seqRegistry.create(m.kind, { ...m.config, seed });
      try {
        const report = await model.fit(split.train, split.validation, {
          signal: new AbortController().signal,
          progress: () => undefined,
        });
        const mse = zMse(model.predict(split.test.inputs), split.test, split.train);
        row.mse.push(mse);
        row.seconds.push(report.seconds);
        row.epochs.push(report.epochs.length);
        log(
          `${m.model} seed ${seed}: test MSE ${mse.toFixed(4)} (best epoch ${report.bestEpoch} of ${report.epochs.length}, ${report.seconds.toFixed(0)} s, load ${loadavg()[0].toFixed(2)})`,
        );
      } finally {
        model.dispose();
      }
    }
    rows.push(row);
  }
  return { budget: b, rows, load: loadavg()[0].toFixed(2) };
}

const meanStd = (xs: number[]) => {
  const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std };
};

export function hissMarkdown(r: HissResult): string {
  const flat = r.rows.filter((x) => x.kind !== 'hiss' && x.kind !== 'dead_reckoning');
  const best = flat.reduce((a, x) => (meanStd(x.mse).mean < meanStd(a.mse).mean ? x : a), flat[0]);
  const hiss = r.rows.find((x) => x.kind === 'hiss');
  const gain = hiss && best ? 1 - meanStd(hiss.mse).mean / meanStd(best.mse).mean : NaN;
  const b = r.budget;
  return [
    `### HiSS on the IMU dead-reckoning benchmark (${b.sequences} sequences of 20 s, 100 Hz in, 10 Hz out; ${b.seeds} training seeds)`,
    '',
    `Inputs in the ${b.frame === 'heading' ? "gyro-integrated heading's frame (RoNIN's, as HiSS's IMU datasets)" : 'body frame (as the sensor reads them)'}; flat baselines on each chunk's ${b.flatInput === 'full' ? 'every input step, read at its last' : b.flatInput === 'last' ? 'last input step (plain subsampling)' : 'mean input features'}. Budget: every model ${b.width} wide, ${b.layers} blocks per stack (HiSS: both levels; LSTM: ${Math.min(2, b.layers)} layers), up to ${b.epochs} epochs with patience ${b.patience} on the validation MSE (best epoch kept), batch ${b.batchSize}, Adam lr ${b.learningRate}. Test MSE in z-scored target units, mean ± std over seeds.`,
    '',
    '| model | test MSE | seeds | epochs run | s per fit | ',
    '|---|---:|---|---:|---:|',
    ...r.rows.map((x) => {
      const { mean, std } = meanStd(x.mse);
      return `| ${x.model} | ${mean.toFixed(4)} ± ${std.toFixed(4)} | ${x.mse.map((v) => v.toFixed(4)).join(', ')} | ${meanStd(x.epochs).mean.toFixed(0)} | ${meanStd(x.seconds).mean.toFixed(0)} |`;
    }),
    '',
    Number.isNaN(gain)
      ? `Load at the end: ${r.load}.`
      : `HiSS against the best flat model (${best.model}): ${(100 * Math.abs(gain)).toFixed(1)}% ${gain >= 0 ? 'lower' : 'higher'} test MSE (the paper's claim: at least 23% lower). Load at the end: ${r.load}.`,
  ].join('\n');
}
