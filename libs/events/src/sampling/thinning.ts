import { Rng } from '@seqcast/tensor';

/** Evaluates per-type intensities at gaps after given contexts (a context = a history). */
export interface IntensityEvaluator {
  readonly numTypes: number;
  /** lambda_k at dt after context ctx[i]: returns [n * K] (row i, type k at i * K + k). */
  evaluate(ctx: Int32Array, dt: Float64Array): Float64Array;
  /** A valid upper bound of sum_k lambda_k on [0, dtMax] per context, when the model knows one. */
  upperBound?(ctx: Int32Array, dtMax: number): Float64Array;
}

/** EasyTPP's thinning parameters (defaults theirs, except dtimeMax which the model sets from data). */
export interface ThinningOptions {
  /** Points on [0, dtimeMax] where the intensity is probed for the bound (EasyTPP: 5). */
  numSamplesBoundary?: number;
  /** Bound = overSampleRate x the largest probed total intensity (EasyTPP: 5). */
  overSampleRate?: number;
  /** Proposals per sample before giving up (EasyTPP: 500). */
  numExp?: number;
  /** Largest gap; a sample with no accepted proposal below it is set to it (EasyTPP: 5). */
  dtimeMax?: number;
}

export interface ThinningResult {
  /** [contexts * samples] gaps, sample s of context c at c * samples + s. */
  gaps: Float64Array;
  types: Int32Array;
  /** P(type = k | time) at each accepted time, [contexts * samples * K] (lambda_k / sum lambda). */
  typeProbs: Float64Array;
  /** 0 where no proposal was accepted before dtimeMax / numExp (gap = dtimeMax). */
  accepted: Uint8Array;
}

/**
 * Ogata/Lewis thinning with EasyTPP's bound: lambda* = overSampleRate x max over
 * numSamplesBoundary probe points of sum_k lambda_k. Unlike EasyTPP, which draws numExp
 * exponential proposals at once and evaluates all of them, proposals are drawn in rounds
 * and only pending samples are evaluated: the same distribution (first accepted point of
 * the same proposal stream), far fewer intensity evaluations. Types are drawn from
 * lambda_k / sum lambda at the accepted time.
 */
export function thinningSample(evaluator: IntensityEvaluator, contexts: number, samples: number, rng: Rng, options: ThinningOptions = {}): ThinningResult {
  const K = evaluator.numTypes;
  const nb = Math.max(2, options.numSamplesBoundary ?? 5);
  const over = options.overSampleRate ?? 5;
  const numExp = options.numExp ?? 500;
  const dtMax = options.dtimeMax ?? 5;
  const ctxAll = Int32Array.from({ length: contexts }, (_, i) => i);
  let bound: Float64Array;
  if (evaluator.upperBound) bound = evaluator.upperBound(ctxAll, dtMax);
  else {
    const ctx = new Int32Array(contexts * nb);
    const dt = new Float64Array(contexts * nb);
    for (let c = 0; c < contexts; c++) for (let i = 0; i < nb; i++) {
      ctx[c * nb + i] = c;
      dt[c * nb + i] = (dtMax * i) / (nb - 1);
    }
    const lam = evaluator.evaluate(ctx, dt);
    bound = new Float64Array(contexts);
    for (let r = 0; r < contexts * nb; r++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += lam[r * K + k];
      const c = ctx[r];
      if (s > bound[c]) bound[c] = s;
    }
    for (let c = 0; c < contexts; c++) bound[c] = Math.max(bound[c] * over, 1e-9);
  }
  const n = contexts * samples;
  const gaps = new Float64Array(n);
  const types = new Int32Array(n);
  const typeProbs = new Float64Array(n * K);
  const accepted = new Uint8Array(n);
  const tries = new Int32Array(n);
  let pending = Int32Array.from({ length: n }, (_, i) => i);
  while (pending.length) {
    const keep: number[] = [];
    for (const i of pending) {
      const c = Math.floor(i / samples);
      gaps[i] += -Math.log(1 - rng.next()) / bound[c];
      tries[i]++;
      if (gaps[i] > dtMax) {
        gaps[i] = dtMax;
        types[i] = -1;
      } else keep.push(i);
    }
    if (!keep.length) break;
    const ctx = Int32Array.from(keep, (i) => Math.floor(i / samples));
    const dt = Float64Array.from(keep, (i) => gaps[i]);
    const lam = evaluator.evaluate(ctx, dt);
    const next: number[] = [];
    keep.forEach((i, r) => {
      let total = 0;
      for (let k = 0; k < K; k++) total += lam[r * K + k];
      if (rng.next() * bound[ctx[r]] < total) {
        accepted[i] = 1;
        let u = rng.next() * total;
        let k = 0;
        while (k < K - 1 && u >= lam[r * K + k]) u -= lam[r * K + k++];
        types[i] = k;
        for (let j = 0; j < K; j++) typeProbs[i * K + j] = lam[r * K + j] / total;
      } else if (tries[i] >= numExp) {
        gaps[i] = dtMax;
        types[i] = -1;
      } else next.push(i);
    });
    pending = Int32Array.from(next);
  }
  // Samples that hit dtimeMax get a type from the intensity there (EasyTPP takes argmax at the predicted time).
  const capped = [...Array(n).keys()].filter((i) => types[i] < 0);
  if (capped.length) {
    const lam = evaluator.evaluate(Int32Array.from(capped, (i) => Math.floor(i / samples)), Float64Array.from(capped, () => dtMax));
    capped.forEach((i, r) => {
      let total = 0;
      for (let k = 0; k < K; k++) total += lam[r * K + k];
      let best = 0;
      for (let k = 0; k < K; k++) {
        typeProbs[i * K + k] = total > 0 ? lam[r * K + k] / total : 1 / K;
        if (lam[r * K + k] > lam[r * K + best]) best = k;
      }
      types[i] = best;
    });
  }
  return { gaps, types, typeProbs, accepted };
}
