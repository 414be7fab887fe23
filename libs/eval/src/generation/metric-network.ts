import { Rng } from '@seqcast/numeric';
import { fftConv } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/**
 * The small network LS4's metrics train (metrics.py, S4Model with n_layers 1, d_model 16,
 * d_state 16, dropout 0, postnorm): Linear(C -> H) encoder; one S4D block (diagonal SSM
 * convolution plus skip D, GELU, 1x1 conv to 2H and GLU); residual; LayerNorm; then either
 * the mean over time and Linear(H -> out) (the discriminator) or Linear(H -> out) per step
 * (the next-step predictor). The S4D kernel is the reference's (models/s4d.py): S4D-Lin
 * initialisation A_n = -1/2 + i pi n, C = 1, log dt uniform in [log 0.001, log 0.1], and
 * K_l = 2 Re sum_n C_n (exp(dt A_n) - 1) / A_n exp(l dt A_n), B folded into C as there.
 * Complex parts are separate real tensors; the convolution is the shared fftConv.
 *
 * Kept here rather than taken from the forecast zoo's S4D layer: the metric must stay fixed
 * (the reference's network) whatever that layer grows into.
 */
export interface MetricNetworkOptions {
  inputChannels: number;
  outputs: number;
  /** Mean over time before the head (the discriminator) or one output per step (the predictor). */
  pooled: boolean;
  dModel?: number;
  /** State size N; N / 2 complex modes, as the reference counts. */
  dState?: number;
  /** Output activation: the reference uses identity, sigmoid for temperature_rain. */
  activation?: 'identity' | 'sigmoid';
  seed: number;
}

const DT_MIN = 0.001;
const DT_MAX = 0.1;

export class MetricNetwork {
  /** Trained at the base learning rate. */
  readonly general: tf.Variable[];
  /** The SSM's A and dt, trained at min(0.001, lr) without weight decay, as the reference registers them. */
  readonly ssm: tf.Variable[];
  private readonly H: number;
  private readonly pooled: boolean;
  private readonly activation: 'identity' | 'sigmoid';
  private readonly v: Record<string, tf.Variable>;

