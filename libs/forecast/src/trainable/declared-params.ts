import { Unprocessable } from '@seqcast/core';
import { Rng } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { ArtifactTensor } from '../forecaster';

/** How a parameter starts: U(-bound, bound), N(0, std^2) or a constant. */
export type ParamInit = { uniform: number } | { normal: number } | { constant: number };

export interface ParamDeclaration {
  name: string;
  shape: number[];
  init: ParamInit;
}

let instances = 0;

/**
 * The parameters of a trained forecaster, declared once (name, shape, initialiser): the
 * declaration draws the initial values (in order, from one seeded Rng, so a seed gives
 * the same weights), names the artifact's tensors and checks them on loading.
 */
export class DeclaredParams {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly uid: string;

  constructor(
    private readonly kind: string,
    readonly declarations: ParamDeclaration[],
    private readonly seed: number,
  ) {
    // tfjs variable names are global: unique per instance
    this.uid = `${kind}_${process.pid}_${++instances}`;
    this.initialise();
  }

  /** (Re)draws every parameter from its initialiser. */
  initialise(): void {
    const rng = new Rng(this.seed);
    for (const d of this.declarations) {
      const size = d.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      const init = d.init;
      if ('uniform' in init) for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * init.uniform;
      else if ('normal' in init) for (let i = 0; i < size; i++) values[i] = init.normal * rng.normal();
      else values.fill(init.constant);
      this.set(d.name, values, d.shape);
    }
  }

  private set(name: string, values: Float32Array, shape: number[]): void {
    const t = tf.tensor(values, shape);
    const v = this.vars.get(name);
    if (v) v.assign(t);
    else this.vars.set(name, tf.variable(t, true, `${this.uid}_${name}`));
    t.dispose();
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`${this.kind} has no parameter ${name}`);
    return v;
  }

  /** In declaration order (the order the optimiser sees). */
  list(): tf.Variable[] {
    return this.declarations.map((d) => this.get(d.name));
  }

  get count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  /** The artifact's tensors, one per declaration. */
  dump(): Record<string, ArtifactTensor> {
    const out: Record<string, ArtifactTensor> = {};
    for (const d of this.declarations)
      out[d.name] = { shape: d.shape.slice(), values: (this.get(d.name).dataSync() as Float32Array).slice() };
    return out;
  }

  /** Loads every declared tensor; a missing or mis-sized one is a damaged artifact. */
  load(tensors: Record<string, ArtifactTensor>): void {
    for (const d of this.declarations) {
      const t = tensors[d.name];
      const size = d.shape.reduce((a, b) => a * b, 1);
      if (!t || t.values.length !== size)
        throw new Unprocessable(
          `${this.kind} artifact is damaged: tensor '${d.name}' is missing or has the wrong size`,
          [{ field: `artifact.tensors.${d.name}`, reason: `expected ${size} values of shape [${d.shape}]` }],
        );
    }
    for (const d of this.declarations) this.set(d.name, Float32Array.from(tensors[d.name].values), d.shape);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
