import * as tf from '@tensorflow/tfjs';
import { AdamW } from '@seqcast/tensor';
import type { Rng } from '@seqcast/numeric';

/** A tensor's values as plain JSON (float32 values are exact as JS numbers, so a round trip is bit-identical). */
export interface ParamJSON {
  shape: number[];
  values: number[];
}

/** Adam's state of one group, as JSON. */
export interface AdamJSON {
  steps: number;
  m: number[][];
  v: number[][];
}

/**
 * The trainable tensors of one optimiser group (a branch, the combination weight, the bias
 * network), named for the snapshot, with the group's own Adam: each group steps on its own
 * loss at its own rate, and Adam's bias correction counts that group's steps only.
 */
export class ParamSet {
  private readonly named: Array<[string, tf.Variable]> = [];
  private readonly adam: AdamW;

  constructor(weightDecay = 0) {
    this.adam = new AdamW({ weightDecay });
  }

  /** Registers a trainable tensor under `name` (owned from here on). */
  add(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true);
    init.dispose();
    this.named.push([name, v]);
    return v;
  }

  get variables(): tf.Variable[] {
    return this.named.map(([, v]) => v);
  }

  get size(): number {
    return this.named.reduce((n, [, v]) => n + v.size, 0);
  }

  /**
   * One Adam step on `loss` (a scalar built from this group's variables, called inside
   * variableGrads); returns the loss before the step.
   */
  step(loss: () => tf.Scalar, lr: number): number {
    const vars = this.variables;
    const { value, grads } = tf.variableGrads(loss, vars);
    const before = value.dataSync()[0];
    this.adam.step(
      vars,
      vars.map((v) => grads[v.name]),
      lr,
    );
    tf.dispose([value, ...Object.values(grads)]);
    return before;
  }

  /** Applies gradients computed elsewhere (keyed by variable name), for losses that span groups. */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    const vars = this.variables;
    this.adam.step(
      vars,
      vars.map((v) => grads[v.name]),
      lr,
    );
  }

  toJSON(): Record<string, ParamJSON> {
    const out: Record<string, ParamJSON> = {};
    for (const [name, v] of this.named) out[name] = { shape: [...v.shape], values: Array.from(v.dataSync()) };
    return out;
  }

  /** Puts back values saved by toJSON; throws naming the first tensor that is missing or misshapen. */
  load(params: Record<string, ParamJSON>): void {
    for (const [name, v] of this.named) {
      const p = params[name];
      if (!p || p.values?.length !== v.size || p.shape?.join(',') !== v.shape.join(','))
        throw new Error(`snapshot.params.${name}: expected shape [${v.shape.join(', ')}]`);
    }
    for (const [name, v] of this.named)
      tf.tidy(() => v.assign(tf.tensor(params[name].values, v.shape, 'float32')));
  }

  adamJSON(): AdamJSON {
    const s = this.adam.saveState(this.variables);
    return { steps: s.steps, m: s.m.map((a) => Array.from(a)), v: s.v.map((a) => Array.from(a)) };
  }

  loadAdam(json: AdamJSON): void {
    const vars = this.variables;
    if (json.m.length !== vars.length || json.v.length !== vars.length)
      throw new Error(`snapshot.extra.adam: ${json.m.length} moments for ${vars.length} tensors`);
    this.adam.restoreState(vars, {
      steps: json.steps,
      m: json.m.map((a) => Float32Array.from(a)),
      v: json.v.map((a) => Float32Array.from(a)),
    });
  }

  dispose(): void {
    this.adam.dispose();
    tf.dispose(this.variables);
    this.named.length = 0;
  }
}

/** PyTorch's default nn.Linear initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), from a seeded generator. */
export function uniformInit(rng: Rng, shape: number[], fanIn: number): tf.Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = (2 * rng.next() - 1) * bound;
  return tf.tensor(values, shape, 'float32');
}
