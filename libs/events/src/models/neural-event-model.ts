import { ValidationFailed, WorkContext } from '@seqcast/core';
import { Rng, Trainer, TrainDataset } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { countScoredEvents, meanGap, validateEventDataset, validateHistory } from '../data/dataset-utils';
import { EventBatch, lengthBuckets, makeEventBatch } from '../data/event-batch';
import { ParamStore } from '../nn/params';
import { EachNextPredictions, NextEventSampler, generateFrom, predictNextFrom } from '../sampling/predict';
import { lastEventAtOrBefore } from '../sampling/intensity-along';
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
import { fusedSampledTerms } from '../nn/fused-sampled-terms';
import { poissonRates } from '../baselines/poisson';
import { NeuralTrainingConfig } from './training-config';
import { trainingPlan } from './training-plan';

/**
 * The encoded histories of a batch. Position j of sequence b summarises events 0..j and
 * defines the intensity for t > t_j. perPos tensors are [B, P, ...]; perSeq tensors are
 * [B, ...] (what continuous-time attention looks back at); pos [B, P] is j itself.
 */
export interface Context {
  perPos: tf.Tensor[];
  perSeq: tf.Tensor[];
  pos: tf.Tensor2D;
}

/** Exact per-position terms: log lambda_{k_{j+1}}(t_{j+1}) (or log density) and the compensator over the gap. */
export interface ExactTerms {
  logEvent: tf.Tensor2D;
  integral: tf.Tensor2D;
}

const CHUNK_SEQS = 64;

/** tf.tidy for a Context (its tensors survive the scope). */
function tidyContext(fn: () => Context): Context {
  const out = tf.tidy(() => {
    const c = fn();
    return { perPos: c.perPos, perSeq: c.perSeq, pos: c.pos } as unknown as tf.TensorContainer;
  });
  return out as unknown as Context;
}
const CHUNK_POINTS = 8192;

/**
 * Shared machinery of the neural TPPs: time rescaling, the log-likelihood with a sampled
 * (stratified Monte Carlo, unbiased) or exact integral, training through the shared
 * Trainer, thinning or exact sampling, prediction and generation. A model supplies
 * `encode`, `intensities` and optionally `exactTerms`, `sampleExact`, `exactMean`.
 *
 * Internally times are divided by `timeScale` (the mean training gap) so that initial
 * weights suit any unit; reported log-likelihoods are converted back (each event's
 * density picks up -log timeScale).
 */
export abstract class NeuralEventModel<C extends NeuralTrainingConfig = NeuralTrainingConfig> implements EventModel, NextEventSampler {
  protected readonly params: ParamStore;
  protected readonly rng: Rng;
  /** Data-derived constants saved with the weights. */
  state: Record<string, number> = { timeScale: 1, dtimeMax: 0 };

  constructor(
    readonly kind: string,
    readonly numTypes: number,
    readonly config: C,
  ) {
    if (!(Number.isInteger(numTypes) && numTypes >= 1)) throw new ValidationFailed('numTypes must be a positive integer', [{ field: 'numTypes', reason: 'must be a positive integer' }]);
    this.rng = new Rng(config.seed);
    this.params = new ParamStore(this.rng);
    // until fit sets it from data: EasyTPP's default, in data units
    this.state.dtimeMax = config.dtimeMax > 0 ? config.dtimeMax : 5;
  }

  // ---- what a model supplies -------------------------------------------------------------

