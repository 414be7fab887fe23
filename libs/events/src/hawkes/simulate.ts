import { Rng } from '@seqcast/tensor';
import { EventDataset, EventSequence } from '../types';
import { HawkesParams, validateHawkesParams } from './hawkes-params';

export interface HawkesSimulationOptions {
  /** Simulate on [0, endTime). */
  endTime: number;
  /** Stop a sequence after this many events (default unlimited). */
  maxEvents?: number;
  /** Sequences shorter than this are dropped and redrawn (default 2: the LL needs one scored event). */
  minEvents?: number;
}

/**
 * Ogata's thinning for one sequence. The intensity of an exponential-kernel Hawkes process
 * only decays between events, so its value right after the current time bounds it until the
 * next event; the recursive state R[k][l] = sum over type-l events of exp(-beta[k][l] (t - t_i))
 * makes each step O(K^2).
 */
export function simulateHawkesSequence(p: HawkesParams, rng: Rng, options: HawkesSimulationOptions): EventSequence {
  const K = p.mu.length;
  const R = Array.from({ length: K }, () => new Float64Array(K));
  const times: number[] = [];
  const types: number[] = [];
  const max = options.maxEvents ?? Infinity;
  let t = 0;
  const lam = new Float64Array(K);
  const intensities = () => {
    let total = 0;
    for (let k = 0; k < K; k++) {
      let v = p.mu[k];
      for (let l = 0; l < K; l++) v += p.alpha[k][l] * R[k][l];
      lam[k] = v;
      total += v;
    }
    return total;
  };
  const decay = (dt: number) => {
    for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) R[k][l] *= Math.exp(-p.beta[k][l] * dt);
  };
  while (times.length < max) {
    const bound = intensities();
    const dt = -Math.log(1 - rng.next()) / bound;
    if (t + dt >= options.endTime) break;
    t += dt;
    decay(dt);
    const total = intensities();
    const u = rng.next() * bound;
    if (u >= total) continue;
    let k = 0;
    let acc = lam[0];
    while (u >= acc && k < K - 1) acc += lam[++k];
    times.push(t);
    types.push(k);
    for (let j = 0; j < K; j++) R[j][k] += 1;
  }
  return { times, types };
}

/** `count` seeded sequences (redrawing any shorter than minEvents). */
export function simulateHawkes(p: HawkesParams, count: number, seed: number, options: HawkesSimulationOptions): EventDataset {
  validateHawkesParams(p);
  const rng = new Rng(seed);
  const minEvents = options.minEvents ?? 2;
  const sequences: EventSequence[] = [];
  let attempts = 0;
  while (sequences.length < count) {
    const s = simulateHawkesSequence(p, rng, options);
    if (s.times.length >= minEvents) sequences.push(s);
    else if (++attempts > 100 * count) throw new Error('Hawkes simulation: sequences keep coming out shorter than minEvents');
  }
  return { numTypes: p.mu.length, sequences };
}
