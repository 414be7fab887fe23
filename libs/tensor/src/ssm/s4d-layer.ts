import * as tf from '@tensorflow/tfjs';
import { s4dConv } from './s4d-conv';
import { discretise } from './s4d-kernel';
import { initS4DValues, S4D_WEIGHT_NAMES, S4DOptions, S4DWeightName, S4DWeights } from './s4d-params';
import { S4DState, s4dScan, s4dStep, s4dZeroState } from './s4d-recurrent';

let instances = 0;

export interface S4DLayerOptions extends S4DOptions {
  /** Train B too (the S4 repository's diagonal kernels do; the minimal S4D keeps B = 1). */
  trainB?: boolean;
}

/**
 * The S4D layer's state: its weights as tf.Variables, and the three ways to run them, which
 * agree on regular data (s4d specs): `forward` (the convolution mode, for training; with
 * `dtScale` it falls back to the scan), `scan` (the recurrence over a sequence, returning the
 * last state: conditioning before generation, irregular steps) and `step` (one step of
 * generation). Layout [B, H, L], channels first.
 */
export class S4DLayer {
  readonly weights: S4DWeights;
  readonly channels: number;
  readonly modes: number;
  private readonly vars: Record<S4DWeightName, tf.Variable>;
  private readonly trainB: boolean;

  constructor(options: S4DLayerOptions) {
    const init = initS4DValues(options);
    const uid = `s4d_${process.pid}_${++instances}`;
    this.trainB = !!options.trainB;
    const vars = {} as Record<S4DWeightName, tf.Variable>;
    for (const name of S4D_WEIGHT_NAMES) {
      const trainable = this.trainB || (name !== 'bRe' && name !== 'bIm');
      vars[name] = tf.tidy(() =>
        tf.variable(tf.tensor(init[name].values, init[name].shape), trainable, `${uid}_${name}`),
      );
    }
    this.vars = vars;
    this.weights = vars as unknown as S4DWeights;
    [this.channels, this.modes] = init.cRe.shape;
  }

  /** Every weight by name (for checkpoints and artifacts), B included. */
  namedVariables(): Record<S4DWeightName, tf.Variable> {
    return { ...this.vars };
  }

  /** What an optimiser updates (B only with trainB). */
  get trainableVariables(): tf.Variable[] {
    return S4D_WEIGHT_NAMES.filter((n) => this.vars[n].trainable).map((n) => this.vars[n]);
  }

  /** y = K * u + D u (convolution mode); with dtScale [B, L] the recurrence with per-step steps. */
  forward(u: tf.Tensor3D, options: { dtScale?: tf.Tensor2D } = {}): tf.Tensor3D {
    if (options.dtScale) return this.scan(u, options).y;
    return s4dConv(this.weights, u);
  }

  scan(
    u: tf.Tensor3D,
    options: { dtScale?: tf.Tensor2D; state?: S4DState } = {},
  ): { y: tf.Tensor3D; state: S4DState } {
    return s4dScan(this.weights, u, options);
  }

  step(
    state: S4DState,
    u: tf.Tensor2D,
    options: { dtScale?: tf.Tensor1D } = {},
  ): { y: tf.Tensor2D; state: S4DState } {
    return s4dStep(this.weights, state, u, options);
  }

  /** The discretisation at the learned steps, to pass to s4dStep in a long regular rollout. */
  discretise() {
    return discretise(this.weights);
  }

  zeroState(batch: number): S4DState {
    return s4dZeroState(batch, this.weights);
  }

  dispose(): void {
    for (const name of S4D_WEIGHT_NAMES) this.vars[name].dispose();
  }
}
