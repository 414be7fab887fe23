import * as tf from '@tensorflow/tfjs';
import type { Rng } from '@seqcast/numeric';
import { ParamSet, uniformInit, type AdamJSON, type ParamJSON } from './param-set';

/** Hidden width of the bias network (the reference's mlp_width for the decision MLP). */
const BIAS_WIDTH = 32;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The combination OneNet's code ships (exp_onenet_*.py, `individual`): the time branch's
 * weight per variable is sigmoid(w_v + b_v), w learned by Adam and b the output of a small
 * tanh MLP (3H -> 32 -> 32 -> 1, shared by the variables) fed [sigmoid(w) y_T, (1 -
 * sigmoid(w)) y_V, y] of the window just matured; the b computed on a step is applied to the
 * forecasts until the next step (the reference's "reinforcement" bias).
 *
 * Both steps use one backward, as the reference's accumulated gradients do: the MLP steps on
 * the loss of sigmoid(w + b), w on that loss plus the loss of sigmoid(w) alone (the
 * reference's loss_bias.backward() also reaches w before loss_w's step). The MLP's dropout
 * (0.1 in the reference, active at test time there) is left out so that a forecast is
 * deterministic and a snapshot continues bit-identically.
 */
export class LearnedCombination {
  private readonly weightParams = new ParamSet();
  private readonly biasParams = new ParamSet();
  private readonly w: tf.Variable;
  private readonly layers: Array<{ weight: tf.Variable; bias: tf.Variable }>;
  /** b per variable, from the latest step (0 before any) */
  private bias: number[];

  constructor(
    rng: Rng,
    readonly horizon: number,
    readonly channels: number,
    private readonly lrWeight: number,
    private readonly lrBias: number,
  ) {
    this.w = this.weightParams.add('combine.weight', tf.zeros([channels]));
    const sizes = [3 * horizon, BIAS_WIDTH, BIAS_WIDTH, 1];
    this.layers = sizes.slice(1).map((out, i) => ({
      weight: this.biasParams.add(`bias.layer${i}.weight`, uniformInit(rng, [sizes[i], out], sizes[i])),
      bias: this.biasParams.add(`bias.layer${i}.bias`, uniformInit(rng, [out], sizes[i])),
    }));
    this.bias = new Array<number>(channels).fill(0);
  }

  get parameterCount(): number {
    return this.weightParams.size + this.biasParams.size;
  }

  timeWeights(): Float64Array {
    const w = this.w.dataSync();
    return Float64Array.from(this.bias, (b, v) => sigmoid(w[v] + b));
  }

  /** gT, gV, y: [H, V] row-major, normalised, the branches' outputs (before their step) and the truth. */
  update(gT: Float32Array, gV: Float32Array, y: Float32Array): void {
    const H = this.horizon;
    const V = this.channels;
    let kept: tf.Tensor | undefined;
    tf.tidy(() => {
      const y1 = tf.transpose(tf.tensor2d(gT, [H, V]));
      const y2 = tf.transpose(tf.tensor2d(gV, [H, V]));
      const truth = tf.transpose(tf.tensor2d(y, [H, V]));
      const mix = (a: tf.Tensor) => tf.add(tf.mul(a, y1), tf.mul(tf.sub(1, a), y2));
      const { grads } = tf.variableGrads(() => {
        const a = tf.sigmoid(tf.reshape(this.w, [V, 1]));
        let h: tf.Tensor = tf.concat([tf.mul(a, y1), tf.mul(tf.sub(1, a), y2), truth], 1);
        this.layers.forEach((l, i) => {
          h = tf.add(tf.matMul(h, l.weight), l.bias);
          if (i < this.layers.length - 1) h = tf.tanh(h);
        });
        kept = tf.keep(h);
        const lossBias = tf.mean(
          tf.square(tf.sub(mix(tf.sigmoid(tf.add(tf.reshape(this.w, [V, 1]), h))), truth)),
        );
        const lossW = tf.mean(tf.square(tf.sub(mix(a), truth)));
        return tf.add(lossBias, lossW) as tf.Scalar;
      }, [...this.biasParams.variables, this.w]);
      this.biasParams.apply(grads, this.lrBias);
      this.weightParams.apply(grads, this.lrWeight);
    });
    this.bias = Array.from(kept!.dataSync());
    kept!.dispose();
  }

  params(): Record<string, ParamJSON> {
    return { ...this.weightParams.toJSON(), ...this.biasParams.toJSON() };
  }

  state(): { bias: number[]; adamWeight: AdamJSON; adamBias: AdamJSON } {
    return {
      bias: [...this.bias],
      adamWeight: this.weightParams.adamJSON(),
      adamBias: this.biasParams.adamJSON(),
    };
  }

  load(
    params: Record<string, ParamJSON>,
    state: { bias: number[]; adamWeight: AdamJSON; adamBias: AdamJSON },
  ): void {
    this.weightParams.load(params);
    this.biasParams.load(params);
    if (
      !Array.isArray(state?.bias) ||
      state.bias.length !== this.channels ||
      !state.bias.every(Number.isFinite)
    )
      throw new Error(`snapshot.extra.learned.bias: expected ${this.channels} finite numbers`);
    this.weightParams.loadAdam(state.adamWeight);
    this.biasParams.loadAdam(state.adamBias);
    this.bias = [...state.bias];
  }

  dispose(): void {
    this.weightParams.dispose();
    this.biasParams.dispose();
  }
}
