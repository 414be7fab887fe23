import type { SearchDimension, SearchSpace } from '@seqcast/events';
import { Rng } from '@seqcast/numeric';
import type { Params, Sampler } from './search-types';

/** A uniform draw from one dimension (log-uniform where `log`; integers rounded). */
export function drawUniform(d: SearchDimension, rng: Rng): string | number | boolean {
  if (d.type === 'categorical') return d.choices[rng.int(d.choices.length)];
  const u = rng.next();
  const v = d.log
    ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low)))
    : d.low + u * (d.high - d.low);
  return d.type === 'int' ? Math.min(d.high, Math.max(d.low, Math.round(v))) : v;
}

/** Random search: every dimension drawn independently and uniformly (log-uniform where asked). */
export class RandomSampler implements Sampler {
  readonly name = 'random';
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }
  suggest(space: SearchSpace): Params {
    return Object.fromEntries(Object.entries(space).map(([k, d]) => [k, drawUniform(d, this.rng)]));
  }
}
