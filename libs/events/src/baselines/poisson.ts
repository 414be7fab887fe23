import { WorkContext } from '@seqcast/core';
import { Rng } from '@seqcast/tensor';
import { countScoredEvents, validateEventDataset, validateHistory } from '../data/dataset-utils';
import { EachNextPredictions, NextEventSampler, generateFrom, predictEachNextByPrefix, predictNextFrom } from '../sampling/predict';
import {
  EventDataset,
  EventHistory,
  EventModel,
  EventModelArtifact,
  EventSequence,
  FitResult,
  GenerateOptions,
  GeneratedContinuations,
  LogLikelihoodResult,
  NextEventPrediction,
  NextEventSample,
  PredictOptions,
} from '../types';

/**
 * Each type's maximum-likelihood rate over (t_1, t_L] of every sequence with two events:
 * events of the type after the first / observed time (a type never seen counts half an
 * event, so no rate is 0).
 */
export function poissonRates(sequences: EventSequence[], numTypes: number): number[] {
  const counts = new Array(numTypes).fill(0);
  let time = 0;
  for (const s of sequences) {
    if (s.times.length < 2) continue;
    time += s.times[s.times.length - 1] - s.times[0];
    for (let i = 1; i < s.types.length; i++) counts[s.types[i]]++;
  }
  return counts.map((c) => Math.max(c, 0.5) / Math.max(time, 1e-12));
}

/**
 * Homogeneous Poisson process per type, rates by maximum likelihood (count / observed
 * time over (t_1, t_L] of every sequence): the floor every model must beat.
 */
export class PoissonModel implements EventModel, NextEventSampler {
  readonly kind = 'poisson';
  rates: number[];

  constructor(
    readonly numTypes: number,
    readonly config: Record<string, unknown> = {},
  ) {
    this.rates = new Array(numTypes).fill(1);
  }

  async fit(train: EventDataset, _dev: EventDataset | null, ctx: WorkContext): Promise<FitResult> {
    const t0 = Date.now();
    validateEventDataset(train, 'train');
    this.rates = poissonRates(train.sequences, this.numTypes);
    ctx.progress(1, 'fitted');
    const seconds = (Date.now() - t0) / 1000;
    return { epochs: [{ epoch: 1, loss: -this.logLikelihood(train).perEvent, seconds }], seconds, secondsPerEpoch: seconds };
  }

  logLikelihood(data: EventDataset | EventSequence[]): LogLikelihoodResult {
    const seqs = Array.isArray(data) ? data : data.sequences;
    const total = this.rates.reduce((a, b) => a + b, 0);
    let eventTerm = 0;
    let integralTerm = 0;
    for (const s of seqs) {
      if (s.times.length < 2) continue;
      for (let i = 1; i < s.types.length; i++) eventTerm += Math.log(this.rates[s.types[i]]);
      integralTerm += total * (s.times[s.times.length - 1] - s.times[0]);
    }
    const events = countScoredEvents(seqs);
    return { total: eventTerm - integralTerm, events, perEvent: (eventTerm - integralTerm) / events, eventTerm, integralTerm };
  }

  intensity(history: EventHistory): number[] {
    validateHistory(history, this.numTypes);
    return this.rates.slice();
  }

  sampleAfter(histories: EventSequence[], samples: number, rng: Rng) {
    const K = this.numTypes;
    const total = this.rates.reduce((a, b) => a + b, 0);
    const n = histories.length * samples;
    const gaps = new Float64Array(n);
    const types = new Int32Array(n);
    const typeProbs = new Float64Array(n * K);
    for (let r = 0; r < n; r++) {
      gaps[r] = -Math.log(1 - rng.next()) / total;
      let u = rng.next() * total;
      let k = 0;
      while (k < K - 1 && u >= this.rates[k]) u -= this.rates[k++];
      types[r] = k;
      for (let q = 0; q < K; q++) typeProbs[r * K + q] = this.rates[q] / total;
    }
    return { gaps, types, typeProbs };
  }

  sampleNext(history: EventHistory, options: { samples?: number; seed?: number } = {}): NextEventSample[] {
    validateHistory(history, this.numTypes);
    const r = this.sampleAfter([history], options.samples ?? 1, new Rng(options.seed ?? 0));
    return Array.from(r.gaps, (gap, i) => ({ gap, type: r.types[i] }));
  }

  predictNext(history: EventHistory, options: PredictOptions = {}): NextEventPrediction {
    validateHistory(history, this.numTypes);
    const p = predictNextFrom(this, history, options);
    const mean = 1 / this.rates.reduce((a, b) => a + b, 0);
    return { ...p, gapMean: mean, timeMean: history.times[history.times.length - 1] + mean };
  }

  generate(history: EventHistory, options: GenerateOptions): GeneratedContinuations {
    validateHistory(history, this.numTypes);
    return generateFrom(this, history, options);
  }

  predictEachNext(sequences: EventSequence[], options: { samples?: number; seed?: number } = {}): EachNextPredictions {
    const r = predictEachNextByPrefix(this, sequences, options.samples ?? 50, options.seed ?? 7);
    r.gapMean.fill(1 / this.rates.reduce((a, b) => a + b, 0));
    return r;
  }

  toArtifact(): EventModelArtifact {
    return { kind: this.kind, config: { ...this.config }, numTypes: this.numTypes, state: Object.fromEntries(this.rates.map((r, k) => [`rate${k}`, r])), weights: {} };
  }

  loadArtifact(a: EventModelArtifact): void {
    this.rates = Array.from({ length: this.numTypes }, (_, k) => a.state[`rate${k}`]);
  }

  dispose(): void {}
}
