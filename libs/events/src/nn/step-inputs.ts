import type { NativeKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { StepPlan } from './step-plan';

/**
 * The input pre-activations of a fused recurrence, x[b, t] = table[ids[b, t]] +
 * features[b, t] featureW, never materialised as a [B, T, G] tensor. An event's type
 * embedding times the input weights (plus bias) takes only V = types + 1 values, so the
 * model multiplies a [V, E] table once instead of [B T, E] rows, and the op reads rows;
 * features [B, T, F] (no gradient: gaps and the like) and featureW [F, G] are optional.
 */
export interface StepInputs {
  table: tf.Tensor2D;
  ids: tf.Tensor2D;
  features?: tf.Tensor3D;
  featureW?: tf.Tensor2D;
}

/** The tensors an op differentiates through StepInputs, in order: table, then featureW if any. */
export function stepInputTensors(inp: StepInputs): tf.Tensor[] {
  return inp.features ? [inp.table, inp.featureW!] : [inp.table];
}

/** x as a [B, T, G] tensor: what the step-by-step references take. */
export function stepInputsTensor(inp: StepInputs): tf.Tensor3D {
  const x = tf.gather(inp.table, inp.ids);
  return (
    inp.features
      ? tf.add(
          x,
          tf.matMul(
            inp.features,
            tf.expandDims(inp.featureW!, 0).tile([inp.ids.shape[0], 1, 1]) as tf.Tensor3D,
          ),
        )
      : x
  ) as tf.Tensor3D;
}

/** Reads rows of x and scatters their gradients, over the arrays of one op call. */
export class StepInputReader {
  readonly T: number;
  readonly G: number;
  private readonly ids: Int32Array;
  private readonly F: number;
  private readonly feats: Float32Array | null;
  private readonly table: Float32Array;
  private readonly featW: Float32Array | null;

  /** Checks shapes and ids; `width` is G, what the op expects per step. Made inside the op's forward pass (values as of then). */
  constructor(inp: StepInputs, width: number, opName: string) {
    const [B, T] = inp.ids.shape;
    const [V, G] = inp.table.shape;
    if (G !== width) throw new Error(`${opName}: table [${inp.table.shape}] should have ${width} columns`);
    if (!inp.features !== !inp.featureW) throw new Error(`${opName}: features and featureW come together`);
    const F = inp.features ? inp.features.shape[2] : 0;
    if (
      inp.features &&
      (inp.features.shape[0] !== B ||
        inp.features.shape[1] !== T ||
        inp.featureW!.shape[0] !== F ||
        inp.featureW!.shape[1] !== G)
    ) {
      throw new Error(
        `${opName}: features [${inp.features.shape}] and featureW [${inp.featureW!.shape}] do not match ids [${inp.ids.shape}] and ${G} columns`,
      );
    }
    this.ids = inp.ids.dataSync() as Int32Array;
    for (const v of this.ids)
      if (!(v >= 0 && v < V)) throw new Error(`${opName}: id ${v} outside the table's ${V} rows`);
    this.T = T;
    this.G = G;
    this.F = F;
    this.feats = inp.features ? (inp.features.dataSync() as Float32Array) : null;
    this.table = inp.table.dataSync() as Float32Array;
    this.featW = inp.featureW ? (inp.featureW.dataSync() as Float32Array) : null;
  }

  /** dst[off..off + G) = x[b, t]. */
  read(b: number, t: number, dst: Float32Array, off: number): void {
    const { G, F, table, feats, featW } = this; // locals: V8 does not hoist property loads out of these loops
    const row = this.ids[b * this.T + t] * G;
    if (!feats) {
      for (let j = 0; j < G; j++) dst[off + j] = table[row + j];
      return;
    }
    const fo = (b * this.T + t) * F;
    const w = featW!;
    if (F === 2) {
      // the recurrent models' two time features in one pass (three passes cost ~2x)
      const v0 = feats[fo];
      const v1 = feats[fo + 1];
      for (let j = 0; j < G; j++) dst[off + j] = table[row + j] + v0 * w[j] + v1 * w[G + j];
      return;
    }
    for (let j = 0; j < G; j++) dst[off + j] = table[row + j];
    for (let f = 0; f < F; f++) {
      const v = feats[fo + f];
      for (let j = 0; j < G; j++) dst[off + j] += v * w[f * G + j];
    }
  }

  /** Adds the gradient g = src[off..off + G) of x[b, t] into dTable and dFeatureW. */
  accumulate(b: number, t: number, src: Float32Array, off: number, g: StepInputGrads): void {
    const { G, F, feats } = this;
    const gt = g.table;
    const row = this.ids[b * this.T + t] * G;
    if (!feats) {
      for (let j = 0; j < G; j++) gt[row + j] += src[off + j];
      return;
    }
    const gw = g.featureW;
    const fo = (b * this.T + t) * F;
    if (F === 2) {
      const v0 = feats[fo];
      const v1 = feats[fo + 1];
      for (let j = 0; j < G; j++) {
        const d = src[off + j];
        gt[row + j] += d;
        gw[j] += v0 * d;
        gw[G + j] += v1 * d;
      }
      return;
    }
    for (let j = 0; j < G; j++) gt[row + j] += src[off + j];
    for (let f = 0; f < F; f++) {
      const v = feats[fo + f];
      for (let j = 0; j < G; j++) gw[f * G + j] += v * src[off + j];
    }
  }

  /** Every running row of the plan (step-plan.ts) into x [T, B, G], the internal layout; natively where nk is given. */
  readAll(plan: StepPlan, x: Float32Array, nk?: NativeKernels | null): void {
    const { B, order, active } = plan;
    if (nk) {
      nk.stepRead(B, this.T, this.G, this.F, order, active, this.ids, this.feats ?? NONE, this.table, this.featW ?? NONE, x);
      return;
    }
    for (let t = 0; t < this.T; t++) for (let r = 0; r < active[t]; r++) this.read(order[r], t, x, (t * B + r) * this.G);
  }

  /** The gradients dX [T, B, G] of every running row scattered into g; natively where nk is given. */
  accumulateAll(plan: StepPlan, dX: Float32Array, g: StepInputGrads, nk?: NativeKernels | null): void {
    const { B, order, active } = plan;
    if (nk) {
      nk.stepAccumulate(B, this.T, this.G, this.F, order, active, this.ids, this.feats ?? NONE, dX, g.table, g.featureW);
      return;
    }
    for (let t = 0; t < this.T; t++) for (let r = 0; r < active[t]; r++) this.accumulate(order[r], t, dX, (t * B + r) * this.G, g);
  }

  /** Zeroed gradient accumulators (float64: each sums over every event of the batch). */
  grads(): StepInputGrads {
    return {
      table: new Float64Array(this.table.length),
      featureW: new Float64Array(this.featW ? this.featW.length : 0),
    };
  }

  /** The accumulated gradients as tensors, in stepInputTensors' order. */
  gradTensors(g: StepInputGrads, inp: StepInputs): tf.Tensor[] {
    const t = tf.tensor2d(Float32Array.from(g.table), inp.table.shape);
    return inp.featureW ? [t, tf.tensor2d(Float32Array.from(g.featureW), inp.featureW.shape)] : [t];
  }
}

const NONE = new Float32Array(0);

export interface StepInputGrads {
  table: Float64Array;
  featureW: Float64Array;
}
