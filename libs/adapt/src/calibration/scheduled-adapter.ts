import * as tf from '@tensorflow/tfjs';
import { Unprocessable, ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import type { SchemaFields } from '@seqcast/kit';
import type {
  AdaptationUpdate,
  Adapter,
  AdapterSetup,
  AdapterSnapshot,
  AdapterStats,
  ChannelScale,
} from '../adapter';
import { adapterSnapshot } from '../adapter';
import type { FrozenForecast } from '../frozen-forecast';
import { StreamHistory } from '../stream-history';
import { AdamState, CoupledAdam } from './adam';
import type { GatedModule } from './gated-module';
import { dominantPeriod } from './period';

/** Options every calibration adapter takes (the TAFAS schedule and its optimiser). */
export const scheduleFields = {
  lr: {
    type: 'number',
    default: 0.001,
    exclusiveMinimum: 0,
    maximum: 1,
    description: "Adam's learning rate (the PETSA and TAFAS scripts use 1e-3)",
  },
  weightDecay: {
    type: 'number',
    default: 0.0001,
    minimum: 0,
    maximum: 1,
    description: "L2 weight decay inside Adam, torch.optim.Adam's weight_decay (1e-4 in PETSA's scripts)",
  },
  gatingInit: {
    type: 'number',
    default: 0.01,
    minimum: -10,
    maximum: 10,
    description: 'initial value of the per-variable gates of both modules (0.01 in the references)',
  },
  period: {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 10000,
    description:
      "0: each chunk estimates its period from the FFT peak of its first window (PAAS, the references' default); > 0: a fixed period; a chunk is period + 1 window origins",
  },
  steps: {
    type: 'integer',
    default: 1,
    minimum: 1,
    maximum: 20,
    description: 'optimisation steps per full-label and per partial-label update (1 in the references)',
  },
} as const satisfies SchemaFields;

export interface ScheduleOptions {
  lr: number;
  weightDecay: number;
  gatingInit: number;
  period: number;
  steps: number;
}

const SNAPSHOT_VERSION = 1;

/** The schedule's position: the chunk being filled and the chunks still waiting for full labels. */
interface ScheduleState {
  started: boolean;
  /** first window origin of the chunk being filled */
  chunkStart: number;
  /** its period (null until its first window's input has been observed) */
  chunkPeriod: number | null;
  /** [first, last] origins of processed chunks whose horizons have not all elapsed */
  pending: Array<[number, number]>;
}

/**
 * The TAFAS schedule (Kim et al. 2025) around a frozen forecaster with a gated calibration
 * module on its input and one on its output; TAFAS and PETSA differ only in the modules and
 * the loss.
 *
 * How the reference's batch processing maps onto a stream. A window exists at every origin
 * s (input [s - L, s), horizon [s, s + H)); the first origin is the first time after the
 * `start` context. Origins are grouped in chunks of period + 1: [s0, s0 + period]. The chunk
 * is processed when the stream reaches P = s0 + period, i.e. when its newest window's input
 * is complete (the reference's cur_step, the last observed index, is P - 1):
 *   1. for every earlier chunk whose last horizon has fully elapsed (last origin + H <= P),
 *      oldest first: one full-label step on all its windows (the reference pops them one
 *      chunk at a time, each its own step);
 *   2. one partial-label step on the chunk's first window, with the first `period` steps
 *      of its horizon, exactly the labels observed by P (the reference trains on
 *      pred[0][:period] only, not on the other windows' shorter observed heads);
 *   3. the next chunk starts at P + 1; with period = 0 its period is estimated from the FFT
 *      of its first window's input once that is observed.
 * "Re-predict": the reference overwrites the unobserved part of the chunk's predictions with
 * the updated modules' output; here forecast() always uses the modules as they are now,
 * which is that, for every origin. Processing points depend only on the stream, not on how
 * observations are batched: observing values one at a time or all at once gives the same state.
 * Every step's labels are < P <= next (asserted before each step; StreamHistory refuses any
 * later read anyway).
 */
export abstract class ScheduledAdapter<O extends ScheduleOptions = ScheduleOptions> implements Adapter {
  abstract readonly method: string;
  readonly lookback: number;
  readonly horizon: number;
  readonly channels: number;
  readonly options: Readonly<O>;
  protected readonly frozen: FrozenForecast;
  protected readonly scale: ChannelScale;
  protected readonly input: GatedModule;
  protected readonly output: GatedModule;
  private readonly trainable: tf.Variable[];
  private readonly optimizer: CoupledAdam;
  private history: StreamHistory;
  private readonly keep: number;
  private schedule: ScheduleState;
  private stepsTaken = 0;
  private recentLoss: number | null = null;
  private disposed = false;
  /** the modules' values at creation (what reset puts back) and the seed that drew them */
  private readonly initial: Float32Array[];
  private readonly seed: number;

  protected constructor(
    setup: AdapterSetup,
    options: O,
    build: (L: number, H: number, V: number, rng: Rng) => { input: GatedModule; output: GatedModule },
  ) {
    const { frozen, horizon, scale } = setup;
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > frozen.maxHorizon)
      throw new ValidationFailed(
        `horizon ${horizon} is outside 1..${frozen.maxHorizon} of the frozen model`,
        [{ field: 'horizon', reason: `an integer in 1..${frozen.maxHorizon}` }],
      );
    if (scale.mean.length !== frozen.channels || scale.std.length !== frozen.channels)
      throw new ValidationFailed(
        `the scale has ${scale.mean.length} channels; the model ${frozen.channels}`,
        [{ field: 'scale', reason: `one mean and std per channel (${frozen.channels})` }],
      );
    this.frozen = frozen;
    this.lookback = frozen.lookback;
    this.horizon = horizon;
    this.channels = frozen.channels;
    this.scale = { mean: [...scale.mean], std: [...scale.std] };
    this.options = Object.freeze({ ...options });
    this.seed = setup.seed ?? 0;
    const modules = build(this.lookback, horizon, this.channels, new Rng(this.seed));
    this.input = modules.input;
    this.output = modules.output;
    this.trainable = [...this.input.variables, ...this.output.variables].map((v) => v.variable);
    this.initial = this.trainable.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    this.optimizer = new CoupledAdam(this.trainable, options.lr, options.weightDecay);
    // what the oldest pending chunk's full step can still read (see the class comment)
    const maxPeriod = options.period > 0 ? options.period : this.lookback;
    this.keep = this.lookback + horizon + 2 * (maxPeriod + 1) + 1;
    this.history = new StreamHistory(this.channels, this.keep);
    this.schedule = { started: false, chunkStart: 0, chunkPeriod: null, pending: [] };
  }

  /** The method's loss on pred and truth [B, T, V] (normalised); `period` is the chunk's. */
  protected abstract loss(pred: tf.Tensor3D, truth: tf.Tensor3D, period: number): tf.Scalar;

  get parameterCount(): number {
    return this.input.parameterCount + this.output.parameterCount;
  }

  get next(): number {
    return this.history.next;
  }

  start(context: ReadonlyArray<ArrayLike<number>>): void {
    this.alive();
    if (this.schedule.started)
      throw new Unprocessable('the adapter has already started its stream', [
        { field: 'context', reason: 'start is called once, before any observation' },
      ]);
    const n = context[0]?.length ?? 0;
    if (context.length !== this.channels || n < this.lookback || context.some((c) => c.length !== n))
      throw new ValidationFailed(
        `the context needs ${this.channels} channels of equal length >= ${this.lookback}`,
        [
          {
            field: 'context',
            reason: `one array per channel (${this.channels}), equal lengths >= ${this.lookback}`,
          },
        ],
      );
    this.history.append(context, 0);
    this.schedule = { started: true, chunkStart: n, chunkPeriod: this.periodAt(n), pending: [] };
  }

  forecast(): Float32Array[] {
    this.requireStarted();
    const L = this.lookback;
    const x = this.windows([this.next], 0);
    const y = tf.tidy(() => {
      const out = this.predict(tf.tensor3d(x, [1, L, this.channels]));
      return out.dataSync() as Float32Array;
    });
    const V = this.channels;
    return Array.from({ length: V }, (_, c) => {
      const f = new Float32Array(this.horizon);
      for (let j = 0; j < this.horizon; j++) f[j] = y[j * V + c] * this.scale.std[c] + this.scale.mean[c];
      return f;
    });
  }

  observe(values: ReadonlyArray<ArrayLike<number>>, at: number): AdaptationUpdate[] {
    this.requireStarted();
    this.history.append(values, at);
    const updates: AdaptationUpdate[] = [];
    for (;;) {
      const s = this.schedule;
      if (s.chunkPeriod === null) {
        if (this.next < s.chunkStart) break;
        s.chunkPeriod = this.periodAt(s.chunkStart);
      }
      const P = s.chunkStart + s.chunkPeriod;
      if (this.next < P) break;
      this.processChunk(P, updates);
    }
    return updates;
  }

  stats(): AdapterStats {
    return {
      method: this.method,
      next: this.next,
      steps: this.stepsTaken,
      recentLoss: this.recentLoss,
      parameterCount: this.parameterCount,
    };
  }

  reset(): void {
    this.alive();
    this.trainable.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(this.initial[i], v.shape, 'float32'))));
    this.optimizer.reset();
    this.stepsTaken = 0;
    this.recentLoss = null;
    // the schedule stays: its chunks are positions in the stream, which goes on
  }

  snapshot(): AdapterSnapshot {
    this.alive();
    const params: AdapterSnapshot['params'] = {};
    for (const { name, variable } of [...this.input.variables, ...this.output.variables])
      params[name] = { shape: [...variable.shape], values: Array.from(variable.dataSync()) };
    const s = this.schedule;
    return adapterSnapshot(this, {
      version: SNAPSHOT_VERSION,
      scale: this.scale,
      history: this.history,
      steps: this.stepsTaken,
      recentLoss: this.recentLoss,
      params,
      extra: {
        seed: this.seed,
        adam: this.optimizer.toJSON(),
        schedule: { ...s, pending: s.pending.map((p) => [...p]) },
      },
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.input.dispose();
    this.output.dispose();
  }

  /** Puts a snapshot's state into a freshly built adapter of the same shape (used by restore). */
  protected load(snapshot: AdapterSnapshot): this {
    if (snapshot.version !== SNAPSHOT_VERSION)
      throw new ValidationFailed(`snapshot version ${snapshot.version} is not ${SNAPSHOT_VERSION}`, [
        { field: 'snapshot.version', reason: `must be ${SNAPSHOT_VERSION}` },
      ]);
    if (snapshot.lookback !== this.lookback || snapshot.channels !== this.channels)
      throw new ValidationFailed('the snapshot does not fit the frozen model', [
        {
          field: 'snapshot.lookback',
          reason: `the frozen model has lookback ${this.lookback}, ${this.channels} channels`,
        },
      ]);
    for (const { name, variable } of [...this.input.variables, ...this.output.variables]) {
      const p = snapshot.params[name];
      if (!p || p.values.length !== variable.size)
        throw new ValidationFailed(`snapshot parameter ${name} is missing or of the wrong size`, [
          { field: `snapshot.params.${name}`, reason: `${variable.size} values` },
        ]);
      tf.tidy(() => variable.assign(tf.tensor(p.values, variable.shape, 'float32')));
    }
    this.optimizer.restore(snapshot.extra.adam as AdamState);
    const s = snapshot.extra.schedule as ScheduleState;
    this.schedule = { ...s, pending: s.pending.map((p) => [p[0], p[1]] as [number, number]) };
    this.history = StreamHistory.fromJSON(this.channels, this.keep, snapshot.history);
    this.stepsTaken = snapshot.steps;
    this.recentLoss = snapshot.recentLoss;
    return this;
  }

  /** x [B, L, V] -> the calibrated forecast [B, H, V], normalised units. Inside tf.tidy. */
  protected predict(x: tf.Tensor3D): tf.Tensor3D {
    return this.output.apply(this.frozen.forward(this.input.apply(x), this.horizon));
  }

  private processChunk(P: number, updates: AdaptationUpdate[]): void {
    const s = this.schedule;
    const first = s.chunkStart;
    const period = s.chunkPeriod as number;
    const H = this.horizon;
    while (s.pending.length && s.pending[0][1] + H <= P) {
      const [a, b] = s.pending.shift() as [number, number];
      for (let k = 0; k < this.options.steps; k++) updates.push(this.fullStep(a, b, P));
    }
    const observed = Math.min(period, H);
    for (let k = 0; k < this.options.steps; k++) updates.push(this.partialStep(first, observed, period, P));
    s.pending.push([first, P]);
    s.chunkStart = P + 1;
    s.chunkPeriod = null;
  }

  /** One step on windows a..b with their whole horizons. */
  private fullStep(a: number, b: number, P: number): AdaptationUpdate {
    const H = this.horizon;
    const origins = range(a, b);
    const loss = this.step(origins, H, b - a, P);
    return { kind: 'full', origins: [a, b], labels: [a, b + H - 1], loss };
  }

  /** One step on window s with the first `observed` steps of its horizon. */
  private partialStep(s: number, observed: number, period: number, P: number): AdaptationUpdate {
    const loss = this.step([s], observed, period, P);
    return { kind: 'partial', origins: [s, s], labels: [s, s + observed - 1], loss };
  }

  private step(origins: number[], labelSteps: number, period: number, P: number): number {
    const last = origins[origins.length - 1] + labelSteps - 1;
    if (last >= P) throw new Error(`schedule bug: label time ${last} at processing time ${P}`);
    const B = origins.length;
    const L = this.lookback;
    const V = this.channels;
    const x = this.windows(origins, 0);
    const y = this.windows(origins, labelSteps);
    const { value, grads } = tf.tidy(() => {
      const xt = tf.tensor3d(x, [B, L, V]);
      const yt = tf.tensor3d(y, [B, labelSteps, V]);
      return tf.variableGrads(() => {
        let pred = this.predict(xt);
        if (labelSteps < this.horizon) pred = tf.slice(pred, [0, 0, 0], [B, labelSteps, V]);
        return this.loss(pred, yt, period);
      }, this.trainable);
    });
    const loss = (value.dataSync() as Float32Array)[0];
    this.optimizer.step(this.trainable.map((v) => grads[v.name]));
    value.dispose();
    tf.dispose(grads);
    this.stepsTaken += 1;
    this.recentLoss = loss;
    return loss;
  }

  /**
   * Normalised values, [B, T, V] row-major: with labelSteps 0 the inputs [s - L, s) of each
   * origin s, else its first labelSteps horizon values [s, s + labelSteps). One history read.
   */
  private windows(origins: number[], labelSteps: number): Float32Array {
    const L = this.lookback;
    const V = this.channels;
    const T = labelSteps > 0 ? labelSteps : L;
    const from = labelSteps > 0 ? origins[0] : origins[0] - L;
    const to = labelSteps > 0 ? origins[origins.length - 1] + labelSteps : origins[origins.length - 1];
    const held = this.history.slice(from, to);
    const out = new Float32Array(origins.length * T * V);
    origins.forEach((s, b) => {
      const off = (labelSteps > 0 ? s : s - L) - from;
      for (let t = 0; t < T; t++)
        for (let c = 0; c < V; c++)
          out[(b * T + t) * V + c] = (held[c][off + t] - this.scale.mean[c]) / this.scale.std[c];
    });
    return out;
  }

  private periodAt(origin: number): number {
    if (this.options.period > 0) return this.options.period;
    return dominantPeriod(this.history.slice(origin - this.lookback, origin));
  }

  private requireStarted(): void {
    this.alive();
    if (!this.schedule.started)
      throw new Unprocessable('the adapter has no context yet: call start first', [
        { field: 'context', reason: 'start the stream before forecasting or observing' },
      ]);
  }

  private alive(): void {
    if (this.disposed) throw new Error(`${this.method} adapter used after dispose`);
  }
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** What restoring a calibration adapter needs besides the frozen model. */
export function setupOf(snapshot: AdapterSnapshot, frozen: FrozenForecast): AdapterSetup {
  const seed = snapshot.extra.seed;
  return {
    frozen,
    horizon: snapshot.horizon,
    scale: snapshot.scale,
    seed: typeof seed === 'number' ? seed : 0,
  };
}
