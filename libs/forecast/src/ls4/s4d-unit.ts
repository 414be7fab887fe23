import {
  channelLayerNorm as fusedChannelLayerNorm,
  channelMix,
  ComplexParts,
  geluOp,
  gluWithBias,
  initS4DValues,
  S4D_WEIGHT_NAMES,
  s4dConv,
  s4dDiscretise,
  s4dScan,
  S4DState,
  s4dStep,
  S4DWeights,
  s4dZeroState,
} from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { ParamDeclaration } from '../trainable/declared-params';

/** Reads a declared parameter by name (the model's DeclaredParams). */
export type ParamLookup = (name: string) => tf.Tensor;

/** One layer's regular-step discretisation, reused over the steps of a rollout. */
export type Discrete = { dA: ComplexParts; dB: ComplexParts };

/** How a sequence pass runs: the convolution (no state out) or the recurrence (state in and out, any dt). */
export interface SequenceOptions {
  /** Per (row, step) factor on the learned steps [B, L]: irregular sampling; forces the recurrence. */
  dtScale?: tf.Tensor2D;
  /** Run the recurrence and return the last state (from `state`, zero if absent). */
  recurrent?: boolean;
  state?: S4DState;
}

export interface StepOptions {
  /** Per row factor on the learned steps [B]. */
  dtScale?: tf.Tensor1D;
  discrete?: Discrete;
}

/**
 * An S4D unit on [B, H, L] (channels first), the parts of the S4D reference layer that LS4's
 * stacks use:
 *
 *   core(u) = GLU(W GELU(K * u + D u) + b)          (S4D with its output_linear, W: [2H, H])
 *   residual unit: x + core(LayerNorm(x))           (the prenorm residual block)
 *   bare unit:     core(x)                          (the mean and log-std heads)
 *
 * Functional over named parameters so that one DeclaredParams holds every weight of the
 * model (artifacts, checkpoints, the optimiser). The S4D weights are declared with a
 * placeholder and drawn by `initialS4DValues` (S4D-Lin or -Inv, log dt uniform in
 * [log 0.001, log 0.1]); B is trained, as in the LS4 reference's S4D kernel. No dropout:
 * the paper's configurations use 0.
 */
export class S4dUnit {
  constructor(
    readonly prefix: string,
    readonly channels: number,
    readonly stateSize: number,
    readonly residual: boolean,
  ) {}

  declarations(): ParamDeclaration[] {
    const H = this.channels;
    const M = this.stateSize / 2;
    const p = this.prefix;
    const bound = 1 / Math.sqrt(H);
    const out: ParamDeclaration[] = [];
    if (this.residual) {
      out.push({ name: `${p}.norm.gamma`, shape: [H], init: { constant: 1 } });
      out.push({ name: `${p}.norm.beta`, shape: [H], init: { constant: 0 } });
    }
    for (const n of S4D_WEIGHT_NAMES)
      out.push({
        name: `${p}.s4d.${n}`,
        shape: n === 'logDt' || n === 'd' ? [H] : [H, M],
        // overwritten by initialS4DValues: DeclaredParams knows uniform, normal and constant only
        init: { constant: 0 },
      });
    // torch Conv1d(H, 2H, 1)'s init
    out.push({ name: `${p}.mix.w`, shape: [2 * H, H], init: { uniform: bound } });
    out.push({ name: `${p}.mix.b`, shape: [2 * H], init: { uniform: bound } });
    return out;
  }

  /** The S4D weights' initial values by parameter name. */
  initialS4DValues(seed: number, init: 'lin' | 'inv'): Map<string, Float32Array> {
    const v = initS4DValues({ channels: this.channels, stateSize: this.stateSize, init, seed });
    return new Map(S4D_WEIGHT_NAMES.map((n) => [`${this.prefix}.s4d.${n}`, v[n].values]));
  }

  weights(get: ParamLookup): S4DWeights {
    const w = {} as Record<string, tf.Tensor>;
    for (const n of S4D_WEIGHT_NAMES) w[n] = get(`${this.prefix}.s4d.${n}`);
    return w as unknown as S4DWeights;
  }

  /** x: [B, H, L] -> [B, H, L], and the last S4D state when run recurrently. */
  sequence(get: ParamLookup, x: tf.Tensor3D, o: SequenceOptions = {}): { y: tf.Tensor3D; state?: S4DState } {
    const w = this.weights(get);
    const u = this.residual ? this.layerNorm(get, x) : x;
    let s: { y: tf.Tensor3D; state?: S4DState };
    if (o.dtScale || o.recurrent) s = s4dScan(w, u, { dtScale: o.dtScale, state: o.state });
    else s = { y: s4dConv(w, u) };
    const core = this.mix(get, geluOp(s.y) as tf.Tensor3D);
    return { y: this.residual ? (tf.add(x, core) as tf.Tensor3D) : core, state: s.state };
  }

  /** One position: x: [B, H] -> [B, H] and the next state (the sequence pass at one step). */
  step(
    get: ParamLookup,
    state: S4DState,
    x: tf.Tensor2D,
    o: StepOptions = {},
  ): { y: tf.Tensor2D; state: S4DState } {
    const w = this.weights(get);
    const x3 = tf.expandDims(x, 2) as tf.Tensor3D;
    const u = this.residual ? this.layerNorm(get, x3) : x3;
    const s = s4dStep(w, state, tf.squeeze(u, [2]) as tf.Tensor2D, o);
    const core = this.mix(get, tf.expandDims(geluOp(s.y), 2) as tf.Tensor3D);
    const y = this.residual ? tf.add(x3, core) : core;
    return { y: tf.squeeze(y, [2]) as tf.Tensor2D, state: s.state };
  }

  zeroState(get: ParamLookup, batch: number): S4DState {
    return s4dZeroState(batch, this.weights(get));
  }

  discretise(get: ParamLookup): Discrete {
    return s4dDiscretise(this.weights(get));
  }

  /** LayerNorm over channels (axis 1), torch's eps. */
  private layerNorm(get: ParamLookup, x: tf.Tensor3D): tf.Tensor3D {
    return channelLayerNorm(x, get(`${this.prefix}.norm.gamma`), get(`${this.prefix}.norm.beta`));
  }

  private mix(get: ParamLookup, z: tf.Tensor3D): tf.Tensor3D {
    // the products per sample on the gemm, then bias, split, sigmoid and product: fused ops
    return gluWithBias(
      channelMix(z, get(`${this.prefix}.mix.w`) as tf.Tensor2D),
      get(`${this.prefix}.mix.b`) as tf.Tensor1D,
    );
  }
}

/** LayerNorm over axis 1 of [B, H, L] (libs/tensor's fused op). */
export function channelLayerNorm(x: tf.Tensor3D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor3D {
  return fusedChannelLayerNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps);
}

/** Position-wise linear map over channels: x [B, Cin, L], w [Cout, Cin], b [Cout] -> [B, Cout, L]. */
export function channelLinear(x: tf.Tensor3D, w: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  return channelMix(x, w as tf.Tensor2D, b as tf.Tensor1D);
}
