import { ValidationFailed, WorkContext } from '@seqcast/core';
import { Rng, Trainer, TrainDataset } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { validateHistory } from '../data/dataset-utils';
import { otd } from '../metrics/otd';
import { AttNhpModel } from '../models/attnhp';
import { EachNextPredictions } from '../sampling/predict';
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
import { HorizonWindow, generateMany, horizonWindows, joined, lastEvents } from './continuations';
import { EnergyNetwork } from './energy-network';
import { energyLoss } from './energy-losses';
import { HyproConfig } from './hypro-config';

/** A model that picks among proposed continuations (HYPRO): what `rerank` and the horizon evaluation ask for. */
export interface RerankingEventModel extends EventModel {
  /** For each history, the lowest-energy of `proposals` (default the model's own) base continuations of `count` events. */
  rerankMany(histories: EventSequence[], count: number, seed: number, proposals?: number): EventSequence[];
}

export function canRerank(m: EventModel): m is RerankingEventModel {
  return typeof (m as Partial<RerankingEventModel>).rerankMany === 'function';
}

/** The energy's training set: each window's true continuation first, then the base's proposals; their OTD from the truth. */
interface EnergyExamples {
  windows: HorizonWindow[];
  proposals: EventSequence[][];
  margins: Float32Array;
}

const BASE = 'base.';
const ENERGY = 'energy.';

/**
 * HYPRO (Xue et al. 2022, "HYPRO: A Hybridly Normalized Probabilistic Model for Long-Horizon
 * Prediction of Event Sequences"): an autoregressive base (AttNHP) proposes continuations;
 * an energy network scores history + continuation; the model's distribution over
 * continuations is the base's reweighted by exp(-E), and generation keeps the lowest-energy
 * of `proposals` base samples (the paper's inference). Training: the base by maximum
 * likelihood, then, with the base fixed, the energy on windows of the training sequences
 * against `trainProposals` base continuations each (drawn once before training, as the
 * reference code does), with the binary, multi-NCE or hinge objective (energy-losses.ts).
 * One-step quantities (likelihood, intensity, next-event prediction) are the base's: the
 * energy is defined on whole continuations only.
 * Simplified from the paper: the energy sees the last `energyContext` history events
 * rather than the whole history (its cost grows with the length), and its encoder is a
 * fresh AttNHP-style event encoder rather than one initialised from the base.
 */
export class HyproModel implements RerankingEventModel {
  readonly kind = 'hypro';
  readonly base: AttNhpModel;
  readonly energy: EnergyNetwork;

  constructor(
    readonly numTypes: number,
    readonly config: HyproConfig,
  ) {
    this.base = new AttNhpModel(numTypes, config);
    this.energy = new EnergyNetwork(
      numTypes,
      { hidden: config.hidden, heads: config.heads, layers: config.layers, nullKey: config.nullKey },
      config.seed + 7919,
    );
  }

