import { Rng } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

export type Init = 'glorot' | 'zeros' | 'ones' | { normal: number; mean?: number } | { constant: number } | { uniform: number };

/**
 * Named tf.Variables of one model, initialised from a seeded Rng (tfjs's own initialisers
 * draw from a global seed, which two models in one process would share).
 */
export class ParamStore {
  readonly vars = new Map<string, tf.Variable>();
  constructor(private readonly rng: Rng) {}

  add(name: string, shape: number[], init: Init = 'glorot'): tf.Variable {
    if (this.vars.has(name)) throw new Error(`duplicate parameter ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init === 'glorot') {
      const fanIn = shape.length > 1 ? shape[shape.length - 2] : shape[0];
      const fanOut = shape[shape.length - 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (2 * this.rng.next() - 1) * limit;
    } else if (init === 'ones') values.fill(1);
    else if (init === 'zeros') values.fill(0);
    else if ('normal' in init) for (let i = 0; i < size; i++) values[i] = (init.mean ?? 0) + this.rng.normal() * init.normal;
    else if ('uniform' in init) for (let i = 0; i < size; i++) values[i] = (2 * this.rng.next() - 1) * init.uniform;
    else values.fill(init.constant);
    // variable names are global in tfjs: make them unique per model instance
    const init0 = tf.tensor(values, shape);
    const v = tf.variable(init0, true, `${name}_${uid()}`);
    init0.dispose();
    this.vars.set(name, v);
    return v;
  }

  /** Sets a variable's values (a data-derived initialisation); one value fills it. */
  assign(v: tf.Variable | tf.Tensor, values: ArrayLike<number> | number): void {
    const size = v.size;
    const data = typeof values === 'number' ? new Float32Array(size).fill(values) : Float32Array.from(values);
    if (data.length !== size) throw new Error(`assign: ${data.length} values for a variable of ${size}`);
    tf.tidy(() => (v as tf.Variable).assign(tf.tensor(data, v.shape)));
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  list(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** Copies values into the variables (artifact loading); shapes must match. */
  load(weights: Record<string, { shape: number[]; values: ArrayLike<number> }>): void {
    // a weight the model lacks means the artifact was made with another architecture
    const extra = Object.keys(weights).filter((name) => !this.vars.has(name));
    if (extra.length) throw new Error(`artifact has weights the model lacks: ${extra.join(', ')}`);
    for (const [name, v] of this.vars) {
      const w = weights[name];
      if (!w) throw new Error(`artifact lacks weight ${name}`);
      if (w.shape.join('x') !== v.shape.join('x')) throw new Error(`weight ${name}: shape ${w.shape} but model has ${v.shape}`);
      tf.tidy(() => v.assign(tf.tensor(Float32Array.from(w.values), v.shape)));
    }
  }

  dump(): Record<string, { shape: number[]; values: Float32Array }> {
    const out: Record<string, { shape: number[]; values: Float32Array }> = {};
    for (const [name, v] of this.vars) out[name] = { shape: v.shape.slice(), values: v.dataSync() as Float32Array };
    return out;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

let counter = 0;
function uid(): string {
  return `${process.pid}_${++counter}`;
}
