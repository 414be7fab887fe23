import { deriveSeed } from '@seqcast/numeric';
import type { S4DState } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { ParamDeclaration } from '../trainable/declared-params';
import { gaussianKl, gaussianNll } from './elbo';
import { Discrete, ParamLookup, S4dUnit } from './s4d-unit';
import { SsmStack } from './ssm-stack';

export interface Ls4Shape {
  /** Observed channels per step (1: the zoo is channel-independent). */
  channels: number;
  dModel: number;
  stateSize: number;
  layers: number;
  zDim: number;
  /** The decoder's fixed standard deviation. */
  sigma: number;
}

/** A Gaussian per latent dimension and step: [B, zDim, L] (or [B, zDim] at one step). */
export interface Gaussian<T extends tf.Tensor = tf.Tensor3D> {
  mean: T;
  logStd: T;
}

/** The prior's recurrent state: its stack's and its two heads' (a type: tf.tidy returns it). */
export type PriorState = {
  stack: S4DState[];
  mean: S4DState;
  logStd: S4DState;
};

/** Regular-step discretisations of every prior and decoder layer, reused over a rollout. */
export interface RolloutDiscrete {
  prior: Discrete[];
  priorMean: Discrete;
  priorLogStd: Discrete;
  decoder: Discrete[];
}

/** The ELBO's parts, each a mean per (row, step): loss = kl + nll. */
export interface ElboTerms {
  loss: tf.Scalar;
  kl: tf.Scalar;
  nll: tf.Scalar;
}

/**
 * LS4 (Zhou et al., "Deep Latent State Space Models for Time-Series Generation", ICML 2023),
 * the Monash configuration of alexzhou907/ls4 (no auxiliary x input, 'split' latent heads):
 *
 *   posterior q(z_t | x_<=t) = N(m, s^2):  h = Stack_q(x);  m = Head_m(h),  log s = Head_s(h)
 *   prior     p(z_t | z_<t)  = N(m, s^2):  h = Stack_p([z0, z_1 .. z_{t-1}]); the same two heads
 *   decoder   p(x_t | z_<=t) = N(Stack_d(z)_t, sigma^2), sigma fixed
 *
 * with z0 a learned vector (zeros at first), each Stack an SsmStack ending in a linear map to
 * z_dim (posterior, prior) or the channels (decoder), and each Head a bare S4D unit over the
 * z_dim channels (the reference's separate S4 layers for mean and log-std).
 *
 * Differences from the reference, on purpose: each stack is a plain run of prenorm residual
 * S4D blocks (the reference wraps them in a SaShiMi backbone with pool [1]: a width-doubling
 * centre with feed-forward blocks and a one-step-shifted up-pool); S4D (diagonal) kernels
 * in place of the Monash config's full S4; the KL is summed over latent dimensions (the true
 * ELBO; the reference's training loss averages it over them, weighting it by 1 / z_dim).
 */
export class Ls4Network {
  readonly posterior: SsmStack;
  readonly postMean: S4dUnit;
  readonly postLogStd: S4dUnit;
  readonly prior: SsmStack;
  readonly priorMean: S4dUnit;
  readonly priorLogStd: S4dUnit;
  readonly decoder: SsmStack;

  constructor(readonly shape: Ls4Shape) {
    const { channels, dModel, stateSize, layers, zDim } = shape;
    const stack = (prefix: string, input: number, output: number) =>
      new SsmStack({ prefix, input, width: dModel, output, layers, stateSize });
    this.posterior = stack('q', channels, zDim);
    this.postMean = new S4dUnit('q.mean', zDim, stateSize, false);
    this.postLogStd = new S4dUnit('q.logStd', zDim, stateSize, false);
    this.prior = stack('p', zDim, zDim);
    this.priorMean = new S4dUnit('p.mean', zDim, stateSize, false);
    this.priorLogStd = new S4dUnit('p.logStd', zDim, stateSize, false);
    this.decoder = stack('d', zDim, channels);
  }

  declarations(): ParamDeclaration[] {
    return [
      ...this.posterior.declarations(),
      ...this.postMean.declarations(),
      ...this.postLogStd.declarations(),
      { name: 'p.z0', shape: [this.shape.zDim], init: { constant: 0 } },
      ...this.prior.declarations(),
      ...this.priorMean.declarations(),
      ...this.priorLogStd.declarations(),
      ...this.decoder.declarations(),
    ];
  }

  /** Initial S4D weights of every unit, each unit from its own derived seed. */
  initialS4DValues(seed: number, init: 'lin' | 'inv'): Map<string, Float32Array> {
    const units = [
      ...this.posterior.units,
      this.postMean,
      this.postLogStd,
      ...this.prior.units,
      this.priorMean,
      this.priorLogStd,
      ...this.decoder.units,
    ];
    const out = new Map<string, Float32Array>();
    units.forEach((u, i) =>
      u.initialS4DValues(deriveSeed(seed, 101, i), init).forEach((v, k) => out.set(k, v)),
    );
    return out;
  }

  /** q(z | x) over a sequence: x [B, C, L] -> mean, log-std [B, zDim, L]. */
  encode(get: ParamLookup, x: tf.Tensor3D, dtScale?: tf.Tensor2D): Gaussian {
    const h = this.posterior.sequence(get, x, { dtScale }).y;
    return {
      mean: this.postMean.sequence(get, h, { dtScale }).y,
      logStd: this.postLogStd.sequence(get, h, { dtScale }).y,
    };
  }

