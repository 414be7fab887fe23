import { WorkContext } from '@seqcast/core';
import { Rng } from '@seqcast/tensor';
import { validateHistory } from '../data/dataset-utils';
import { EachNextPredictions, NextEventSampler, generateFrom, predictEachNextByPrefix, predictNextFrom } from '../sampling/predict';
import { IntensityEvaluator, thinningSample } from '../sampling/thinning';
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
import { HawkesParams, validateHawkesParams } from './hawkes-params';
import { hawkesIntensity } from './intensity';
import { hawkesLogLikelihood } from './log-likelihood';

/**
 * A Hawkes process with known parameters as an EventModel: the ground truth rows of the
 * evaluation (its LL is the ceiling, its conditional mean the best RMSE). `fit` does nothing.
 * Sampling is exact: thinning with the intensity right after the last event as the bound
 * (valid because exponential kernels only decay between events).
 */
export class HawkesModel implements EventModel, NextEventSampler {
  readonly kind = 'hawkes';
  readonly numTypes: number;

  constructor(
    readonly params: HawkesParams,
    readonly config: Record<string, unknown> = {},
  ) {
    validateHawkesParams(params);
    this.numTypes = params.mu.length;
  }

  async fit(_train: EventDataset, _dev: EventDataset | null, ctx: WorkContext): Promise<FitResult> {
    ctx.progress(1, 'ground truth: nothing to fit');
    return { epochs: [], seconds: 0, secondsPerEpoch: 0 };
  }

  logLikelihood(data: EventDataset | EventSequence[]): LogLikelihoodResult {
    return hawkesLogLikelihood(this.params, Array.isArray(data) ? data : data.sequences);
  }

  intensity(history: EventHistory, t: number): number[] {
    validateHistory(history, this.numTypes);
    return hawkesIntensity(this.params, history.times, history.types, t);
  }

  evaluatorFor(histories: EventSequence[]): IntensityEvaluator {
    const K = this.numTypes;
    return {
      numTypes: K,
      evaluate: (ctx, dt) => {
        const out = new Float64Array(ctx.length * K);
        for (let i = 0; i < ctx.length; i++) {
          const h = histories[ctx[i]];
          const lam = hawkesIntensity(this.params, h.times, h.types, h.times[h.times.length - 1] + dt[i]);
          for (let k = 0; k < K; k++) out[i * K + k] = lam[k];
        }
        return out;
      },
      upperBound: (ctx) =>
        Float64Array.from(ctx, (c) => {
          const h = histories[c];
          // right after the last event, counting it
          return hawkesIntensity(this.params, h.times, h.types, h.times[h.times.length - 1] + 1e-12).reduce((a, b) => a + b, 0);
        }),
    };
  }

  sampleAfter(histories: EventSequence[], samples: number, rng: Rng) {
    return thinningSample(this.evaluatorFor(histories), histories.length, samples, rng, { numExp: 100000, dtimeMax: 1e9 });
  }

  sampleNext(history: EventHistory, options: { samples?: number; seed?: number } = {}): NextEventSample[] {
    validateHistory(history, this.numTypes);
    const r = this.sampleAfter([history], options.samples ?? 1, new Rng(options.seed ?? 0));
    return Array.from(r.gaps, (gap, i) => ({ gap, type: r.types[i] }));
  }

  predictNext(history: EventHistory, options: PredictOptions = {}): NextEventPrediction {
    validateHistory(history, this.numTypes);
    return predictNextFrom(this, history, options);
  }

  generate(history: EventHistory, options: GenerateOptions): GeneratedContinuations {
    validateHistory(history, this.numTypes);
    return generateFrom(this, history, options);
  }

  predictEachNext(sequences: EventSequence[], options: { samples?: number; seed?: number } = {}): EachNextPredictions {
    return predictEachNextByPrefix(this, sequences, options.samples ?? 50, options.seed ?? 7);
  }

  toArtifact(): EventModelArtifact {
    return { kind: this.kind, config: { ...this.config, params: this.params }, numTypes: this.numTypes, state: {}, weights: {} };
  }

  dispose(): void {}
}
