import { Rng } from '@seqcast/tensor';
import { ValidationFailed } from '@seqcast/core';
import { quantile } from '@seqcast/numeric';
import { EventSequence, GenerateOptions, GeneratedContinuations, NextEventPrediction, PredictOptions } from '../types';

/** Draws next events after each history (original time units). */
export interface NextEventSampler {
  readonly numTypes: number;
  /** histories.length * samples draws; row h * samples + s. typeProbs: P(type | drawn time), [n * K]. */
  sampleAfter(histories: EventSequence[], samples: number, rng: Rng): { gaps: Float64Array; types: Int32Array; typeProbs: Float64Array };
}

export interface EachNextPredictions {
  /** Predicted mean gap per scored event (positions 1..L-1 of every sequence, in order). */
  gapMean: Float64Array;
  /** One sampled gap per scored event (EasyTPP's single thinning draw). */
  gapDraw: Float64Array;
  typePred: Int32Array;
  trueGap: Float64Array;
  trueType: Int32Array;
}

/** Mean and quantiles from draws; type probabilities averaged over the draws (P(k | t) integrated over t). */
export function summariseDraws(lastTime: number, gaps: ArrayLike<number>, typeProbs: ArrayLike<number>, K: number, levels: number[], exactMean?: number): NextEventPrediction {
  const n = gaps.length;
  const sorted = Float64Array.from(gaps).sort();
  const mean = exactMean ?? sorted.reduce((a, b) => a + b, 0) / n;
  const probs = new Array(K).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) probs[k] += typeProbs[i * K + k] / n;
  const gapQuantiles: Record<string, number> = {};
  const timeQuantiles: Record<string, number> = {};
  for (const q of levels) {
    gapQuantiles[String(q)] = quantile(sorted, q);
    timeQuantiles[String(q)] = lastTime + gapQuantiles[String(q)];
  }
  let type = 0;
  for (let k = 1; k < K; k++) if (probs[k] > probs[type]) type = k;
  return { gapMean: mean, timeMean: lastTime + mean, gapQuantiles, timeQuantiles, typeProbs: probs, type };
}

export function checkPredictOptions(o: PredictOptions): { samples: number; levels: number[] } {
  const samples = o.samples ?? 200;
  const levels = o.quantiles ?? [0.1, 0.5, 0.9];
  const details = [];
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= 100_000)) details.push({ field: 'samples', reason: 'an integer in [1, 100000]' });
  if (levels.some((q) => !(q > 0 && q < 1))) details.push({ field: 'quantiles', reason: 'levels must lie in (0, 1)' });
  if (details.length) throw new ValidationFailed('Invalid prediction options', details);
  return { samples, levels };
}

export function predictNextFrom(sampler: NextEventSampler, history: EventSequence, o: PredictOptions = {}): NextEventPrediction {
  const { samples, levels } = checkPredictOptions(o);
  const r = sampler.sampleAfter([history], samples, new Rng(o.seed ?? 0));
  return summariseDraws(history.times[history.times.length - 1], r.gaps, r.typeProbs, sampler.numTypes, levels);
}

export function checkGenerateOptions(o: GenerateOptions, lastTime: number): void {
  const details = [];
  if (o.horizon === undefined && o.count === undefined) details.push({ field: 'horizon', reason: 'give horizon or count' });
  if (o.horizon !== undefined && !(o.horizon > lastTime)) details.push({ field: 'horizon', reason: `must be after the history's last event (${lastTime})` });
  if (o.count !== undefined && !(Number.isInteger(o.count) && o.count >= 1 && o.count <= 10_000)) details.push({ field: 'count', reason: 'an integer in [1, 10000]' });
  const s = o.samples ?? 1;
  if (!(Number.isInteger(s) && s >= 1 && s <= 10_000)) details.push({ field: 'samples', reason: 'an integer in [1, 10000]' });
  if (details.length) throw new ValidationFailed('Invalid generation options', details);
}

/** Autoregressive continuations: each draw is appended and conditions the next. */
export function generateFrom(sampler: NextEventSampler, history: EventSequence, o: GenerateOptions): GeneratedContinuations {
  const last = history.times[history.times.length - 1];
  checkGenerateOptions(o, last);
  const S = o.samples ?? 1;
  const limit = o.count ?? o.maxEvents ?? 1000;
  const rng = new Rng(o.seed ?? 0);
  const paths = Array.from({ length: S }, () => ({ times: history.times.slice(), types: history.types.slice() }));
  const out = Array.from({ length: S }, () => ({ times: [] as number[], types: [] as number[] }));
  let active = paths.map((_, i) => i);
  for (let step = 0; step < limit && active.length; step++) {
    const r = sampler.sampleAfter(active.map((i) => paths[i]), 1, rng);
    const still: number[] = [];
    active.forEach((i, a) => {
      const t = paths[i].times[paths[i].times.length - 1] + r.gaps[a];
      if (o.horizon !== undefined && t >= o.horizon) return;
      paths[i].times.push(t);
      paths[i].types.push(r.types[a]);
      out[i].times.push(t);
      out[i].types.push(r.types[a]);
      still.push(i);
    });
    active = still;
  }
  return { samples: out };
}

/** One-step predictions at every position by re-conditioning on each prefix (for cheap models). */
export function predictEachNextByPrefix(sampler: NextEventSampler, sequences: EventSequence[], samples: number, seed: number): EachNextPredictions {
  const histories: EventSequence[] = [];
  const trueGap: number[] = [];
  const trueType: number[] = [];
  for (const s of sequences) for (let i = 1; i < s.times.length; i++) {
    histories.push({ times: s.times.slice(0, i), types: s.types.slice(0, i) });
    trueGap.push(s.times[i] - s.times[i - 1]);
    trueType.push(s.types[i]);
  }
  const K = sampler.numTypes;
  const r = sampler.sampleAfter(histories, samples, new Rng(seed));
  const n = histories.length;
  const gapMean = new Float64Array(n);
  const gapDraw = new Float64Array(n);
  const typePred = new Int32Array(n);
  for (let h = 0; h < n; h++) {
    const probs = new Float64Array(K);
    for (let s = 0; s < samples; s++) {
      gapMean[h] += r.gaps[h * samples + s] / samples;
      for (let k = 0; k < K; k++) probs[k] += r.typeProbs[(h * samples + s) * K + k];
    }
    gapDraw[h] = r.gaps[h * samples];
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[k] > probs[best]) best = k;
    typePred[h] = best;
  }
  return { gapMean, gapDraw, typePred, trueGap: Float64Array.from(trueGap), trueType: Int32Array.from(trueType) };
}
