import type { SearchDimension, SearchSpace } from '@seqcast/events';
import { Rng } from '@seqcast/numeric';
import { drawUniform } from './random-search';
import type { Params, Sampler, Trial } from './search-types';

export interface TpeOptions {
  /** Random trials before the model is used (Bergstra et al. use 20; Optuna 10). */
  startup: number;
  /** Candidates drawn from l(x) per suggestion; the one with the largest l(x) / g(x) is taken. */
  candidates: number;
  /** Fraction of trials that form the "good" set (Optuna: min(ceil(gamma n), 25)). */
  gamma: number;
  /** Weight of the prior (uniform over the range) in each Parzen mixture. */
  priorWeight: number;
}

export const DEFAULT_TPE: TpeOptions = { startup: 10, candidates: 24, gamma: 0.1, priorWeight: 1 };

/** A 1-D Parzen estimator on [low, high] (in log space where `log`): Gaussians truncated to the range plus a wide prior. */
interface Parzen {
  mus: number[];
  sigmas: number[];
  weights: number[];
  low: number;
  high: number;
}

function erf(x: number): number {
  // Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7)
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}
const Phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

/**
 * Bergstra et al.'s estimator (NeurIPS 2011, and hyperopt's adaptive Parzen): observations
 * sorted, each a Gaussian with sigma = the larger gap to its neighbours (the range's ends
 * count as neighbours), clipped to [range / min(100, n + 1), range]; the prior a Gaussian
 * at the middle with sigma = range.
 */
function parzen(points: number[], low: number, high: number, priorWeight: number): Parzen {
  const range = high - low;
  const sorted = [...points].sort((a, b) => a - b);
  const mus = [...sorted, (low + high) / 2];
  const sigmas = sorted.map((x, i) => {
    const left = x - (i > 0 ? sorted[i - 1] : low);
    const right = (i + 1 < sorted.length ? sorted[i + 1] : high) - x;
    return Math.min(range, Math.max(Math.max(left, right), range / Math.min(100, sorted.length + 1)));
  });
  sigmas.push(range);
  const weights = [...sorted.map(() => 1), priorWeight];
  const total = weights.reduce((a, b) => a + b, 0);
  return { mus, sigmas, weights: weights.map((w) => w / total), low, high };
}

function parzenSample(p: Parzen, rng: Rng): number {
  let u = rng.next();
  let k = 0;
  while (k < p.weights.length - 1 && u > p.weights[k]) u -= p.weights[k++];
  // truncated to the range by redrawing (the truncated mass is what parzenLogPdf divides by)
  for (let tries = 0; tries < 100; tries++) {
    const x = p.mus[k] + p.sigmas[k] * rng.normal();
    if (x >= p.low && x <= p.high) return x;
  }
  return Math.min(p.high, Math.max(p.low, p.mus[k]));
}

function parzenLogPdf(p: Parzen, x: number): number {
  let s = 0;
  for (let k = 0; k < p.mus.length; k++) {
    const z = (x - p.mus[k]) / p.sigmas[k];
    const mass = Phi((p.high - p.mus[k]) / p.sigmas[k]) - Phi((p.low - p.mus[k]) / p.sigmas[k]);
    s +=
      (p.weights[k] * Math.exp(-0.5 * z * z)) /
      (p.sigmas[k] * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return Math.log(Math.max(s, 1e-300));
}

const toInternal = (d: SearchDimension, v: number) => (d.type !== 'categorical' && d.log ? Math.log(v) : v);
const fromInternal = (d: SearchDimension, v: number) => {
  if (d.type === 'categorical') return v;
  const x = d.log ? Math.exp(v) : v;
  return d.type === 'int' ? Math.min(d.high, Math.max(d.low, Math.round(x))) : x;
};

/**
 * Tree-structured Parzen Estimator (Bergstra et al., 2011), independent per dimension: after
 * `startup` random trials, the trials are split at the gamma-quantile of the objective into
 * good and bad; each dimension gets a Parzen density l(x) over the good values and g(x) over
 * the bad; candidates drawn from l are scored by log l - log g (the expected-improvement
 * criterion's ordering) and the best is proposed. Categorical dimensions use smoothed
 * counts (+1 prior per choice). Integer dimensions are treated as continuous and rounded.
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  private readonly rng: Rng;
  private readonly o: TpeOptions;
  constructor(seed: number, options: Partial<TpeOptions> = {}) {
    this.rng = new Rng(seed);
    this.o = { ...DEFAULT_TPE, ...options };
  }

  suggest(space: SearchSpace, history: Trial[]): Params {
    const done = history.filter((t) => Number.isFinite(t.value));
    if (done.length < this.o.startup)
      return Object.fromEntries(Object.entries(space).map(([k, d]) => [k, drawUniform(d, this.rng)]));
    const sorted = [...done].sort((a, b) => b.value - a.value);
    const nGood = Math.max(1, Math.min(25, Math.ceil(this.o.gamma * sorted.length)));
    const good = sorted.slice(0, nGood);
    const bad = sorted.slice(nGood);
    const out: Params = {};
    for (const [key, d] of Object.entries(space)) {
      if (d.type === 'categorical') {
        const weights = (set: Trial[]) => {
          const c = d.choices.map(() => this.o.priorWeight);
          for (const t of set) {
            const i = d.choices.indexOf(t.params[key]);
            if (i >= 0) c[i] += 1;
          }
          const s = c.reduce((a, b) => a + b, 0);
          return c.map((v) => v / s);
        };
        const l = weights(good);
        const g = weights(bad);
        let best = 0;
        let bestScore = -Infinity;
        for (let c = 0; c < this.o.candidates; c++) {
          let u = this.rng.next();
          let i = 0;
          while (i < l.length - 1 && u > l[i]) u -= l[i++];
          const score = Math.log(l[i]) - Math.log(g[i]);
          if (score > bestScore) {
            bestScore = score;
            best = i;
          }
        }
        out[key] = d.choices[best];
        continue;
      }
      const low = toInternal(d, d.low);
      const high = toInternal(d, d.high);
      const pts = (set: Trial[]) => set.map((t) => toInternal(d, Number(t.params[key])));
      const l = parzen(pts(good), low, high, this.o.priorWeight);
      const g = parzen(pts(bad), low, high, this.o.priorWeight);
      let best = l.mus[0];
      let bestScore = -Infinity;
      for (let c = 0; c < this.o.candidates; c++) {
        const x = parzenSample(l, this.rng);
        const score = parzenLogPdf(l, x) - parzenLogPdf(g, x);
        if (score > bestScore) {
          bestScore = score;
          best = x;
        }
      }
      out[key] = fromInternal(d, best);
    }
    return out;
  }
}

/** Runs `trials` suggestions of a sampler against an objective (higher is better); returns every trial. */
export async function optimise(
  sampler: Sampler,
  space: SearchSpace,
  trials: number,
  objective: (p: Params, i: number) => Promise<number> | number,
): Promise<Trial[]> {
  const history: Trial[] = [];
  for (let i = 0; i < trials; i++) {
    const params = sampler.suggest(space, history);
    history.push({ params, value: await objective(params, i) });
  }
  return history;
}