  constructor(options: MetricNetworkOptions) {
    const H = options.dModel ?? 16;
    const N2 = Math.max(1, Math.floor((options.dState ?? 16) / 2));
    const C = options.inputChannels;
    const O = options.outputs;
    this.H = H;
    this.pooled = options.pooled;
    this.activation = options.activation ?? 'identity';
    const rng = new Rng(options.seed);
    // PyTorch's default Linear / Conv1d initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    const uniform = (n: number, fanIn: number) => {
      const b = 1 / Math.sqrt(fanIn);
      return Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * b);
    };
    const variable = (name: string, values: Float32Array, shape: number[]) =>
      tf.variable(tf.tensor(values, shape), true, `metric_${name}_${options.seed}_${variableId++}`);
    const logDt = Float32Array.from(
      { length: H },
      () => Math.log(DT_MIN) + rng.next() * (Math.log(DT_MAX) - Math.log(DT_MIN)),
    );
    const aImag = Float32Array.from({ length: H * N2 }, (_, i) => Math.PI * (i % N2));
    this.v = {
      encW: variable('encW', uniform(C * H, C), [C, H]),
      encB: variable('encB', uniform(H, C), [H]),
      logDt: variable('logDt', logDt, [H, 1]),
      logAReal: variable('logAReal', new Float32Array(H * N2).fill(Math.log(0.5)), [H, N2]),
      aImag: variable('aImag', aImag, [H, N2]),
      cRe: variable('cRe', new Float32Array(H * N2).fill(1), [H, N2]),
      cIm: variable('cIm', new Float32Array(H * N2), [H, N2]),
      D: variable(
        'D',
        Float32Array.from({ length: H }, () => rng.normal()),
        [H, 1],
      ),
      outW: variable('outW', uniform(H * 2 * H, H), [H, 2 * H]),
      outB: variable('outB', uniform(2 * H, H), [2 * H]),
      gamma: variable('gamma', new Float32Array(H).fill(1), [H]),
      beta: variable('beta', new Float32Array(H), [H]),
      decW: variable('decW', uniform(H * O, H), [H, O]),
      decB: variable('decB', uniform(O, H), [O]),
    };
    this.ssm = [this.v.logDt, this.v.logAReal, this.v.aImag];
    this.general = Object.values(this.v).filter((x) => !this.ssm.includes(x));
  }

  /** The S4D convolution kernel [H, L]. */
  kernel(L: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { logDt, logAReal, aImag, cRe, cIm } = this.v;
      const dt = tf.exp(logDt); // [H, 1]
      const aRe = tf.neg(tf.exp(logAReal)); // [H, N2]
      const re = tf.mul(aRe, dt); // Re(dt A)
      const im = tf.mul(aImag, dt); // Im(dt A)
      // (exp(dt A) - 1) / A
      const eRe = tf.sub(tf.mul(tf.exp(re), tf.cos(im)), 1);
      const eIm = tf.mul(tf.exp(re), tf.sin(im));
      const den = tf.add(tf.square(aRe), tf.square(aImag));
      const qRe = tf.div(tf.add(tf.mul(eRe, aRe), tf.mul(eIm, aImag)), den);
      const qIm = tf.div(tf.sub(tf.mul(eIm, aRe), tf.mul(eRe, aImag)), den);
      // C~ = C * q
      const ctRe = tf.sub(tf.mul(cRe, qRe), tf.mul(cIm, qIm));
      const ctIm = tf.add(tf.mul(cRe, qIm), tf.mul(cIm, qRe));
      const l = tf.range(0, L, 1, 'float32').reshape([1, 1, L]);
      const decay = tf.exp(tf.mul(re.expandDims(2), l)); // [H, N2, L]
      const phase = tf.mul(im.expandDims(2), l);
      const terms = tf.mul(
        decay,
        tf.sub(tf.mul(ctRe.expandDims(2), tf.cos(phase)), tf.mul(ctIm.expandDims(2), tf.sin(phase))),
      );
      return tf.mul(tf.sum(terms, 1), 2) as tf.Tensor2D;
    });
  }

  /** x: [B, L, C] time-major. Returns [B, out] when pooled, else [B, L, out]. */
  forward(x: tf.Tensor3D): tf.Tensor {
    return tf.tidy(() => {
      const [B, L, C] = x.shape;
      const H = this.H;
      const v = this.v;
      const enc = tf.add(tf.matMul(x.reshape([B * L, C]), v.encW), v.encB).reshape([B, L, H]);
      const u = tf.transpose(enc, [0, 2, 1]); // [B, H, L]
      let y = tf.add(fftConv(u, this.kernel(L)), tf.mul(u, v.D));
      y = gelu(y);
      const mixed = tf.add(tf.matMul(tf.transpose(y, [0, 2, 1]).reshape([B * L, H]), v.outW), v.outB);
      const [a, b] = tf.split(mixed, 2, 1);
      const z = tf.mul(a, tf.sigmoid(b)).reshape([B, L, H]); // GLU over the channel axis
      const normed = layerNorm(tf.add(z, enc), v.gamma, v.beta);
      const features = this.pooled ? tf.mean(normed, 1) : normed.reshape([B * L, H]);
      let out = tf.add(tf.matMul(features, v.decW), v.decB);
      if (this.activation === 'sigmoid') out = tf.sigmoid(out);
      return this.pooled ? out : out.reshape([B, L, -1]);
    });
  }

  dispose(): void {
    Object.values(this.v).forEach((x) => x.dispose());
  }
}

let variableId = 0;

/** Exact (erf) GELU, as torch.nn.GELU. */
function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/** LayerNorm over the last axis (eps 1e-5, as torch). */
function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}
