import { detachedContext, Unprocessable, ValidationFailed } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import { Trainer } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { WindowSet } from '../data/windows';
import { Forecast } from '../forecast';
import type { ForecasterArtifact, UpdateReport } from '../forecaster';
import { checkPredictRequest, checkTrainingSeries, requireFitted } from '../input-checks';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { lastColumns } from '../trainable/channel-rows';
import { SeriesTails } from '../trainable/series-tails';
import type { TimedForecaster } from '../timed-forecaster';
import { TrainableForecaster, TrainingPlan, UpdateOptions } from '../trainable/trainable-forecaster';
import type { FitContext, FitReport, Series } from '../types';
import { Ls4Config, ls4Schema } from './ls4-config';
import { Ls4Network } from './ls4-network';
import { conditionedPaths, generatePaths, normalDraws } from './rollout';
import { checkTimes, nominalGap, stepScales, TimedFitOptions, TimedSeries } from './timed-series';

interface Batch {
  /** whole windows, lookback + horizon steps: [m, 1, T] */
  x: tf.Tensor3D;
  /** reparameterisation draws [m, zDim, T] */
  eps: tf.Tensor3D;
  /** step factors [m, T] (irregular fits only) */
  dtScale?: tf.Tensor2D;
}

/** Rows x samples per forward pass of predict (bounds the recurrent states' memory). */
const PREDICT_BATCH = 1024;
const MAX_GENERATE_COUNT = 10000;
const MAX_GENERATE_LENGTH = 100000;

function networkOf(c: Ls4Config): Ls4Network {
  return new Ls4Network({
    channels: 1,
    dModel: c.dModel,
    stateSize: c.stateSize,
    layers: c.layers,
    zDim: c.zDim,
    sigma: c.sigma,
  });
}

/**
 * LS4 as a forecaster of the zoo (channel-independent: every channel is a univariate row).
 * Trained on whole windows of lookback + horizon steps by the -ELBO (Ls4Network.elbo);
 * `predict` conditions on the last `lookback` steps of the context and draws `samples`
 * paths (rollout.ts conditionedPaths), point = their mean; `forward` is that same mean as tf
 * ops (the reparameterised paths with the predict's fixed draws), so it equals predict and is
 * differentiable in the context and the weights. `generate` draws series from the prior.
 *
 * Irregular sampling: `fitTimed` / `predictTimed` take each observation's time; the S4D
 * layers' steps are scaled by gap / nominal gap (the median training gap), every layer
 * then running its recurrence with one zero-order hold per step. Regular data take the
 * convolution mode; times with all gaps equal give the same values.
 *
 * `update` takes a few AdamW steps of the same -ELBO on the windows that end in new data.
 */
export class Ls4Forecaster extends TrainableForecaster<Ls4Config> implements TimedForecaster {
  readonly net: Ls4Network;
  /** The gap that is one step (fitTimed's median gap); null after a regular fit. */
  private gap: number | null = null;
  /** Per-step factors aligned with the series being fitted (fitTimed only, during the fit). */
  private pendingScales: { train: Series[]; valid: Series[] | null } | null = null;
  private readonly get = (name: string): tf.Tensor => this.params.get(name);

  constructor(config: Ls4Config) {
    super(
      'ls4',
      config,
      {
        lookback: config.lookback,
        horizon: config.horizon,
        maxHorizon: Math.max(config.maxHorizon || config.horizon, config.horizon),
      },
      networkOf(config).declarations(),
      config.seed + 1,
    );
    this.net = networkOf(config);
    this.initialiseS4D();
  }

  /** DeclaredParams drew placeholders for the S4D weights: the S4D initialisation replaces them. */
  private initialiseS4D(): void {
    for (const [name, values] of this.net.initialS4DValues(
      this.config.seed,
      this.config.s4dInit as 'lin' | 'inv',
    )) {
      const v = this.params.get(name);
      tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    }
  }

  /** Nominal gap of a timed fit (null after a regular one). */
  get nominalGap(): number | null {
    return this.gap;
  }

  // ---- training ------------------------------------------------------------------------------

  private windowLength(): number {
    return this.lookback + this.horizon;
  }