  protected abstract encode(batch: EventBatch, training: boolean): Context;
  /** Per-type intensities [B, P, S, K] at scaled gaps dt [B, P, S] after each position. */
  protected abstract intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D;
  /** Exact terms given the next gaps and types [B, P] (types == numTypes where padded). */
  protected exactTerms?(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms;
  /**
   * The sampled terms in one fused op, where a model has one (null: the generic path
   * below): logEvent and integral [B, P] from the next gaps and types and the stratified
   * uniforms u [B, P, G]; the same values as the generic path.
   */
  protected sampledTerms?(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D, u: tf.Tensor3D): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } | null;
  /** Exact draws for n contexts (B = n, P = 1), scaled gaps. */
  protected sampleExact?(ctx: Context, n: number, samples: number, rng: Rng): { gaps: Float64Array; types: Int32Array; typeProbs: Float64Array };
  /** Exact conditional mean gap (scaled) for n contexts (B = n, P = 1). */
  protected exactMean?(ctx: Context): Float64Array;
  /**
   * Sets the weights so that the untrained model is (or, where the architecture cannot
   * hold it exactly, is within a fraction of a percent of) the homogeneous Poisson process
   * with these per-type rates, in the model's time unit. Called by fit when config.init
   * is 'baseline', after prepareData. Where the history's weights feed the output only
   * through layers set to zero here, the first steps move those layers first.
   */
  protected abstract initAtBaseline(rates: number[]): void;
  /** Data statistics a model needs before training (called once by fit). */
  protected prepareData?(train: EventSequence[]): void;
  /**
   * Whether each training sequence's times, where the temporal encoding sees them, get a
   * random offset (THP's and SAHP's `randomTimeShift`); evaluation and prediction get none.
   */
  protected randomTimeShift(_trainSequences: number): boolean {
    return false;
  }

  // ---- shared parts ------------------------------------------------------------------------

  get timeScale(): number {
    return this.state.timeScale;
  }

  protected batchOf(sequences: EventSequence[]): EventBatch {
    return makeEventBatch(sequences, this.numTypes, this.state.timeScale);
  }

  /** next gaps / types / mask for each position (the last position gets padding). */
  protected shifted(batch: EventBatch): { nextGaps: tf.Tensor2D; nextTypes: tf.Tensor2D; nextMask: tf.Tensor2D } {
    const [B, T] = batch.gaps.shape;
    const tail = <R extends tf.Tensor2D>(x: R, pad: tf.Tensor2D) => (T > 1 ? tf.concat([tf.slice(x, [0, 1], [B, T - 1]), pad], 1) : pad) as tf.Tensor2D;
    return {
      nextGaps: tail(batch.gaps, tf.zeros([B, 1])),
      nextTypes: tail(batch.types, tf.fill([B, 1], this.numTypes, 'int32') as tf.Tensor2D),
      nextMask: tail(batch.mask, tf.zeros([B, 1])),
    };
  }

  /** Stratified uniforms in (0, 1): one point in each of G equal cells, so the integral estimate is unbiased. */
  protected stratified(shape: [number, number], G: number, seed: number): tf.Tensor3D {
    const u = tf.randomUniform([shape[0], shape[1], G], 0, 1, 'float32', seed);
    const offsets = tf.range(0, G).reshape([1, 1, G]);
    return tf.div(tf.add(u, offsets), G) as tf.Tensor3D;
  }

  /** [B, P] log-intensity-at-event and compensator terms, and the mask of scored positions. */
  protected terms(batch: EventBatch, G: number, training: boolean, seed: number, forceSampled = false): { logEvent: tf.Tensor2D; integral: tf.Tensor2D; mask: tf.Tensor2D } {
    const ctx = this.encode(batch, training);
    const { nextGaps, nextTypes, nextMask } = this.shifted(batch);
    if (this.exactTerms && !forceSampled) {
      const e = this.exactTerms(ctx, nextGaps, nextTypes);
      return { ...e, mask: nextMask };
    }
    const [B, P] = nextGaps.shape;
    const u = this.stratified([B, P], G, seed);
    const fused = this.sampledTerms?.(ctx, nextGaps, nextTypes, u);
    if (fused) return { ...fused, mask: nextMask };
    return { ...this.termsFromIntensities((dt) => this.intensities(ctx, dt), nextGaps, nextTypes, u), mask: nextMask };
  }

