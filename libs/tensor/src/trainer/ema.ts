import * as tf from '@tensorflow/tfjs';

/**
 * Exponential moving average of weights (LS4 trains with decay 0.999). The shadow
 * starts as a copy and follows shadow = d * shadow + (1 - d) * w after each step, with
 * the warm-up d_t = min(d, (1 + t) / (10 + t)) so early averages are not dominated by
 * the initial weights.
 */
export class WeightEma {
  private readonly shadow: tf.Variable[];
  private updates = 0;

  constructor(
    private readonly params: tf.Variable[],
    private readonly decay: number,
  ) {
    this.shadow = tf.tidy(() => params.map((p) => tf.variable(p.clone(), false)));
  }

  update(): void {
    const d = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    this.updates += 1;
    tf.tidy(() => {
      this.shadow.forEach((s, i) => s.assign(tf.add(tf.mul(s, d), tf.mul(this.params[i], 1 - d))));
    });
  }

  /** The averages and the update count, as a training checkpoint keeps them. */
  saveState(): { values: Float32Array[]; updates: number } {
    return { values: this.shadow.map((s) => Float32Array.from(s.dataSync() as Float32Array)), updates: this.updates };
  }

  restoreState(state: { values: Float32Array[]; updates: number }): void {
    this.shadow.forEach((s, i) => tf.tidy(() => s.assign(tf.tensor(state.values[i], s.shape, 'float32'))));
    this.updates = state.updates;
  }

  /** The averaged values, as new tensors (caller disposes). */
  snapshot(): tf.Tensor[] {
    return this.shadow.map((s) => s.clone());
  }

  dispose(): void {
    tf.dispose(this.shadow);
  }
}
