import { ValidationFailed } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import type { SequenceRow, SequenceSchema } from './types';

/** Time inputs per event: time since the sequence's start, gap, log gap (all in the data's time unit). */
export const TIME_FEATURES = 3;

export interface SequenceScalerJSON {
  numericMean: number[];
  numericStd: number[];
  timeScale: number;
  targetMean: number;
  targetStd: number;
}

/**
 * Standardisation fitted on the training rows: numeric features z-scored, times divided by
 * the mean sequence duration (so "time since start" is about 0..1 on every dataset), and a
 * regression target z-scored (its loss is then on the same scale whatever the unit).
 */
export class SequenceScaler {
  constructor(readonly s: SequenceScalerJSON) {}

  static fit(rows: SequenceRow[], schema: SequenceSchema): SequenceScaler {
    const F = schema.numericFeatures;
    const sum = new Float64Array(F);
    const sq = new Float64Array(F);
    let n = 0;
    let duration = 0;
    for (const r of rows) {
      for (const v of r.numeric)
        for (let f = 0; f < F; f++) {
          sum[f] += v[f];
          sq[f] += v[f] * v[f];
        }
      n += r.numeric.length;
      duration += r.times[r.times.length - 1] - r.times[0];
    }
    const numericMean = Array.from(sum, (s) => s / Math.max(1, n));
    const numericStd = Array.from(
      sq,
      (s, f) => Math.sqrt(Math.max(s / Math.max(1, n) - numericMean[f] ** 2, 0)) || 1,
    );
    const targets = rows.map((r) => r.target);
    const tm = targets.reduce((a, b) => a + b, 0) / targets.length;
    const ts = Math.sqrt(targets.reduce((a, b) => a + (b - tm) ** 2, 0) / targets.length) || 1;
    const regression = schema.task === 'regression';
    return new SequenceScaler({
      numericMean,
      numericStd,
      timeScale: duration / rows.length || 1,
      targetMean: regression ? tm : 0,
      targetStd: regression ? ts : 1,
    });
  }

  toJSON(): SequenceScalerJSON {
    return this.s;
  }
}

/** Width of the per-event input vector: numeric, one-hot categoricals, time features. */
export function inputWidth(schema: SequenceSchema): number {
  return schema.numericFeatures + schema.categoricalCardinalities.reduce((a, b) => a + b, 0) + TIME_FEATURES;
}

/** A padded batch: inputs [B, T, D], scaled times [B, T], lengths, mask [B, T] and targets. */
export interface SequenceBatch {
  x: tf.Tensor3D;
  times: tf.Tensor2D;
  mask: tf.Tensor2D;
  lengths: Int32Array;
  /** Class ids [B] (int32) or scaled values [B, 1]. */
  y: tf.Tensor;
}

/**
 * Builds batches of rows as tensors. Categorical codes go in as one-hot blocks: one-hot
 * times the input weights is exactly an embedding folded into the first layer, and it lets
 * the fused GRU (whose data inputs carry no gradient) learn the embedding through its input
 * weights.
 */
export class SequenceEncoder {
  readonly width: number;

  constructor(
    readonly schema: SequenceSchema,
    readonly scaler: SequenceScaler,
  ) {
    this.width = inputWidth(schema);
  }

  batch(rows: SequenceRow[]): SequenceBatch {
    const { numericFeatures: F, categoricalCardinalities: cards } = this.schema;
    const { numericMean, numericStd, timeScale, targetMean, targetStd } = this.scaler.s;
    const B = rows.length;
    const T = Math.max(1, ...rows.map((r) => r.times.length));
    const D = this.width;
    const x = new Float32Array(B * T * D);
    const times = new Float32Array(B * T);
    const mask = new Float32Array(B * T);
    const lengths = new Int32Array(B);
    rows.forEach((r, b) => {
      const L = r.times.length;
      lengths[b] = L;
      const t0 = r.times[0];
      for (let t = 0; t < L; t++) {
        const o = (b * T + t) * D;
        for (let f = 0; f < F; f++) x[o + f] = (r.numeric[t][f] - numericMean[f]) / numericStd[f];
        let c0 = F;
        cards.forEach((card, c) => {
          x[o + c0 + r.categorical![t][c]] = 1;
          c0 += card;
        });
        const since = (r.times[t] - t0) / timeScale;
        const gap = t === 0 ? 0 : (r.times[t] - r.times[t - 1]) / timeScale;
        x[o + c0] = since;
        x[o + c0 + 1] = gap;
        // log gaps spread the short gaps that a linear gap squeezes near 0
        x[o + c0 + 2] = Math.log(gap + 1e-3) / 7;
        times[b * T + t] = since;
        mask[b * T + t] = 1;
      }
    });
    const y =
      this.schema.task === 'classification'
        ? tf.tensor1d(
            Int32Array.from(rows, (r) => r.target),
            'int32',
          )
        : tf.tensor2d(
            Float32Array.from(rows, (r) => (r.target - targetMean) / targetStd),
            [B, 1],
          );
    return {
      x: tf.tensor3d(x, [B, T, D]),
      times: tf.tensor2d(times, [B, T]),
      mask: tf.tensor2d(mask, [B, T]),
      lengths,
      y,
    };
  }
}

/** Every problem of a set of rows against a schema, by field (rows[i].numeric[t], ...). */
export function checkSequenceRows(rows: SequenceRow[], schema: SequenceSchema, at: string): void {
  const details: { field: string; reason: string }[] = [];
  if (!Array.isArray(rows) || rows.length === 0)
    details.push({ field: at, reason: 'needs at least one sequence' });
  (rows ?? []).some((r, i) => {
    const f = `${at}[${i}]`;
    const L = r?.times?.length ?? 0;
    if (!(L >= 1)) details.push({ field: `${f}.times`, reason: 'needs at least one event' });
    else if (r.times.some((t, j) => !Number.isFinite(t) || (j > 0 && t < r.times[j - 1])))
      details.push({ field: `${f}.times`, reason: 'finite and non-decreasing' });
    if (
      !Array.isArray(r?.numeric) ||
      r.numeric.length !== L ||
      r.numeric.some((v) => v.length !== schema.numericFeatures || v.some((x) => !Number.isFinite(x)))
    )
      details.push({
        field: `${f}.numeric`,
        reason: `${L} rows of ${schema.numericFeatures} finite numbers`,
      });
    const cards = schema.categoricalCardinalities;
    if (
      cards.length &&
      (!Array.isArray(r?.categorical) ||
        r.categorical.length !== L ||
        r.categorical.some(
          (v) =>
            v.length !== cards.length || v.some((c, k) => !(Number.isInteger(c) && c >= 0 && c < cards[k])),
        ))
    )
      details.push({
        field: `${f}.categorical`,
        reason: `${L} rows of ${cards.length} codes below ${cards.join(', ')}`,
      });
    const target = r?.target;
    if (
      schema.task === 'classification'
        ? !(Number.isInteger(target) && target >= 0 && target < schema.numClasses!)
        : !Number.isFinite(target)
    )
      details.push({
        field: `${f}.target`,
        reason:
          schema.task === 'classification' ? `a class index below ${schema.numClasses}` : 'a finite number',
      });
    return details.length >= 10;
  });
  if (details.length) throw new ValidationFailed(`Invalid sequences in ${at}`, details);
}
