import { ValidationFailed } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { dropoutScales } from './dropout-scales';
import { channelLayerNorm } from './channel-layer-norm';
import { channelMix } from './channel-mix';
import { geluOp } from './gelu';
import { gluWithBias } from './glu-bias';
import { S4DLayer, S4DLayerOptions } from './s4d-layer';
import type { S4DState } from './s4d-recurrent';

let instances = 0;

export interface S4DBlockOptions extends S4DLayerOptions {
  /** Dropout rate (S4D's masks are tied along the sequence: whole channels drop). */
  dropout?: number;
  /** LayerNorm's epsilon (torch's default). */
  layerNormEps?: number;
}

/**
 * A prenorm residual S4D block, as S4D's reference block and example model arrange it:
 *
 *   z = LayerNorm_H(x) -> S4D (K * z + D z) -> GELU -> dropout
 *       -> position-wise Linear H -> 2H and GLU over channels (the reference's output_linear)
 *       -> dropout;   out = x + z
 *
 * on [B, H, L] (channels first). The second dropout is the example model's, after the layer.
 * Dropout masks are drawn per (sample, channel) and shared along L (the reference's
 * DropoutNd), from the block's own seeded Rng; `training: false` (the default) turns both off.
 * `step` runs the same block one position at a time (eval mode) from the S4D state: LayerNorm,
 * GELU and the linear map act per position, so the two agree.
 */
export class S4DBlock {
  readonly s4d: S4DLayer;
  readonly channels: number;
  readonly dropout: number;
  readonly norm: { gamma: tf.Variable; beta: tf.Variable };
  /** Output mixing, W [2H, H] and b [2H] (torch Conv1d(H, 2H, 1)'s layout and init). */
  readonly linear: { w: tf.Variable; b: tf.Variable };
  private readonly eps: number;
  /** The dropout masks' stream: a training checkpoint saves its state so a resumed run draws the same masks. */
  readonly dropoutRng: Rng;

  constructor(options: S4DBlockOptions) {
    const dropout = options.dropout ?? 0;
    if (!(dropout >= 0 && dropout < 1))
      throw new ValidationFailed('Invalid S4D block options', [
        { field: 'dropout', reason: 'must be in [0, 1)' },
      ]);
    this.s4d = new S4DLayer(options);
    const H = this.s4d.channels;
    this.channels = H;
    this.dropout = dropout;
    this.eps = options.layerNormEps ?? 1e-5;
    const seed = options.seed ?? 0;
    const uid = `s4dblock_${process.pid}_${++instances}`;
    const rng = new Rng(deriveSeed(seed, 1));
    const bound = 1 / Math.sqrt(H);
    const uniform = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
    const w = uniform(2 * H * H);
    const b = uniform(2 * H);
    const v = (values: Float32Array, shape: number[], name: string) =>
      tf.tidy(() => tf.variable(tf.tensor(values, shape), true, `${uid}_${name}`));
    this.norm = {
      gamma: v(new Float32Array(H).fill(1), [H], 'norm.gamma'),
      beta: v(new Float32Array(H), [H], 'norm.beta'),
    };
    this.linear = { w: v(w, [2 * H, H], 'linear.w'), b: v(b, [2 * H], 'linear.b') };
    this.dropoutRng = new Rng(deriveSeed(seed, 2));
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.s4d.trainableVariables, this.norm.gamma, this.norm.beta, this.linear.w, this.linear.b];
  }

  /** x: [B, H, L] -> [B, H, L]. With dtScale [B, L] the S4D layer runs its recurrence (irregular steps). */
  forward(x: tf.Tensor3D, options: { training?: boolean; dtScale?: tf.Tensor2D } = {}): tf.Tensor3D {
    return this.scanFrom(x, options, (z) => ({ y: this.s4d.forward(z, options) })).y;
  }

  /** The block over a sequence by the recurrence, from `state` (zero if absent), returning the last state. */
  scan(
    x: tf.Tensor3D,
    options: { training?: boolean; dtScale?: tf.Tensor2D; state?: S4DState } = {},
  ): { y: tf.Tensor3D; state: S4DState } {
    const out = this.scanFrom(x, options, (z) => this.s4d.scan(z, options));
    return { y: out.y, state: out.state as S4DState };
  }

  /** One position in eval mode: x: [B, H] -> [B, H] and the next S4D state. */
  step(
    state: S4DState,
    x: tf.Tensor2D,
    options: { dtScale?: tf.Tensor1D } = {},
  ): { y: tf.Tensor2D; state: S4DState } {
    return tf.tidy(() => {
      const z = this.layerNorm(tf.expandDims(x, 2) as tf.Tensor3D);
      const s = this.s4d.step(state, tf.squeeze(z, [2]) as tf.Tensor2D, options);
      const mixed = this.mix(tf.expandDims(geluOp(s.y), 2) as tf.Tensor3D);
      return { y: tf.add(x, tf.squeeze(mixed, [2])) as tf.Tensor2D, state: s.state };
    });
  }

  zeroState(batch: number): S4DState {
    return this.s4d.zeroState(batch);
  }

  dispose(): void {
    this.s4d.dispose();
    tf.dispose([this.norm.gamma, this.norm.beta, this.linear.w, this.linear.b]);
  }

  private scanFrom(
    x: tf.Tensor3D,
    options: { training?: boolean },
    core: (z: tf.Tensor3D) => { y: tf.Tensor3D; state?: S4DState },
  ): { y: tf.Tensor3D; state?: S4DState } {
    return tf.tidy(() => {
      const training = !!options.training && this.dropout > 0;
      const s = core(this.layerNorm(x));
      // the two channel dropouts ride in the GELU's and the GLU's fused ops, the residual add too
      const [B, H] = x.shape;
      const first = training ? dropoutScales(B * H, this.dropout, this.dropoutRng) : undefined;
      const second = training ? dropoutScales(B * H, this.dropout, this.dropoutRng) : undefined;
      const z = geluOp(s.y, first) as tf.Tensor3D;
      const y = this.mix(z, { scale: second, residual: x });
      return { y, ...(s.state ? { state: s.state } : {}) };
    });
  }

  /** LayerNorm over the channel axis 1 of [B, H, L] (one fused op each way). */
  private layerNorm(x: tf.Tensor3D): tf.Tensor3D {
    return channelLayerNorm(x, this.norm.gamma as tf.Tensor1D, this.norm.beta as tf.Tensor1D, this.eps);
  }

  /** W z + b over channels, then GLU: first half times sigmoid of the second. */
  private mix(z: tf.Tensor3D, tail: { scale?: Float32Array; residual?: tf.Tensor3D } = {}): tf.Tensor3D {
    // the products per sample on the gemm (no transposes), then bias, split, sigmoid and
    // product in one fused op each way
    return gluWithBias(channelMix(z, this.linear.w as tf.Tensor2D), this.linear.b as tf.Tensor1D, tail);
  }
}
