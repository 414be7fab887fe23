import { Unprocessable } from '@seqcast/core';
import type { Float32Tensor } from '@seqcast/kit';
import { Rng } from '@seqcast/numeric';
import type { S4DBlock } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

let instances = 0;

/**
 * A network's weights by name, in the order they were added (the optimiser's order): the
 * names are the artifact's tensor names, so saving and loading need no per-model code.
 * tfjs variable names are global, hence the per-instance prefix. Its dropout streams are
 * kept by name too: a training checkpoint saves their states (`streamStates`), so a resumed
 * run draws the masks the uninterrupted one would have.
 */
export class ParamTable {
  private readonly entries = new Map<string, tf.Variable>();
  private readonly streams = new Map<string, Rng>();
  private readonly uid = `seq2seq_${process.pid}_${++instances}`;

  /** A new trainable variable named `name`, holding `values`. */
  create(name: string, values: Float32Array, shape: number[]): tf.Variable {
    const v = tf.tidy(() => tf.variable(tf.tensor(values, shape), true, `${this.uid}_${name}`));
    return this.add(name, v);
  }

  /** torch.nn.Linear's initialisation (U(-1/sqrt(in), 1/sqrt(in)) for weight and bias) unless `bound` is given. */
  dense(name: string, inputs: number, outputs: number, rng: Rng, bound?: number): Dense {
    const b = 1 / Math.sqrt(inputs);
    const u = (n: number, s: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * s);
    const w = this.create(`${name}.w`, u(inputs * outputs, bound ?? b), [inputs, outputs]);
    const bias = this.create(`${name}.b`, u(outputs, b), [outputs]);
    return new Dense(w, bias);
  }

  add(name: string, v: tf.Variable): tf.Variable {
    if (this.entries.has(name)) throw new Error(`parameter ${name} declared twice`);
    this.entries.set(name, v);
    return v;
  }

  /** A random stream the network draws from while training (dropout), saved with checkpoints. */
  addStream(name: string, rng: Rng): Rng {
    if (this.streams.has(name)) throw new Error(`stream ${name} declared twice`);
    this.streams.set(name, rng);
    return rng;
  }

  /** Where every stream stands, by name. */
  streamStates(): Record<string, number> {
    return Object.fromEntries([...this.streams].map(([name, rng]) => [name, rng.state32]));
  }

  /** Puts back states from `streamStates` (a checkpoint of this network). */
  restoreStreams(states: Record<string, number>): void {
    for (const [name, rng] of this.streams) {
      if (typeof states?.[name] !== 'number')
        throw new Unprocessable(`the training checkpoint has no state for random stream '${name}'`, [
          { field: 'checkpoint.state.model', reason: 'written by another network' },
        ]);
      rng.restore(states[name]);
    }
  }

  /** Every weight of a prenorm S4D block (B included, though the block does not train it), and its dropout stream. */
  addBlock(prefix: string, block: S4DBlock): void {
    this.addStream(`${prefix}.dropout`, block.dropoutRng);
    for (const [name, v] of Object.entries(block.s4d.namedVariables())) this.add(`${prefix}.s4d.${name}`, v);
    this.add(`${prefix}.norm.gamma`, block.norm.gamma);
    this.add(`${prefix}.norm.beta`, block.norm.beta);
    this.add(`${prefix}.linear.w`, block.linear.w);
    this.add(`${prefix}.linear.b`, block.linear.b);
  }

  /** What the optimiser steps. */
  get trainable(): tf.Variable[] {
    return [...this.entries.values()].filter((v) => v.trainable);
  }

  get count(): number {
    return this.trainable.reduce((n, v) => n + v.size, 0);
  }

  dump(): Record<string, Float32Tensor> {
    const out: Record<string, Float32Tensor> = {};
    for (const [name, v] of this.entries)
      out[name] = { shape: v.shape.slice(), values: Float32Array.from(v.dataSync() as Float32Array) };
    return out;
  }

  /** Loads every weight; a missing or mis-sized tensor is a damaged artifact (nothing is changed then). */
  load(tensors: Record<string, Float32Tensor>, kind: string): void {
    for (const [name, v] of this.entries) {
      const t = tensors?.[name];
      if (!t || !t.values || t.values.length !== v.size)
        throw new Unprocessable(
          `${kind} artifact is damaged: tensor '${name}' is missing or has the wrong size`,
          [{ field: `artifact.tensors.${name}`, reason: `expected ${v.size} values of shape [${v.shape}]` }],
        );
    }
    for (const [name, v] of this.entries) tf.tidy(() => v.assign(tf.tensor(tensors[name].values, v.shape)));
  }

  dispose(): void {
    for (const v of this.entries.values()) v.dispose();
    this.entries.clear();
  }
}

/** y = x W + b over the last axis of a tensor of any rank. */
export class Dense {
  constructor(
    readonly w: tf.Variable,
    readonly b: tf.Variable,
  ) {}

  apply<T extends tf.Tensor>(x: T): T {
    const [inputs, outputs] = this.w.shape;
    const lead = x.shape.slice(0, -1);
    const y = tf.add(tf.matMul(tf.reshape(x, [-1, inputs]) as tf.Tensor2D, this.w as tf.Tensor2D), this.b);
    return tf.reshape(y, [...lead, outputs]) as T;
  }
}