  async fit(train: EventDataset, dev: EventDataset | null, ctx: WorkContext): Promise<FitResult> {
    const c = this.config;
    const baseFit = await this.base.fit(train, dev, {
      ...ctx,
      progress: (f, msg) => ctx.progress(0.5 * f, `base: ${msg ?? ''}`),
    });
    ctx.progress(0.5, 'energy: drawing proposals');
    const ex = this.examples(train.sequences, new Rng(c.seed + 17));
    if (!ex.windows.length) {
      throw new ValidationFailed('No training sequence is long enough for an energy window', [
        {
          field: 'horizonEvents',
          reason: `needs sequences of at least minHistory + horizonEvents = ${c.minHistory + c.horizonEvents} events`,
        },
      ]);
    }
    // dev windows, when the dev set has any, stop the energy's training where their loss is lowest
    const devEx =
      dev && c.energyPatience > 0
        ? this.examples(dev.sequences, new Rng(c.seed + 29), Math.ceil(c.maxWindows / 4))
        : null;
    const useDev = devEx !== null && devEx.windows.length > 0;
    const dataset: TrainDataset<number[]> = { size: ex.windows.length, batch: (rows) => rows };
    const trainer = new Trainer({
      epochs: c.energyEpochs,
      batchSize: c.energyBatchSize,
      learningRate: c.energyLearningRate,
      seed: c.seed,
      clipNorm: c.clipNorm > 0 ? c.clipNorm : undefined,
      earlyStopping: useDev ? { patience: c.energyPatience, restoreBest: true } : undefined,
    });
    const history = await trainer.fit(
      {
        params: this.energy.params.list(),
        train: dataset,
        loss: (rows) => this.lossOn(ex, rows),
        validate: useDev ? () => this.meanLoss(devEx) : undefined,
      },
      { ...ctx, progress: (f, msg) => ctx.progress(0.55 + 0.45 * f, `energy: ${msg ?? ''}`) },
    );
    const offset = baseFit.epochs.length;
    const energyEpochs = history.epochs.map((e) => ({
      epoch: offset + e.epoch,
      loss: e.loss,
      seconds: e.seconds,
    }));
    return {
      ...baseFit,
      epochs: [...baseFit.epochs, ...energyEpochs],
      seconds: baseFit.seconds + history.seconds,
    };
  }

  /** The configured energy loss on windows `rows` of `ex` (differentiable). */
  private lossOn(ex: EnergyExamples, rows: number[]): tf.Scalar {
    const c = this.config;
    const M = c.trainProposals;
    const contexts = rows.map((r) => lastEvents(ex.windows[r].history, c.energyContext));
    const seqs = rows.flatMap((r, i) =>
      [ex.windows[r].truth, ...ex.proposals[r]].map((s) => joined(contexts[i], s)),
    );
    const lengths = rows.flatMap((_, i) => new Array<number>(1 + M).fill(contexts[i].times.length));
    const e = tf.reshape(this.energy.energies(seqs, this.base.timeScale, lengths), [
      rows.length,
      1 + M,
    ]) as tf.Tensor2D;
    const m = tf.tensor2d(
      Float32Array.from(rows.flatMap((r) => Array.from(ex.margins.subarray(r * M, (r + 1) * M)))),
      [rows.length, M],
    );
    return energyLoss(e, m, c.energyLoss, c.hingeWeight);
  }

  /** The loss averaged over every window of `ex` (validation). */
  private meanLoss(ex: EnergyExamples): number {
    const n = ex.windows.length;
    let total = 0;
    for (let s = 0; s < n; s += 32) {
      const rows = Array.from({ length: Math.min(32, n - s) }, (_, i) => s + i);
      const l = tf.tidy(() => this.lossOn(ex, rows));
      total += l.dataSync()[0] * rows.length;
      l.dispose();
    }
    return total / n;
  }

  /** Training windows, the base's proposals for each and their distances from the truth. */
  examples(sequences: EventSequence[], rng: Rng, maxWindows = this.config.maxWindows): EnergyExamples {
    const c = this.config;
    let windows: HorizonWindow[] = [];
    for (let w = 0; w < c.windowsPerSequence; w++)
      windows.push(...horizonWindows(sequences, c.horizonEvents, c.minHistory, rng));
    if (windows.length > maxWindows) windows = rng.shuffle(windows).slice(0, maxWindows);
    const proposals = generateMany(
      this.base,
      windows.map((w) => w.history),
      c.horizonEvents,
      c.trainProposals,
      rng,
    );
    const margins = new Float32Array(windows.length * c.trainProposals);
    windows.forEach((w, i) =>
      proposals[i].forEach((p, m) => (margins[i * c.trainProposals + m] = otd(p, w.truth, this.numTypes))),
    );
    return { windows, proposals, margins };
  }