  /** z shifted one step right behind the learned start z0: [B, zDim, L] -> [B, zDim, L]. */
  shifted(get: ParamLookup, z: tf.Tensor3D): tf.Tensor3D {
    const [B, Z, L] = z.shape;
    const z0 = tf.broadcastTo(tf.reshape(get('p.z0'), [1, Z, 1]), [B, Z, 1]);
    return tf.concat([z0, tf.slice(z, [0, 0, 0], [B, Z, L - 1])], 2) as tf.Tensor3D;
  }

  /** p(z_t | z_<t) for every t of a sequence z [B, zDim, L] (convolution mode, or the recurrence with dt). */
  priorOf(get: ParamLookup, z: tf.Tensor3D, dtScale?: tf.Tensor2D): Gaussian {
    const h = this.prior.sequence(get, this.shifted(get, z), { dtScale }).y;
    return {
      mean: this.priorMean.sequence(get, h, { dtScale }).y,
      logStd: this.priorLogStd.sequence(get, h, { dtScale }).y,
    };
  }

  /** The decoder's means: z [B, zDim, L] -> [B, C, L]. */
  decode(get: ParamLookup, z: tf.Tensor3D, dtScale?: tf.Tensor2D): tf.Tensor3D {
    return this.decoder.sequence(get, z, { dtScale }).y;
  }

  /**
   * -ELBO per step: (sum_t mask_t [KL(q(z_t) || p(z_t | z_<t)) + NLL(x_t | z_<=t)]) / sum mask,
   * with z ~ q by the reparameterisation z = m + s eps (`eps` [B, zDim, L], standard normal).
   * `mask` [B, L] (1 = observed) leaves padded steps out; absent, every step counts.
   */
  elbo(
    get: ParamLookup,
    x: tf.Tensor3D,
    eps: tf.Tensor3D,
    o: { dtScale?: tf.Tensor2D; mask?: tf.Tensor2D } = {},
  ): ElboTerms {
    const q = this.encode(get, x, o.dtScale);
    const z = tf.add(q.mean, tf.mul(tf.exp(q.logStd), eps)) as tf.Tensor3D;
    const p = this.priorOf(get, z, o.dtScale);
    const kl = tf.sum(gaussianKl(q, p), 1) as tf.Tensor2D; // [B, L]
    const nll = tf.sum(gaussianNll(x, this.decode(get, z, o.dtScale), this.shape.sigma), 1) as tf.Tensor2D;
    const [B, , L] = x.shape;
    const mask = o.mask ?? tf.ones([B, L]);
    const count = tf.maximum(tf.sum(mask), 1);
    const avg = (t: tf.Tensor2D) => tf.div(tf.sum(tf.mul(t, mask)), count) as tf.Scalar;
    const klMean = avg(kl);
    const nllMean = avg(nll);
    return { loss: tf.add(klMean, nllMean) as tf.Scalar, kl: klMean, nll: nllMean };
  }

  // ---- recurrent mode ------------------------------------------------------------------------

  discretise(get: ParamLookup): RolloutDiscrete {
    return {
      prior: this.prior.discretise(get),
      priorMean: this.priorMean.discretise(get),
      priorLogStd: this.priorLogStd.discretise(get),
      decoder: this.decoder.discretise(get),
    };
  }

  zeroPriorState(get: ParamLookup, batch: number): PriorState {
    return {
      stack: this.prior.zeroStates(get, batch),
      mean: this.priorMean.zeroState(get, batch),
      logStd: this.priorLogStd.zeroState(get, batch),
    };
  }

  /**
   * The prior over a run of inputs from a state: zIn [B, zDim, L] (z_{t-1} at position t)
   * -> the Gaussians of z_t and the state after the last input (the recurrence).
   */
  priorScan(
    get: ParamLookup,
    zIn: tf.Tensor3D,
    state: PriorState | null,
    dtScale?: tf.Tensor2D,
  ): { dist: Gaussian; state: PriorState } {
    const h = this.prior.sequence(get, zIn, { dtScale, recurrent: true, states: state?.stack });
    const m = this.priorMean.sequence(get, h.y, { dtScale, recurrent: true, state: state?.mean });
    const s = this.priorLogStd.sequence(get, h.y, { dtScale, recurrent: true, state: state?.logStd });
    return {
      dist: { mean: m.y, logStd: s.y },
      state: { stack: h.states, mean: m.state!, logStd: s.state! },
    };
  }

  /** One prior step: z_{t-1} [B, zDim] -> the Gaussian of z_t. */
  priorStep(
    get: ParamLookup,
    state: PriorState,
    zPrev: tf.Tensor2D,
    o: { dtScale?: tf.Tensor1D; discrete?: RolloutDiscrete } = {},
  ): { dist: Gaussian<tf.Tensor2D>; state: PriorState } {
    const d = o.dtScale ? undefined : o.discrete;
    const h = this.prior.step(get, state.stack, zPrev, { dtScale: o.dtScale, discrete: d?.prior });
    const m = this.priorMean.step(get, state.mean, h.y, { dtScale: o.dtScale, discrete: d?.priorMean });
    const s = this.priorLogStd.step(get, state.logStd, h.y, { dtScale: o.dtScale, discrete: d?.priorLogStd });
    return { dist: { mean: m.y, logStd: s.y }, state: { stack: h.states, mean: m.state, logStd: s.state } };
  }
}
