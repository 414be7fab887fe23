import type { SearchSpace } from '@seqcast/events';

export type Params = Record<string, string | number | boolean>;

/** A finished trial: its parameters and the objective (higher is better). */
export interface Trial {
  params: Params;
  value: number;
}

/** Proposes the next parameters from the trials so far. */
export interface Sampler {
  readonly name: 'tpe' | 'random';
  suggest(space: SearchSpace, history: Trial[]): Params;
}
