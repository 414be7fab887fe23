import * as tf from '@tensorflow/tfjs';

/** Adam's moments and step count, plain JSON (a snapshot's `extra.adam`). */
export interface AdamState {
  t: number;
  m: number[][];
  v: number[][];
}

/**
 * torch.optim.Adam with its `weight_decay` (an L2 term added to the gradient before the
 * moments, not AdamW's decoupled decay), which is what the TAFAS/PETSA reference builds
 * (get_optimizer: Adam(lr, weight_decay)). The update runs on host arrays: the modules
 * hold a few thousand numbers, and one assign per variable is cheaper than ~10 tfjs ops.
 * Only the variables given here are ever updated: the frozen model's never are.
 */
export class CoupledAdam {
  private t = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(
    private readonly params: tf.Variable[],
    private readonly lr: number,
    private readonly weightDecay: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = params.map((p) => new Float32Array(p.size));
    this.v = params.map((p) => new Float32Array(p.size));
  }

  get steps(): number {
    return this.t;
  }

  /** One step; grads[i] belongs to params[i]. */
  step(grads: tf.Tensor[]): void {
    this.t += 1;
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = 1 - this.beta2 ** this.t;
    const { beta1: b1, beta2: b2, lr, eps, weightDecay: wd } = this;
    this.params.forEach((p, i) => {
      const pv = p.dataSync() as Float32Array;
      const gv = grads[i].dataSync() as Float32Array;
      const m = this.m[i];
      const v = this.v[i];
      const next = new Float32Array(pv.length);
      for (let j = 0; j < pv.length; j++) {
        const g = gv[j] + wd * pv[j];
        m[j] = b1 * m[j] + (1 - b1) * g;
        v[j] = b2 * v[j] + (1 - b2) * g * g;
        next[j] = pv[j] - (lr * (m[j] / bc1)) / (Math.sqrt(v[j] / bc2) + eps);
      }
      tf.tidy(() => p.assign(tf.tensor(next, p.shape, 'float32')));
    });
  }

  /** Fresh moments and step count. */
  reset(): void {
    this.t = 0;
    for (const a of this.m) a.fill(0);
    for (const a of this.v) a.fill(0);
  }

  toJSON(): AdamState {
    return { t: this.t, m: this.m.map((a) => Array.from(a)), v: this.v.map((a) => Array.from(a)) };
  }

  restore(state: AdamState): void {
    if (state.m.length !== this.m.length || state.m.some((a, i) => a.length !== this.m[i].length))
      throw new Error('optimiser state does not match the parameters');
    this.t = state.t;
    state.m.forEach((a, i) => this.m[i].set(a));
    state.v.forEach((a, i) => this.v[i].set(a));
  }
}
