import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (Loshchilov & Hutter): p -= lr * wd * p, apart from the Adam step. */
  weightDecay?: number;
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
  private t = 0;

  constructor(options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
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

  dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}
