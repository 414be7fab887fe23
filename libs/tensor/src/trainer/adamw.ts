import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (Loshchilov & Hutter): p -= lr * wd * p, apart from the Adam step. */
  weightDecay?: number;
  /**
   * Where the update runs: 'host' in plain JS on the values (one assign per parameter),
   * 'ops' as tfjs ops. Default: host on the cpu and wasm backends, whose tensors live in
   * this process's memory anyway; ops elsewhere (GPU backends keep data on the device).
   */
  mode?: 'host' | 'ops';
}

/** Adam moments of one parameter, kept as arrays for the host path. */
interface HostMoments {
  m: Float32Array;
  v: Float32Array;
}

/**
 * AdamW on tf.Variables. tfjs ships Adam only, whose L2 penalty goes through the
 * adaptive scaling; the papers in the zoo (SpaceTime, LS4) train with AdamW.
 */
export class AdamW {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private readonly moments = new Map<tf.Variable, { m: tf.Variable; v: tf.Variable }>();
  private readonly hostMoments = new Map<tf.Variable, HostMoments>();
  private readonly mode: 'host' | 'ops';
  private t = 0;

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.mode = options.mode ?? (['cpu', 'wasm'].includes(tf.getBackend()) ? 'host' : 'ops');
  }

  get iterations(): number {
    return this.t;
  }

  /** One update with learning rate `lr`; grads[i] belongs to params[i]. */
  step(params: tf.Variable[], grads: tf.Tensor[], lr: number): void {
    this.t += 1;
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = 1 - this.beta2 ** this.t;
    params.forEach((p, i) => {
      const g = grads[i];
      if (!g) return;
      if (this.mode === 'host') return this.hostStep(p, g, lr, bc1, bc2);
      let state = this.moments.get(p);
      if (!state) {
        // tidy frees the zeros tensors; the variables keep their data alive.
        state = tf.tidy(() => ({
          m: tf.variable(tf.zerosLike(p), false),
          v: tf.variable(tf.zerosLike(p), false),
        }));
        this.moments.set(p, state);
      }
      const { m, v } = state;
      tf.tidy(() => {
        const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(m1);
        v.assign(v1);
        const update = tf.div(tf.div(m1, bc1), tf.add(tf.sqrt(tf.div(v1, bc2)), this.epsilon));
        const decayed = this.weightDecay > 0 ? tf.mul(p, 1 - lr * this.weightDecay) : p;
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      });
    });
  }

  /**
   * The same update in one loop per parameter: with tfjs ops it is ~14 ops per parameter
   * per step, whose fixed cost dominated the small event models' steps.
   */
  private hostStep(p: tf.Variable, g: tf.Tensor, lr: number, bc1: number, bc2: number): void {
    const pv = p.dataSync() as Float32Array;
    const gv = g.dataSync() as Float32Array;
    let state = this.hostMoments.get(p);
    if (!state)
      this.hostMoments.set(p, (state = { m: new Float32Array(pv.length), v: new Float32Array(pv.length) }));
    const { m, v } = state;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const decay = this.weightDecay > 0 ? 1 - lr * this.weightDecay : 1;
    const next = new Float32Array(pv.length);
    for (let j = 0; j < pv.length; j++) {
      const gj = gv[j];
      m[j] = b1 * m[j] + (1 - b1) * gj;
      v[j] = b2 * v[j] + (1 - b2) * gj * gj;
      next[j] = pv[j] * decay - lr * (m[j] / bc1 / (Math.sqrt(v[j] / bc2) + this.epsilon));
    }
    tf.tidy(() => p.assign(tf.tensor(next, p.shape, 'float32')));
  }

  /** Step count and both moments of each parameter (zeros where none yet), for a training checkpoint. */
  saveState(params: tf.Variable[]): { steps: number; m: Float32Array[]; v: Float32Array[] } {
    const read = (p: tf.Variable, which: 'm' | 'v') => {
      const host = this.hostMoments.get(p);
      if (host) return host[which].slice();
      const ops = this.moments.get(p);
      return ops ? Float32Array.from(ops[which].dataSync() as Float32Array) : new Float32Array(p.size);
    };
    return { steps: this.t, m: params.map((p) => read(p, 'm')), v: params.map((p) => read(p, 'v')) };
  }

  /** Puts back what saveState returned (same parameters, same order): the next step continues exactly. */
  restoreState(params: tf.Variable[], state: { steps: number; m: Float32Array[]; v: Float32Array[] }): void {
    this.dispose();
    this.t = state.steps;
    params.forEach((p, i) => {
      if (this.mode === 'host') {
        this.hostMoments.set(p, { m: state.m[i].slice(), v: state.v[i].slice() });
        return;
      }
      this.moments.set(
        p,
        tf.tidy(() => ({
          m: tf.variable(tf.tensor(state.m[i], p.shape, 'float32'), false),
          v: tf.variable(tf.tensor(state.v[i], p.shape, 'float32'), false),
        })),
      );
    });
  }

  dispose(): void {
    this.hostMoments.clear();
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}