  /** Energies of continuations after a history (lower: judged more like real data). */
  energyOf(history: EventSequence, continuations: EventSequence[]): Float64Array {
    const h = lastEvents(history, this.config.energyContext);
    return this.energy.score(
      continuations.map((s) => joined(h, s)),
      this.base.timeScale,
      continuations.map(() => h.times.length),
    );
  }

  private lowest(history: EventSequence, candidates: EventSequence[]): EventSequence {
    const e = this.energyOf(history, candidates);
    let best = 0;
    for (let i = 1; i < e.length; i++) if (e[i] < e[best]) best = i;
    return candidates[best];
  }

  rerankMany(
    histories: EventSequence[],
    count: number,
    seed: number,
    proposals = this.config.proposals,
  ): EventSequence[] {
    const all = generateMany(this.base, histories, count, proposals, new Rng(seed));
    return histories.map((h, i) => this.lowest(h, all[i]));
  }

  /** `rerank.proposals` (default the config's `proposals`) base continuations per returned one, the lowest-energy kept. */
  generate(history: EventHistory, options: GenerateOptions): GeneratedContinuations {
    validateHistory(history, this.numTypes);
    const P = options.rerank?.proposals ?? this.config.proposals;
    if (!(Number.isInteger(P) && P >= 1 && P <= 1000))
      throw new ValidationFailed('Invalid generation options', [
        { field: 'rerank.proposals', reason: 'an integer in [1, 1000]' },
      ]);
    const S = options.samples ?? 1;
    const drawn = this.base.generate(history, { ...options, rerank: undefined, samples: S * P }).samples;
    return {
      samples: Array.from({ length: S }, (_, s) => this.lowest(history, drawn.slice(s * P, (s + 1) * P))),
    };
  }

  // one-step quantities: the base's

  sampleAfter(histories: EventSequence[], samples: number, rng: Rng) {
    return this.base.sampleAfter(histories, samples, rng);
  }

  logLikelihood(
    data: EventDataset | EventSequence[],
    options?: { integralPoints?: number; seed?: number },
  ): LogLikelihoodResult {
    return this.base.logLikelihood(data, options);
  }

  intensity(history: EventHistory, t: number): number[] {
    return this.base.intensity(history, t);
  }

  intensityAt(history: EventHistory, times: number[]): number[][] {
    return this.base.intensityAt(history, times);
  }

  intensityAlong(sequence: EventSequence, times: number[]): number[][] {
    return this.base.intensityAlong(sequence, times);
  }

  sampleNext(history: EventHistory, options?: { samples?: number; seed?: number }): NextEventSample[] {
    return this.base.sampleNext(history, options);
  }

  predictNext(history: EventHistory, options?: PredictOptions): NextEventPrediction {
    return this.base.predictNext(history, options);
  }

  predictEachNext(
    sequences: EventSequence[],
    options?: { samples?: number; seed?: number },
  ): EachNextPredictions {
    return this.base.predictEachNext(sequences, options);
  }

  toArtifact(): EventModelArtifact {
    const b = this.base.toArtifact();
    const weights: EventModelArtifact['weights'] = {};
    for (const [k, v] of Object.entries(b.weights)) weights[BASE + k] = v;
    for (const [k, v] of Object.entries(this.energy.params.dump())) weights[ENERGY + k] = v;
    return {
      kind: this.kind,
      config: { ...this.config } as Record<string, unknown>,
      numTypes: this.numTypes,
      state: b.state,
      weights,
    };
  }

  loadArtifact(a: EventModelArtifact): void {
    const part = (prefix: string) =>
      Object.fromEntries(
        Object.entries(a.weights)
          .filter(([k]) => k.startsWith(prefix))
          .map(([k, v]) => [k.slice(prefix.length), v]),
      );
    this.base.loadArtifact({ ...a, kind: 'attnhp', weights: part(BASE) });
    this.energy.params.load(part(ENERGY));
  }

  dispose(): void {
    this.base.dispose();
    this.energy.dispose();
  }
}