  /** Whole windows of `rows` as a batch, with fresh draws from `rng`. */
  private batchOf(windows: WindowSet, scales: WindowSet | null, rows: number[], rng: Rng): Batch {
    const L = this.lookback;
    const H = this.horizon;
    const T = L + H;
    const m = rows.length;
    const x = this.joinWindows(windows, rows);
    const Z = this.config.zDim;
    const batch: Batch = {
      x: tf.tensor3d(x, [m, 1, T]),
      eps: tf.tensor3d(normalDraws(rng, m * Z * T), [m, Z, T]),
    };
    if (scales) batch.dtScale = tf.tensor2d(this.joinWindows(scales, rows), [m, T]);
    return batch;
  }

  private joinWindows(set: WindowSet, rows: number[]): Float32Array {
    const L = this.lookback;
    const H = this.horizon;
    const m = rows.length;
    const a = new Float32Array(m * L);
    const b = new Float32Array(m * H);
    set.fill(rows, a, b);
    const out = new Float32Array(m * (L + H));
    for (let i = 0; i < m; i++) {
      out.set(a.subarray(i * L, (i + 1) * L), i * (L + H));
      out.set(b.subarray(i * H, (i + 1) * H), i * (L + H) + L);
    }
    return out;
  }

  private loss(b: Batch): tf.Scalar {
    return this.net.elbo(this.get, b.x, b.eps, { dtScale: b.dtScale }).loss;
  }

  /** Mean -ELBO per step over windows (fixed draws, so epochs compare). */
  private windowElbo(
    set: WindowSet,
    scales: WindowSet | null,
    seed: number,
  ): { loss: number; kl: number; nll: number } {
    const rng = new Rng(seed);
    const chunk = 256;
    let loss = 0;
    let kl = 0;
    let nll = 0;
    for (let start = 0; start < set.size; start += chunk) {
      const rows = Array.from({ length: Math.min(chunk, set.size - start) }, (_, i) => start + i);
      const b = this.batchOf(set, scales, rows, rng);
      const [l, k, n] = tf.tidy(() => {
        const e = this.net.elbo(this.get, b.x, b.eps, { dtScale: b.dtScale });
        return [e.loss, e.kl, e.nll].map((t) => t.dataSync()[0]);
      });
      tf.dispose(b as unknown as tf.TensorContainer);
      loss += l * rows.length;
      kl += k * rows.length;
      nll += n * rows.length;
    }
    return { loss: loss / set.size, kl: kl / set.size, nll: nll / set.size };
  }

  protected trainingPlan(windows: WindowSet, valid: WindowSet | null, ctx: FitContext): TrainingPlan<Batch> {
    // fit has just put the declared initial values back; the S4D weights need theirs
    this.initialiseS4D();
    const c = this.config;
    const L = this.lookback;
    const H = this.horizon;
    const pending = this.pendingScales;
    const scales = pending ? new WindowSet(pending.train, L, H) : null;
    const validScales = pending?.valid && valid ? new WindowSet(pending.valid, L, H) : null;
    let rowsMap: number[] | null = null;
    if (c.maxWindowsPerEpoch > 0 && c.maxWindowsPerEpoch < windows.size) {
      const all = Array.from({ length: windows.size }, (_, i) => i);
      new Rng(deriveSeed(c.seed, 11)).shuffle(all);
      rowsMap = all.slice(0, c.maxWindowsPerEpoch).sort((a, b) => a - b);
    }
    const drawRng = new Rng(deriveSeed(c.seed, 7));
    const validSeed = deriveSeed(c.seed, 13);
    return {
      options: {
        epochs: c.epochs,
        batchSize: c.batchSize,
        learningRate: c.learningRate,
        weightDecay: c.weightDecay,
        emaDecay: c.emaDecay > 0 ? c.emaDecay : undefined,
        clipNorm: c.clipNorm > 0 ? c.clipNorm : undefined,
        earlyStopping:
          valid && valid.size > 0 && c.patience > 0 ? { patience: c.patience, restoreBest: true } : undefined,
        seed: c.seed,
        onEvent: ctx.onEvent,
      },
      train: {
        size: rowsMap ? rowsMap.length : windows.size,
        batch: (rows) =>
          this.batchOf(windows, scales, rowsMap ? rows.map((r) => rowsMap![r]) : rows, drawRng),
      },
      loss: (b) => this.loss(b),
      validate:
        valid && valid.size > 0 ? () => this.windowElbo(valid, validScales, validSeed).loss : undefined,
      // the reparameterisation draws continue where a resumed run left them
      state: {
        save: () => ({ draws: drawRng.state32 }),
        restore: (s) => void drawRng.restore((s as { draws: number }).draws),
      },
    };
  }

