import * as tf from '@tensorflow/tfjs';
import { Unprocessable, ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
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
import { EgCombination } from './exponentiated-gradient';
import { LearnedCombination } from './learned-combination';
import { onenetSchema, type OneNetOptions } from './onenet-options';
import { ParamSet, type AdamJSON } from './param-set';
import { TimeCorrection } from './time-correction';
import { VariableCorrection } from './variable-correction';

const SNAPSHOT_VERSION = 1;

/** The branches' forecasts of one window, [H, V] row-major, normalised units. */
interface BranchOutputs {
  time?: Float32Array;
  variable?: Float32Array;
  /** the frozen forecast f, a constant of every branch's loss */
  frozen: Float32Array;
}

/** A branch: its correction of f and the optimiser group it trains. */
interface Branch {
  correction: { apply(x: tf.Tensor3D): tf.Tensor3D };
  params: ParamSet;
}

/**
 * OneNet (MODELS.md "OneNet"; yfzhang114/OneNet) around a frozen forecaster f: a branch
 * across time g_T = f + D_T and a branch across variables g_V = f + D_V, each updated online
 * by Adam on its own MSE, combined per variable by exponentiated gradient (or the
 * reference's learned sigmoid(w + b)). f is never modified: it may be shared by other series.
 *
 * Schedule, batch 1: `forecast` is the combination from the newest L values (what is
 * scored). Observing time t completes the horizon of the window with origin s = t - H + 1,
 * and only then is it learned from: each branch steps on it, then the combination. The
 * reference steps on the window whose forecast it just made, reading H - 1 labels that have
 * not arrived (its issue #10); here no window is used before its last label is observed, and
 * every read goes through StreamHistory, which refuses the future.
 */
export class OneNetAdapter implements Adapter {
  readonly method = 'onenet';
  readonly lookback: number;
  readonly horizon: number;
  readonly channels: number;
  private readonly frozen: FrozenForecast;
  private readonly scale: ChannelScale;
  private history: StreamHistory;
  /** seed of the random initialisation (the variable branch's embedding, the bias MLP), kept for reset */
  private readonly seed: number;
  private branches: { time?: Branch; variable?: Branch } = {};
  private eg?: EgCombination;
  private learned?: LearnedCombination;
  private steps = 0;
  private recentLoss: number | null = null;
  private disposed = false;

  constructor(
    setup: AdapterSetup,
    readonly options: Readonly<OneNetOptions>,
  ) {
    const { frozen, horizon, scale } = setup;
    checkSetup(setup);
    this.frozen = frozen;
    this.lookback = frozen.lookback;
    this.horizon = horizon;
    this.channels = frozen.channels;
    this.scale = { mean: [...scale.mean], std: [...scale.std] };
    // the oldest read is a matured window's input: L values before its H labels
    this.history = new StreamHistory(this.channels, this.lookback + horizon);
    this.seed = setup.seed ?? 0;
    this.build();
  }

  /** The trainable state as at creation: corrections zero (g_T = g_V = f), fresh optimisers, equal weights. */
  private build(): void {
    const rng = new Rng(this.seed);
    const { options, lookback: L, horizon: H, channels: V } = this;
    this.branches = {};
    if (options.branch !== 'variable') {
      const params = new ParamSet(options.weightDecay);
      this.branches.time = { params, correction: new TimeCorrection(params, L, H) };
    }
    if (options.branch !== 'time') {
      const params = new ParamSet(options.weightDecay);
      this.branches.variable = {
        params,
        correction: new VariableCorrection(params, rng, L, H, V, options.width),
      };
    }
    this.eg = undefined;
    this.learned = undefined;
    if (options.branch === 'both') {
      if (options.combine === 'learned')
        this.learned = new LearnedCombination(rng, H, V, options.lrWeight, options.lrBias);
      else this.eg = new EgCombination(V, options.eta, options.share);
    }
  }

  reset(): void {
    this.live();
    this.disposeState();
    this.build();
    this.steps = 0;
    this.recentLoss = null;
  }

  get next(): number {
    return this.history.next;
  }

  get parameterCount(): number {
    return (
      (this.branches.time?.params.size ?? 0) +
      (this.branches.variable?.params.size ?? 0) +
      (this.eg?.parameterCount ?? 0) +
      (this.learned?.parameterCount ?? 0)
    );
  }

  start(context: ReadonlyArray<ArrayLike<number>>): void {
    this.live();
    if (this.history.next > 0)
      throw new ValidationFailed('the stream has already started', [
        {
          field: 'context',
          reason: `already started (next time ${this.history.next}); observe continues it`,
        },
      ]);
    const n = context[0]?.length ?? 0;
    if (context.length !== this.channels || n < this.lookback || context.some((c) => c.length !== n))
      throw new ValidationFailed(
        `context must be ${this.channels} arrays of one length >= ${this.lookback}`,
        [
          {
            field: 'context',
            reason: `one array per channel (${this.channels}), equal lengths >= lookback (${this.lookback})`,
          },
        ],
      );
    this.history.append(context, 0);
  }

  forecast(): Float32Array[] {
    this.live();
    if (this.history.next === 0)
      throw new ValidationFailed('no context yet: start the stream first', [
        { field: 'context', reason: 'start first' },
      ]);
    const t = this.history.next;
    const combined = this.combine(this.branchOutputs(this.normalised(t - this.lookback, t)));
    const H = this.horizon;
    const V = this.channels;
    return Array.from({ length: V }, (_, v) => {
      const out = new Float32Array(H);
      for (let h = 0; h < H; h++) out[h] = combined[h * V + v] * this.scale.std[v] + this.scale.mean[v];
      return out;
    });
  }

  observe(values: ReadonlyArray<ArrayLike<number>>, at: number): AdaptationUpdate[] {
    this.live();
    if (this.history.next === 0)
      throw new ValidationFailed('no context yet: start the stream first', [
        { field: 'at', reason: 'start first' },
      ]);
    // every check first, on an empty probe at the same position, so a refused batch changes nothing
    StreamHistory.fromJSON(this.channels, 1, {
      next: this.history.next,
      values: Array.from({ length: this.channels }, () => []),
    }).append(values, at);
    const n = values[0].length;
    const updates: AdaptationUpdate[] = [];
    for (let k = 0; k < n; k++) {
      // one time at a time: the window maturing at at + k is learned from before at + k + 1 is appended
      this.history.append(
        values.map((c) => [c[k]]),
        at + k,
      );
      const u = this.learnFrom(at + k);
      if (u) updates.push(u);
    }
    return updates;
  }

  stats(): AdapterStats {
    return {
      method: this.method,
      next: this.next,
      steps: this.steps,
      recentLoss: this.recentLoss,
      parameterCount: this.parameterCount,
    };
  }

  /** The time branch's share per variable in the combination (1 / 0 for a branch alone). */
  combinationWeights(): number[] {
    if (this.eg) return Array.from(this.eg.timeWeights());
    if (this.learned) return Array.from(this.learned.timeWeights());
    return new Array<number>(this.channels).fill(this.branches.time ? 1 : 0);
  }

  snapshot(): AdapterSnapshot {
    this.live();
    const adam: Record<string, AdamJSON> = {};
    const params: AdapterSnapshot['params'] = {};
    for (const [name, b] of Object.entries(this.branches)) {
      Object.assign(params, b.params.toJSON());
      adam[name] = b.params.adamJSON();
    }
    const extra: Record<string, unknown> = { adam, seed: this.seed };
    if (this.eg) extra.eg = this.eg.toJSON();
    if (this.learned) {
      Object.assign(params, this.learned.params());
      extra.learned = this.learned.state();
    }
    return adapterSnapshot(this, {
      version: SNAPSHOT_VERSION,
      scale: this.scale,
      history: this.history,
      steps: this.steps,
      recentLoss: this.recentLoss,
      params,
      extra,
    });
  }

  /** Rebuilds an adapter from its snapshot around the frozen model it wrapped: it forecasts and continues identically. */
  static restore(snapshot: AdapterSnapshot, frozen: FrozenForecast): OneNetAdapter {
    if (snapshot.version !== SNAPSHOT_VERSION)
      throw new Unprocessable(`onenet snapshot version ${snapshot.version} is not ${SNAPSHOT_VERSION}`, [
        { field: 'snapshot.version', reason: `must be ${SNAPSHOT_VERSION}` },
      ]);
    if (frozen.lookback !== snapshot.lookback || frozen.channels !== snapshot.channels)
      throw new Unprocessable('the frozen model does not match the snapshot', [
        {
          field: 'frozen',
          reason: `snapshot has lookback ${snapshot.lookback} and ${snapshot.channels} channels; the model ${frozen.lookback} and ${frozen.channels}`,
        },
      ]);
    const options = onenetSchema.parse(snapshot.options, 'onenet', 'snapshot.options') as OneNetOptions;
    const seed = Number.isInteger(snapshot.extra?.seed) ? (snapshot.extra.seed as number) : 0;
    const a = new OneNetAdapter({ frozen, horizon: snapshot.horizon, scale: snapshot.scale, seed }, options);
    try {
      const adam = (snapshot.extra.adam ?? {}) as Record<string, AdamJSON>;
      for (const [name, b] of Object.entries(a.branches)) {
        b.params.load(snapshot.params);
        if (!adam[name]) throw new Error(`snapshot.extra.adam.${name} is missing`);
        b.params.loadAdam(adam[name]);
      }
      a.eg?.load(snapshot.extra.eg);
      a.learned?.load(snapshot.params, snapshot.extra.learned as Parameters<LearnedCombination['load']>[1]);
      a.history = StreamHistory.fromJSON(a.channels, a.lookback + a.horizon, snapshot.history);
      a.steps = snapshot.steps;
      a.recentLoss = snapshot.recentLoss;
    } catch (e) {
      a.dispose();
      const message = (e as Error).message;
      throw new Unprocessable(`onenet snapshot cannot be restored: ${message}`, [
        { field: message.match(/^(snapshot\.[\w.]+)/)?.[1] ?? 'snapshot', reason: message },
      ]);
    }
    return a;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeState();
  }

  private disposeState(): void {
    this.branches.time?.params.dispose();
    this.branches.variable?.params.dispose();
    this.learned?.dispose();
  }

  /** One online step on the window whose horizon the value at time t completes; null while its input is not all held. */
  private learnFrom(t: number): AdaptationUpdate | null {
    const L = this.lookback;
    const s = t - this.horizon + 1;
    if (s - L < this.history.oldest) return null;
    const x = this.normalised(s - L, s);
    const y = this.normalised(s, t + 1);
    const out = this.branchOutputs(x);
    // the loss of what the adapter would forecast for this window now, before any step
    const loss = meanSquare(this.combine(out), y);
    for (const b of Object.values(this.branches)) this.stepBranch(b, x, out.frozen, y);
    if (this.eg)
      this.eg.update(
        Array.from({ length: this.channels }, (_, v) => [
          channelMse(out.time!, y, v, this.channels),
          channelMse(out.variable!, y, v, this.channels),
        ]),
      );
    this.learned?.update(out.time!, out.variable!, y);
    this.steps += 1;
    this.recentLoss = loss;
    return { kind: 'online', origins: [s, s], labels: [s, t], loss };
  }

  private stepBranch(b: Branch, x: Float32Array, f: Float32Array, y: Float32Array): void {
    const [L, H, V] = [this.lookback, this.horizon, this.channels];
    tf.tidy(() => {
      const xT = tf.tensor3d(relativeToLast(x, V), [1, L, V]);
      const fT = tf.tensor3d(f, [1, H, V]);
      const yT = tf.tensor3d(y, [1, H, V]);
      b.params.step(
        () => tf.mean(tf.square(tf.sub(tf.add(fT, b.correction.apply(xT)), yT))),
        this.options.lr,
      );
    });
  }

  private branchOutputs(x: Float32Array): BranchOutputs {
    return tf.tidy(() => {
      const shape: [number, number, number] = [1, this.lookback, this.channels];
      const f = this.frozen.forward(tf.tensor3d(x, shape), this.horizon);
      const xr = tf.tensor3d(relativeToLast(x, this.channels), shape);
      const read = (b?: Branch) =>
        b ? (tf.add(f, b.correction.apply(xr)).dataSync() as Float32Array) : undefined;
      return {
        frozen: f.dataSync() as Float32Array,
        time: read(this.branches.time),
        variable: read(this.branches.variable),
      };
    });
  }

  /** The adapter's forecast from the branches' outputs, [H, V] row-major. */
  private combine(out: BranchOutputs): Float64Array {
    if (!out.time || !out.variable) return Float64Array.from((out.time ?? out.variable)!);
    const a = this.combinationWeights();
    const V = this.channels;
    return Float64Array.from(out.time, (gT, i) => a[i % V] * gT + (1 - a[i % V]) * out.variable![i]);
  }

  /** Values at times [from, to), normalised, [to - from, V] row-major. */
  private normalised(from: number, to: number): Float32Array {
    const raw = this.history.slice(from, to);
    const V = this.channels;
    const out = new Float32Array((to - from) * V);
    for (let v = 0; v < V; v++)
      for (let i = 0; i < to - from; i++)
        out[i * V + v] = (raw[v][i] - this.scale.mean[v]) / this.scale.std[v];
    return out;
  }

  private live(): void {
    if (this.disposed) throw new Error('this onenet adapter was disposed');
  }
}

function checkSetup({ frozen, horizon, scale }: AdapterSetup): void {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > frozen.maxHorizon)
    throw new ValidationFailed(`horizon ${horizon} is not served by the model`, [
      { field: 'horizon', reason: `an integer in [1, ${frozen.maxHorizon}]` },
    ]);
  const C = frozen.channels;
  if (
    scale.mean.length !== C ||
    scale.std.length !== C ||
    !scale.mean.every(Number.isFinite) ||
    !scale.std.every((s) => Number.isFinite(s) && s > 0)
  )
    throw new ValidationFailed(`scale must give a finite mean and a positive std for each of ${C} channels`, [
      { field: 'scale', reason: `${C} finite means and positive stds` },
    ]);
}

/**
 * The branches' input: each variable's window minus its last value, as NLinear does. The
 * corrections then see the window's shape, not its level: after a level shift a linear map
 * of the raw window would add (sum of its weights) x (new level) to every forecast, which
 * the frozen model (not the correction) should carry. Still linear in the window (its
 * weights sum to zero against the last value), and the biases carry constant offsets.
 */
function relativeToLast(x: Float32Array, V: number): Float32Array {
  const out = new Float32Array(x.length);
  const last = x.length - V;
  for (let i = 0; i < x.length; i++) out[i] = x[i] - x[last + (i % V)];
  return out;
}

function meanSquare(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return s / y.length;
}

/** MSE of channel v over the horizon, [H, V] row-major. */
function channelMse(pred: Float32Array, y: Float32Array, v: number, V: number): number {
  let s = 0;
  const H = y.length / V;
  for (let h = 0; h < H; h++) s += (pred[h * V + v] - y[h * V + v]) ** 2;
  return s / H;
}
