import * as tf from '@tensorflow/tfjs';
import { Rng } from '@seqcast/numeric';

/**
 * A gated calibration module (GCM) on a sequence of length T with V variables: x [B, T, V]
 * -> x + a gated, per-variable linear correction. The input module works on the lookback
 * (T = L), the output module on the horizon (T = H). Both kinds start as the identity.
 */
export interface GatedModule {
  readonly length: number;
  readonly channels: number;
  /** Trainable tensors by name (the snapshot keys, the optimiser's order). */
  readonly variables: ReadonlyArray<{ name: string; variable: tf.Variable }>;
  readonly parameterCount: number;
  /** x [B, T, V] -> [B, T, V]. Call inside tf.tidy. */
  apply(x: tf.Tensor3D): tf.Tensor3D;
  dispose(): void;
}

/** [B, T, V] -> [V, B, T]: one batched matmul per variable (the reference's einsum 'biv,iov->bov'). */
function byVariable(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [2, 0, 1]);
}

function fromByVariable(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [1, 2, 0]);
}

function sizeOf(vars: ReadonlyArray<{ variable: tf.Variable }>): number {
  return vars.reduce((s, v) => s + v.variable.size, 0);
}

/**
 * TAFAS's module (kimanki/TAFAS, GCM): out = x + tanh(g_v) (sum_i x_i W[i, o, v] + b[o, v]),
 * a full T x T map per variable behind a scalar gate per variable. W and b start at zero
 * (the identity); the gate starts at `gatingInit` (0.01). W is held as [V, T, T] (variable
 * first) so the map is one batched matmul; the maths is the reference's.
 */
export class FullGatedModule implements GatedModule {
  readonly variables: ReadonlyArray<{ name: string; variable: tf.Variable }>;
  private readonly gate: tf.Variable;
  private readonly weight: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    readonly length: number,
    readonly channels: number,
    gatingInit: number,
    prefix: string,
  ) {
    const T = length;
    const V = channels;
    this.gate = tf.variable(tf.fill([V], gatingInit), true, `${prefix}.gate.${uid()}`);
    this.weight = tf.variable(tf.zeros([V, T, T]), true, `${prefix}.weight.${uid()}`);
    this.bias = tf.variable(tf.zeros([T, V]), true, `${prefix}.bias.${uid()}`);
    this.variables = [
      { name: `${prefix}.gate`, variable: this.gate },
      { name: `${prefix}.weight`, variable: this.weight },
      { name: `${prefix}.bias`, variable: this.bias },
    ];
  }

  get parameterCount(): number {
    return sizeOf(this.variables);
  }

  apply(x: tf.Tensor3D): tf.Tensor3D {
    const mapped = fromByVariable(tf.matMul(byVariable(x), this.weight)); // [B, T, V]
    const gate = tf.tanh(this.gate).reshape([1, 1, this.channels]);
    return tf.add(x, tf.mul(gate, tf.add(mapped, this.bias))) as tf.Tensor3D;
  }

  dispose(): void {
    for (const v of this.variables) v.variable.dispose();
  }
}

/**
 * PETSA's module (BorealisAI/PETSA, GCM): out = x + sum_i tanh(g_v x_i) W[i, o, v] + b[o, v]
 * with W[., ., v] = A B_v low rank (A: T x r shared by the variables, B: r x T x V). As in
 * the reference, A is drawn from kaiming_uniform(a = sqrt 5) (U(-1/sqrt r, 1/sqrt r): torch's
 * fan_in of a T x r tensor is r) and B starts at zero, so the module starts as the identity;
 * b = 0, gate = gatingInit. B is held as [V, r, T]. The product A B is never formed:
 * (tanh(g x) A) B_v costs B T r (1 + V) instead of T^2 V.
 */
export class LowRankGatedModule implements GatedModule {
  readonly variables: ReadonlyArray<{ name: string; variable: tf.Variable }>;
  private readonly gate: tf.Variable;
  private readonly a: tf.Variable;
  private readonly b: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    readonly length: number,
    readonly channels: number,
    readonly rank: number,
    gatingInit: number,
    prefix: string,
    rng: Rng,
  ) {
    const T = length;
    const V = channels;
    const bound = 1 / Math.sqrt(rank);
    const a = new Float32Array(T * rank);
    for (let i = 0; i < a.length; i++) a[i] = (2 * rng.next() - 1) * bound;
    this.gate = tf.variable(tf.fill([V], gatingInit), true, `${prefix}.gate.${uid()}`);
    this.a = tf.variable(tf.tensor2d(a, [T, rank]), true, `${prefix}.a.${uid()}`);
    this.b = tf.variable(tf.zeros([V, rank, T]), true, `${prefix}.b.${uid()}`);
    this.bias = tf.variable(tf.zeros([T, V]), true, `${prefix}.bias.${uid()}`);
    this.variables = [
      { name: `${prefix}.gate`, variable: this.gate },
      { name: `${prefix}.a`, variable: this.a },
      { name: `${prefix}.b`, variable: this.b },
      { name: `${prefix}.bias`, variable: this.bias },
    ];
  }

  get parameterCount(): number {
    return sizeOf(this.variables);
  }

  apply(x: tf.Tensor3D): tf.Tensor3D {
    const [B, T] = x.shape;
    const V = this.channels;
    const gated = tf.tanh(tf.mul(x, this.gate.reshape([1, 1, V]))) as tf.Tensor3D;
    const low = tf.matMul(byVariable(gated).reshape([V * B, T]), this.a).reshape([V, B, this.rank]); // [V, B, r]
    const mapped = fromByVariable(tf.matMul(low as tf.Tensor3D, this.b)); // [B, T, V]
    return tf.add(x, tf.add(mapped, this.bias)) as tf.Tensor3D;
  }

  dispose(): void {
    for (const v of this.variables) v.variable.dispose();
  }
}

// tf variable names must be unique in the engine; many adapters live in one process.
let counter = 0;
function uid(): number {
  return ++counter;
}