  async fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    if (!this.pendingScales) this.gap = null;
    return super.fit(train, valid, ctx);
  }

  /**
   * Fits on irregularly sampled series: each with the time of every observation. The nominal
   * step is `options.nominalGap`, by default the median gap; each step's S4D discretisation
   * uses gap / nominal.
   */
  async fitTimed(
    train: TimedSeries[],
    valid: TimedSeries[] | undefined,
    ctx: FitContext,
    options: TimedFitOptions = {},
  ): Promise<FitReport> {
    const check = (list: TimedSeries[], field: string) => {
      checkTrainingSeries(
        list.map((s) => s.values),
        field,
      );
      list.forEach((s, i) => checkTimes(s.times, s.values[0].length, `${field}[${i}].times`));
    };
    check(train, 'train');
    if (valid) check(valid, 'valid');
    const gap = options.nominalGap ?? nominalGap(train.map((s) => s.times));
    if (!(gap > 0) || !Number.isFinite(gap))
      throw new ValidationFailed(`nominalGap must be a positive number, got ${gap}`, [
        { field: 'nominalGap', reason: 'a positive, finite time step' },
      ]);
    const scalesOf = (list: TimedSeries[]) =>
      list.map((s) => {
        const f = stepScales(s.times, gap);
        return s.values.map(() => f);
      });
    this.pendingScales = { train: scalesOf(train), valid: valid ? scalesOf(valid) : null };
    try {
      const report = await super.fit(
        train.map((s) => s.values),
        valid?.map((s) => s.values),
        ctx,
      );
      this.gap = gap;
      return report;
    } finally {
      this.pendingScales = null;
    }
  }

  /**
   * The mean -ELBO per step (and its KL and NLL parts) on every window of `series`, with
   * fixed draws from `seed`: the training objective on data the caller chooses.
   */
  evaluateElbo(series: Series[], seed = 0): { loss: number; kl: number; nll: number } {
    checkTrainingSeries(series, 'series');
    return this.windowElbo(WindowSet.require(series, this.lookback, this.horizon, 'series'), null, seed);
  }

  /** A few AdamW steps of the -ELBO on the windows that end in the new data (see TrainableForecaster.update). */
  async update(
    newObservations: Series[],
    ctx: FitContext = detachedContext(),
    options: UpdateOptions = {},
  ): Promise<UpdateReport> {
    const started = Date.now();
    requireFitted(this.isFitted, this.kind);
    // its windows have no stamps: steps of dt 1 would teach a timed fit the wrong gaps
    if (this.gap !== null)
      throw new Unprocessable('An LS4 fitted on timed series is updated by fitting it again (fitTimed)', [
        {
          field: 'newObservations',
          reason: 'updates read rows as equally spaced steps, without their times',
        },
      ]);
    checkTrainingSeries(newObservations, 'newObservations');
    const span = this.windowLength();
    const joined = this.tails ? this.tails.extend(newObservations) : newObservations;
    const windows = WindowSet.require(joined, this.lookback, this.horizon, 'newObservations');
    const steps = options.steps ?? 5;
    const batchSize = Math.min(windows.size, options.batchSize ?? this.config.batchSize);
    const rng = new Rng(deriveSeed(this.config.seed, 17));
    await new Trainer({
      epochs: 1,
      batchSize,
      learningRate: options.learningRate ?? this.config.learningRate,
      shuffle: false,
      onEvent: ctx.onEvent,
    }).fit<Batch>(
      {
        params: this.params.list(),
        train: {
          size: steps * batchSize,
          batch: (rows) =>
            this.batchOf(
              windows,
              null,
              rows.map((r) => r % windows.size),
              rng,
            ),
        },
        loss: (b) => this.loss(b),
      },
      { signal: ctx.signal, progress: ctx.progress },
    );
    this.tails = (this.tails ?? SeriesTails.of([], span)).keep(joined);
    this.weightsChanged();
    return { windows: windows.size, steps, seconds: (Date.now() - started) / 1000 };
  }

  // ---- forecasts -----------------------------------------------------------------------------

  /** The mean of predict's sample paths, as tf ops. */
  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    const rows = lastColumns(x, this.lookback);
    const c = this.config;
    return tf.mean(conditionedPaths(this.net, this.get, rows, horizon, c.samples, c.seed), 1) as tf.Tensor2D;
  }

  /**
   * Sample paths and their mean for rows (each [lookback]), in chunks; `timing` per row:
   * the factors of the context's steps and of the forecast's.
   */
  private sampleRows(
    rows: Float32Array[],
    horizon: number,
    timing?: { context: Float32Array; future: Float32Array }[],
  ): { point: Float32Array[]; paths: Float32Array[][] } {
    const L = this.lookback;
    const S = this.config.samples;
    const per = Math.max(1, Math.floor(PREDICT_BATCH / S));
    const point: Float32Array[] = [];
    const paths: Float32Array[][] = [];
    for (let start = 0; start < rows.length; start += per) {
      const m = Math.min(per, rows.length - start);
      const x = new Float32Array(m * L);
      for (let i = 0; i < m; i++) x.set(rows[start + i], i * L);
      const [p, mean] = tf.tidy(() => {
        let t;
        if (timing) {
          const ctx = new Float32Array(m * L);
          const fut = new Float32Array(m * horizon);
          for (let i = 0; i < m; i++) {
            ctx.set(timing[start + i].context, i * L);
            fut.set(timing[start + i].future, i * horizon);
          }
          t = { context: tf.tensor2d(ctx, [m, L]), future: tf.tensor2d(fut, [m, horizon]) };
        }
        const all = conditionedPaths(
          this.net,
          this.get,
          tf.tensor2d(x, [m, L]),
          horizon,
          S,
          this.config.seed,
          {
            timing: t,
            stepTidy: true,
          },
        );
        return [all, tf.mean(all, 1)];
      });
      const pv = p.dataSync() as Float32Array;
      const mv = mean.dataSync() as Float32Array;
      tf.dispose([p, mean]);
      for (let i = 0; i < m; i++) {
        point.push(mv.slice(i * horizon, (i + 1) * horizon));
        paths.push(
          Array.from({ length: S }, (_, s) => pv.slice((i * S + s) * horizon, (i * S + s + 1) * horizon)),
        );
      }
    }
    return { point, paths };
  }

  /** Forecasts with `samples` paths each (samples[s][channel]) and point = their mean. */
  predictBatch(contexts: Series[], horizon: number): Forecast[] {
    requireFitted(this.isFitted, this.kind);
    for (const s of contexts) checkPredictRequest(s, horizon, this);
    const rows: Float32Array[] = [];
    for (const s of contexts) for (const ch of s) rows.push(ch.subarray(ch.length - this.lookback));
    return this.forecastsOf(contexts, this.sampleRows(rows, horizon));
  }

  private forecastsOf(contexts: Series[], r: { point: Float32Array[]; paths: Float32Array[][] }): Forecast[] {
    let i = 0;
    return contexts.map((s) => {
      const rowsOf = s.map(() => i++);
      const S = this.config.samples;
      return new Forecast({
        point: rowsOf.map((k) => r.point[k]),
        samples: Array.from({ length: S }, (_, j) => rowsOf.map((k) => r.paths[k][j])),
      });
    });
  }

  /**
   * A forecast of an irregularly sampled context at the given future times (horizon =
   * times.length). Step factors are gaps over the fit's nominal gap (or, after a regular fit,
   * over `options.nominalGap`, by default the context's median gap).
   */
  predictTimed(context: TimedSeries, times: ArrayLike<number>, options: TimedFitOptions = {}): Forecast {
    return this.predictTimedBatch([context], [times], options)[0];
  }

  /**
   * predictTimed for many contexts in shared forward passes; every `futures[i]` has the same
   * length (the horizon). Errors name the context's place (`contexts[i].times`, `futures[i]`).
   */
  predictTimedBatch(
    contexts: TimedSeries[],
    futures: ArrayLike<number>[],
    options: TimedFitOptions = {},
  ): Forecast[] {
    requireFitted(this.isFitted, this.kind);
    if (!contexts.length) return [];
    const horizon = futures[0]?.length ?? 0;
    const L = this.lookback;
    const rows: Float32Array[] = [];
    const timing: { context: Float32Array; future: Float32Array }[] = [];
    contexts.forEach((context, i) => {
      const times = futures[i];
      const field = contexts.length === 1 ? '' : `contexts[${i}].`;
      if (times?.length !== horizon)
        throw new Unprocessable(`futures[${i}] has ${times?.length ?? 0} times; the horizon is ${horizon}`, [
          { field: contexts.length === 1 ? 'times' : `futures[${i}]`, reason: `${horizon} times` },
        ]);
      checkPredictRequest(context.values, horizon, this);
      const n = context.values[0].length;
      checkTimes(context.times, n, `${field || 'context.'}times`, 'unprocessable');
      checkTimes(times, horizon, contexts.length === 1 ? 'times' : `futures[${i}]`, 'unprocessable');
      if (!(times[0] > context.times[n - 1]))
        throw new Unprocessable('Forecast times must come after the context', [
          {
            field: contexts.length === 1 ? 'times[0]' : `futures[${i}][0]`,
            reason: 'must be after the last context time',
          },
        ]);
      const gap = this.gap ?? options.nominalGap ?? nominalGap([context.times]);
      const ctx = stepScales(context.times, gap).slice(n - L);
      const future = stepScales([context.times[n - 1], ...Array.from(times)], gap).slice(1);
      for (const ch of context.values) {
        rows.push(ch.subarray(n - L));
        timing.push({ context: ctx, future });
      }
    });
    return this.forecastsOf(
      contexts.map((c) => c.values),
      this.sampleRows(rows, horizon, timing),
    );
  }

  // ---- generation ----------------------------------------------------------------------------

  /**
   * Unconditional samples: `count` series of `length` steps, each one channel, in the units
   * the model was trained on. `times` (length entries) draws them at uneven times: step t's dt
   * is its gap over the fit's nominal gap (after a regular fit `options.nominalGap`, by default
   * the times' median gap), the first step's 1, as predictTimed reads a context.
   */
  generate(
    count: number,
    length: number,
    seed = this.config.seed,
    options: { times?: ArrayLike<number> } & TimedFitOptions = {},
  ): Float32Array[][] {
    requireFitted(this.isFitted, this.kind);
    const bad: { field: string; reason: string }[] = [];
    if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATE_COUNT)
      bad.push({ field: 'count', reason: `an integer in [1, ${MAX_GENERATE_COUNT}]` });
    if (!Number.isInteger(length) || length < 1 || length > MAX_GENERATE_LENGTH)
      bad.push({ field: 'length', reason: `an integer in [1, ${MAX_GENERATE_LENGTH}]` });
    if (!Number.isInteger(seed) || seed < 0) bad.push({ field: 'seed', reason: 'a non-negative integer' });
    if (bad.length) throw new Unprocessable(`Cannot generate: ${bad.map((d) => d.field).join(', ')}`, bad);
    let dt: tf.Tensor2D | undefined;
    if (options.times) {
      checkTimes(options.times, length, 'times', 'unprocessable');
      const f = stepScales(options.times, this.gap ?? options.nominalGap ?? nominalGap([options.times]));
      dt = tf.tidy(() => tf.tile(tf.tensor2d(f, [1, length]), [count, 1]) as tf.Tensor2D);
    }
    const g = generatePaths(this.net, this.get, count, length, seed, dt);
    const values = g.x.dataSync() as Float32Array;
    tf.dispose([g.z, g.mean, g.x, ...(dt ? [dt] : [])]);
    return Array.from({ length: count }, (_, i) => [values.slice(i * length, (i + 1) * length)]);
  }

  // ---- artifacts -----------------------------------------------------------------------------

  protected state(): Record<string, unknown> {
    return { nominalGap: this.gap };
  }

  static fromArtifact(a: ForecasterArtifact): Ls4Forecaster {
    const m = new Ls4Forecaster(ls4Schema.parse(a.config, 'ls4', 'artifact.config')).restore(a);
    const gap = a.state.nominalGap;
    m.gap = typeof gap === 'number' && gap > 0 ? gap : null;
    return m;
  }
}

export const ls4Definition: ForecasterDefinition<typeof ls4Schema.fields> = {
  family: 'series',
  kind: 'ls4',
  title: 'LS4',
  description:
    'Latent state-space VAE (Zhou et al. 2023): S4D posterior, prior and decoder stacks trained by the ELBO; sample-path forecasts, unconditional generation, irregular sampling by dt.',
  roles: { lookback: 'lookback', horizon: 'horizon' },
  capabilities: ['trained', 'probabilistic', 'differentiable', 'updatable', 'generative', 'timed'],
  schema: ls4Schema,
  create: (c) => new Ls4Forecaster(c),
  fromArtifact: (a) => Ls4Forecaster.fromArtifact(a),
};