  /** The sampled terms from an intensity function of the gaps [B, P, S] (the generic path). */
  protected termsFromIntensities(
    intensities: (dt: tf.Tensor3D) => tf.Tensor4D,
    nextGaps: tf.Tensor2D,
    nextTypes: tf.Tensor2D,
    u: tf.Tensor3D,
  ): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } {
    const g = tf.expandDims(nextGaps, -1);
    // two calls (at the events; on the grid) rather than one on their concatenation: slicing
    // a [B, P, G+1, K] result on axis 2 (and the padding in its gradient) cost tfjs-cpu more
    // than a second call
    const atEvent = tf.squeeze(intensities(g as tf.Tensor3D), [2]) as tf.Tensor3D; // [B, P, K]
    const grid = intensities(tf.mul(u, g) as tf.Tensor3D); // [B, P, G, K]
    // log(lambda_k'(g) + 1e-9) and g mean_s sum_k lambda_k(u_s g), one op (fused-sampled-terms.ts)
    return fusedSampledTerms(atEvent, grid, nextGaps, nextTypes);
  }

  protected lossOf(batch: EventBatch, training: boolean, seed: number): tf.Scalar {
    const { logEvent, integral, mask } = this.terms(batch, this.config.integralPoints, training, seed);
    const ll = tf.sum(tf.mul(tf.sub(logEvent, integral), mask));
    return tf.neg(tf.div(ll, tf.maximum(tf.sum(mask), 1))) as tf.Scalar;
  }

  async fit(train: EventDataset, dev: EventDataset | null, ctx: WorkContext): Promise<FitResult> {
    validateEventDataset(train, 'train');
    if (train.numTypes > this.numTypes) throw new ValidationFailed('The data has more types than the model', [{ field: 'numTypes', reason: `data has ${train.numTypes}, model ${this.numTypes}` }]);
    const seqs = train.sequences.filter((s) => s.times.length >= 2);
    if (!seqs.length) throw new ValidationFailed('No training sequence has two events', [{ field: 'train', reason: 'every sequence needs at least 2 events' }]);
    const c = this.config;
    this.state.timeScale = c.timeScale > 0 ? c.timeScale : meanGap(seqs);
    let maxGap = 0;
    for (const s of seqs) for (let i = 1; i < s.times.length; i++) maxGap = Math.max(maxGap, s.times[i] - s.times[i - 1]);
    this.state.dtimeMax = c.dtimeMax > 0 ? c.dtimeMax : 1.5 * maxGap;
    this.prepareData?.(seqs);
    if (c.init === 'baseline') this.initAtBaseline(this.baselineRates(seqs));
    const stepRng = new Rng(c.seed + 1);
    // batches of similar length: padded positions cost as much as real ones (1.8x on the Hawkes data)
    // the random shift of the encoded times spans the longest training sequence: every
    // training event is then seen at times over a whole sequence's range, and training
    // encodes times up to twice that span, so sequences as long (unshifted in evaluation)
    // encode nothing training did not
    const shift = this.randomTimeShift(seqs.length) ? seqs.reduce((m, s) => Math.max(m, s.times[s.times.length - 1] - s.times[0]), 0) / this.state.timeScale : 0;
    const batchOf = (rows: number[]): EventBatch => {
      const batch = this.batchOf(rows.map((r) => seqs[r]));
      if (!(shift > 0)) return batch;
      // drawn from the step stream, which a checkpoint saves, so a resumed run shifts as the uninterrupted one
      const offsets = Float32Array.from(rows, () => stepRng.next() * shift);
      return { ...batch, timeOffsets: tf.tensor2d(offsets, [rows.length, 1]) };
    };
    const dataset: TrainDataset<EventBatch> = { size: seqs.length, batch: batchOf, lengthOf: (r) => seqs[r].times.length };
    const devSeqs = dev?.sequences.filter((s) => s.times.length >= 2) ?? [];
    const trainer = new Trainer(trainingPlan(c, seqs.length, devSeqs.length > 0));
    const history = await trainer.fit(
      {
        params: this.params.list(),
        train: dataset,
        loss: (batch, training) => this.lossOf(batch, training, stepRng.fork()),
        validate: devSeqs.length ? () => -this.logLikelihood(devSeqs, { integralPoints: c.integralPoints, seed: c.seed }).perEvent : undefined,
        // the integral's sampling stream, so a run resumed from a checkpoint draws as the uninterrupted one
        state: { save: () => stepRng.state32, restore: (s) => void stepRng.restore(s as number) },
      },
      ctx,
    );
    const bestEpoch = devSeqs.length && c.earlyStopping && c.baselineFallback && history.bestMetric !== undefined ? this.fallBackToBaseline(seqs, devSeqs, history.bestMetric, history.bestEpoch) : history.bestEpoch;
    const epochs = history.epochs.map((e) => ({ epoch: e.epoch, loss: e.loss, valMetric: e.valMetric, seconds: e.seconds }));
    // an epoch's seconds are its training steps and its validation pass (the dev set's log-likelihood)
    const secondsPerEpoch = epochs.length ? epochs.reduce((a, e) => a + e.seconds, 0) / epochs.length : 0;
    return { epochs, bestEpoch, seconds: history.seconds, secondsPerEpoch, ...(history.resumedFrom ? { resumedFrom: history.resumedFrom } : {}) };
  }

  /** The training sequences' Poisson rates per type, in the model's time unit (what initAtBaseline takes). */
  private baselineRates(train: EventSequence[]): number[] {
    return poissonRates(train, this.numTypes).map((r) => r * this.state.timeScale);
  }

  /**
   * The Poisson fit as one more candidate of early stopping: its weights (initAtBaseline on
   * the trained ones) are scored on the dev set as validation scores an epoch, and kept if
   * they beat the best epoch's `bestMetric` (-LL per dev event). On a few short sequences a
   * trained model can end below Poisson on dev (EasyTPP's sample: every model did); it then
   * ends as Poisson. Returns the kept epoch (0: the baseline).
   */
  private fallBackToBaseline(train: EventSequence[], dev: EventSequence[], bestMetric: number, bestEpoch: number | undefined): number | undefined {
    const c = this.config;
    const trained = this.params.dump();
    for (const w of Object.values(trained)) w.values = Float32Array.from(w.values);
    this.initAtBaseline(this.baselineRates(train));
    const baseline = -this.logLikelihood(dev, { integralPoints: c.integralPoints, seed: c.seed }).perEvent;
    if (baseline < bestMetric) return 0;
    this.params.load(trained);
    return bestEpoch;
  }

  logLikelihood(data: EventDataset | EventSequence[], options: { integralPoints?: number; seed?: number; integral?: 'exact' | 'sampled' } = {}): LogLikelihoodResult {
    const sequences = (Array.isArray(data) ? data : data.sequences).filter((s) => s.times.length >= 2);
    const G = options.integralPoints ?? this.config.evalIntegralPoints;
    const rng = new Rng(options.seed ?? 12345);
    let eventTerm = 0;
    let integralTerm = 0;
    for (const group of lengthBuckets(sequences, CHUNK_SEQS)) {
      const [e, i] = tf.tidy(() => {
        const batch = this.batchOf(group);
        const t = this.terms(batch, G, false, rng.fork(), options.integral === 'sampled');
        return [tf.sum(tf.mul(t.logEvent, t.mask)), tf.sum(tf.mul(t.integral, t.mask))];
      });
      eventTerm += e.dataSync()[0];
      integralTerm += i.dataSync()[0];
      tf.dispose([e, i]);
    }
    const events = countScoredEvents(sequences);
    eventTerm -= events * Math.log(this.state.timeScale);
    const total = eventTerm - integralTerm;
    return { total, events, perEvent: events ? total / events : NaN, eventTerm, integralTerm };
  }

  /** Gathers positions (b[i], j[i]) into a context with B = n, P = 1. */
  protected gather(ctx: Context, b: Int32Array, j: Int32Array): Context {
    const [B, P] = ctx.pos.shape;
    const flat = tf.tensor1d(Int32Array.from(b, (bb, i) => bb * P + j[i]), 'int32');
    const bIdx = tf.tensor1d(b, 'int32');
    const n = b.length;
    const perPos = ctx.perPos.map((t) => tf.reshape(tf.gather(tf.reshape(t, [B * P, ...t.shape.slice(2)]), flat), [n, 1, ...t.shape.slice(2)]));
    const perSeq = ctx.perSeq.map((t) => tf.gather(t, bIdx));
    const pos = tf.reshape(tf.gather(tf.reshape(ctx.pos, [B * P]), flat), [n, 1]) as tf.Tensor2D;
    return { perPos, perSeq, pos };
  }

  /** An evaluator over n gathered contexts (B = n, P = 1), in scaled time. */
  protected evaluatorFor(ctx: Context): IntensityEvaluator {
    const K = this.numTypes;
    return {
      numTypes: K,
      evaluate: (ids, dt) => {
        const out = new Float64Array(ids.length * K);
        for (let s = 0; s < ids.length; s += CHUNK_POINTS) {
          const e = Math.min(ids.length, s + CHUNK_POINTS);
          // the tensor leaves the tidy, not its values: a tidy walks what it returns, a typed array element by element
          const lam = tf.tidy(() => {
            const idx = ids.subarray(s, e);
            const sub = this.gather(ctx, idx, new Int32Array(idx.length));
            return this.intensities(sub, tf.tensor3d(Float32Array.from(dt.subarray(s, e)), [e - s, 1, 1]));
          });
          out.set(lam.dataSync(), s * K);
          lam.dispose();
        }
        return out;
      },
    };
  }

  /** Draws `samples` next events (scaled gaps) for each of n gathered contexts. */
  protected drawFromContexts(ctx: Context, n: number, samples: number, rng: Rng): { gaps: Float64Array; types: Int32Array; typeProbs: Float64Array } {
    if (this.sampleExact) return this.sampleExact(ctx, n, samples, rng);
    const dtimeMax = this.state.dtimeMax / this.state.timeScale;
    const r = thinningSample(this.evaluatorFor(ctx), n, samples, rng, {
      numSamplesBoundary: this.config.numSamplesBoundary,
      overSampleRate: this.config.overSampleRate,
      numExp: this.config.numExp,
      dtimeMax,
    });
    return r;
  }

  /** Runs fn on the contexts after the last event of each history. */
  private withLastContexts<R>(histories: EventSequence[], fn: (ctx: Context) => R): R {
    const batch = this.batchOf(histories);
    const enc = tidyContext(() => {
      const c = this.encode(batch, false);
      const b = Int32Array.from(histories, (_, i) => i);
      const j = Int32Array.from(histories, (h) => h.times.length - 1);
      return this.gather(c, b, j);
    });
    try {
      return fn(enc);
    } finally {
      tf.dispose([batch as unknown as tf.TensorContainer, enc as unknown as tf.TensorContainer]);
    }
  }

  sampleAfter(histories: EventSequence[], samples: number, rng: Rng): { gaps: Float64Array; types: Int32Array; typeProbs: Float64Array } {
    const out = { gaps: new Float64Array(histories.length * samples), types: new Int32Array(histories.length * samples), typeProbs: new Float64Array(histories.length * samples * this.numTypes) };
    // histories of equal length share a batch (generation extends all paths together)
    for (let s = 0; s < histories.length; s += CHUNK_SEQS) {
      const group = histories.slice(s, s + CHUNK_SEQS);
      const r = this.withLastContexts(group, (ctx) => this.drawFromContexts(ctx, group.length, samples, rng));
      for (let i = 0; i < r.gaps.length; i++) out.gaps[s * samples + i] = r.gaps[i] * this.state.timeScale;
      out.types.set(r.types, s * samples);
      out.typeProbs.set(r.typeProbs, s * samples * this.numTypes);
    }
    return out;
  }

  intensity(history: EventHistory, t: number): number[] {
    return this.intensityAt(history, [t])[0];
  }

  intensityAt(history: EventHistory, times: number[]): number[][] {
    validateHistory(history, this.numTypes);
    const last = history.times[history.times.length - 1];
    const bad = times.findIndex((t) => !(t >= last));
    if (bad >= 0) throw new ValidationFailed('t must not precede the last event of the history', [{ field: times.length > 1 ? `t.${bad}` : 't', reason: `must be >= ${last}` }]);
    const K = this.numTypes;
    const scale = this.state.timeScale;
    // one encoding of the history; every time is a gap after its last event
    const lam = this.withLastContexts([history], (ctx) => this.evaluatorFor(ctx).evaluate(new Int32Array(times.length), Float64Array.from(times, (t) => (t - last) / scale)));
    return times.map((_, i) => Array.from(lam.subarray(i * K, (i + 1) * K), (v) => v / scale));
  }

  intensityAlong(sequence: EventSequence, times: number[]): number[][] {
    validateHistory(sequence, this.numTypes);
    const j = lastEventAtOrBefore(sequence.times, times);
    const K = this.numTypes;
    const scale = this.state.timeScale;
    // position j's context summarises events 0..j (causal encoders), so one encoding serves every prefix
    const batch = this.batchOf([sequence]);
    const ctx = tidyContext(() => this.gather(this.encode(batch, false), new Int32Array(times.length), j));
    try {
      const lam = this.evaluatorFor(ctx).evaluate(Int32Array.from(times, (_, i) => i), Float64Array.from(times, (t, i) => (t - sequence.times[j[i]]) / scale));
      return times.map((_, i) => Array.from(lam.subarray(i * K, (i + 1) * K), (v) => v / scale));
    } finally {
      tf.dispose([batch as unknown as tf.TensorContainer, ctx as unknown as tf.TensorContainer]);
    }
  }

  sampleNext(history: EventHistory, options: { samples?: number; seed?: number } = {}): NextEventSample[] {
    validateHistory(history, this.numTypes);
    const r = this.sampleAfter([history], options.samples ?? 1, new Rng(options.seed ?? 0));
    return Array.from(r.gaps, (gap, i) => ({ gap, type: r.types[i] }));
  }

  predictNext(history: EventHistory, options: PredictOptions = {}): NextEventPrediction {
    validateHistory(history, this.numTypes);
    const p = predictNextFrom(this, history, options);
    if (this.exactMean) {
      const m = this.withLastContexts([history], (ctx) => this.exactMean!(ctx))[0] * this.state.timeScale;
      p.gapMean = m;
      p.timeMean = history.times[history.times.length - 1] + m;
    }
    return p;
  }

  generate(history: EventHistory, options: GenerateOptions): GeneratedContinuations {
    validateHistory(history, this.numTypes);
    return generateFrom(this, history, options);
  }

  /**
   * One-step-ahead predictions at every position of every sequence, one encoding per
   * batch of sequences: the mean gap from `samples` draws (exact where the model has
   * it), one draw for EasyTPP-style RMSE, and the type maximising P(k) marginal over time.
   */
  predictEachNext(sequences: EventSequence[], options: { samples?: number; seed?: number } = {}): EachNextPredictions {
    const S = options.samples ?? 50;
    const rng = new Rng(options.seed ?? 7);
    const K = this.numTypes;
    const seqs = sequences.filter((s) => s.times.length >= 2);
    const total = countScoredEvents(seqs);
    const res: EachNextPredictions = { gapMean: new Float64Array(total), gapDraw: new Float64Array(total), typePred: new Int32Array(total), trueGap: new Float64Array(total), trueType: new Int32Array(total) };
    let o = 0;
    for (let s0 = 0; s0 < seqs.length; s0 += CHUNK_SEQS) {
      const group = seqs.slice(s0, s0 + CHUNK_SEQS);
      const bs: number[] = [];
      const js: number[] = [];
      group.forEach((s, b) => {
        for (let j = 0; j < s.times.length - 1; j++) {
          bs.push(b);
          js.push(j);
        }
      });
      const batch = this.batchOf(group);
      const ctx = tidyContext(() => this.gather(this.encode(batch, false), Int32Array.from(bs), Int32Array.from(js)));
      try {
        const n = bs.length;
        const r = this.drawFromContexts(ctx, n, S, rng);
        const exact = this.exactMean ? this.exactMean(ctx) : null;
        for (let i = 0; i < n; i++) {
          const s = group[bs[i]];
          const j = js[i];
          let mean = 0;
          const probs = new Float64Array(K);
          for (let q = 0; q < S; q++) {
            mean += r.gaps[i * S + q] / S;
            for (let k = 0; k < K; k++) probs[k] += r.typeProbs[(i * S + q) * K + k];
          }
          let best = 0;
          for (let k = 1; k < K; k++) if (probs[k] > probs[best]) best = k;
          res.gapMean[o] = (exact ? exact[i] : mean) * this.state.timeScale;
          res.gapDraw[o] = r.gaps[i * S] * this.state.timeScale;
          res.typePred[o] = best;
          res.trueGap[o] = s.times[j + 1] - s.times[j];
          res.trueType[o] = s.types[j + 1];
          o++;
        }
      } finally {
        tf.dispose([batch as unknown as tf.TensorContainer, ctx as unknown as tf.TensorContainer]);
      }
    }
    return res;
  }

  toArtifact(): EventModelArtifact {
    return { kind: this.kind, config: { ...this.config } as Record<string, unknown>, numTypes: this.numTypes, state: { ...this.state }, weights: this.params.dump() };
  }

  /** Loads weights and data constants from an artifact of the same kind and config. */
  loadArtifact(a: EventModelArtifact): void {
    this.params.load(a.weights);
    this.state = { ...this.state, ...a.state };
  }

  parameterCount(): number {
    return this.params.list().reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    this.params.dispose();
  }
}
