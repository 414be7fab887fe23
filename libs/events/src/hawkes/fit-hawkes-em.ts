import { EventSequence } from '../types';
import { HawkesParams } from './hawkes-params';
import { hawkesLogLikelihood } from './log-likelihood';

export interface HawkesEmOptions {
  /** Decay rates (fixed: EM estimates mu and alpha given them): one for every kernel, or beta[k][l] per pair. */
  beta: number | number[][];
  /** Upper bound on EM iterations (default 5000). */
  maxIterations?: number;
  /** Stop when the LL per event gains less than this in an iteration (default 1e-9). */
  tolerance?: number;
}

export interface HawkesEmFit {
  params: HawkesParams;
  /** Training LL per event after each iteration (non-decreasing: an EM property the spec checks). */
  trace: number[];
}

/**
 * Maximum-likelihood multivariate Hawkes process with exponential kernels of known decays
 * beta, by expectation-maximisation over the branching structure (Lewis and Mohler 2011;
 * Veen and Schoenberg 2008), in the evaluation's convention: each sequence's events 2..L
 * are scored given its first, over (t_1, t_L], the first event exciting the rest.
 *
 * E-step: each scored event i of type k is either an immigrant (probability mu_k /
 * lambda_k(t_i)) or the child of an earlier event j (alpha[k][k_j] e^{-beta (t_i - t_j)} /
 * lambda_k(t_i)). M-step, exact because the compensator is linear in mu and alpha:
 *   mu_k = expected immigrants of type k / total observed time,
 *   alpha[k][l] = expected type-k children of type-l events / sum over type-l events j of
 *                 (1 - e^{-beta[k][l] (t_L - t_j)}) / beta[k][l] (each parent's kernel mass inside its window).
 * O(L K^2) per sequence and iteration. EM converges slowly near the maximum, hence the
 * default of up to 5000 iterations (each a pass over the data).
 */
export function fitHawkesEm(
  sequences: EventSequence[],
  numTypes: number,
  options: HawkesEmOptions,
): HawkesEmFit {
  const K = numTypes;
  const beta =
    typeof options.beta === 'number'
      ? Array.from({ length: K }, () => new Array(K).fill(options.beta))
      : options.beta;
  if (
    beta.length !== K ||
    beta.some((row) => row.length !== K || row.some((b) => !(b > 0 && Number.isFinite(b))))
  )
    throw new Error(`fitHawkesEm needs positive decays, one or ${K} x ${K}`);
  const seqs = sequences.filter((s) => s.times.length >= 2);
  if (!seqs.length) throw new Error('fitHawkesEm needs a sequence with 2 or more events');
  let time = 0;
  const counts = new Array(K).fill(0);
  // exposure[k][l]: each type-l event's kernel mass toward type k inside its window, summed (the alpha denominators)
  const exposure = Array.from({ length: K }, () => new Array(K).fill(0));
  for (const s of seqs) {
    const end = s.times[s.times.length - 1];
    time += end - s.times[0];
    for (let i = 1; i < s.times.length; i++) counts[s.types[i]]++;
    for (let j = 0; j < s.times.length; j++)
      for (let k = 0; k < K; k++)
        exposure[k][s.types[j]] +=
          (1 - Math.exp(-beta[k][s.types[j]] * (end - s.times[j]))) / beta[k][s.types[j]];
  }
  // start from the Poisson fit with a weak excitation
  let mu = counts.map((c) => Math.max(c, 0.5) / Math.max(time, 1e-12));
  let alpha = beta.map((row) => row.map((b) => 0.1 * b));
  const params = (): HawkesParams => ({ mu, alpha, beta: beta.map((row) => row.slice()) });
  const trace: number[] = [];
  const tolerance = options.tolerance ?? 1e-9;
  for (let it = 0; it < (options.maxIterations ?? 5000); it++) {
    const immigrants = new Array(K).fill(0);
    const children = Array.from({ length: K }, () => new Array(K).fill(0));
    // R[k][l]: sum over earlier type-l events of e^{-beta[k][l] (t - t_j)}, carried forward
    // (Ozaki's recursion), so an event's split among its possible parents by type is O(K)
    const R = Array.from({ length: K }, () => new Float64Array(K));
    for (const s of seqs) {
      const { times, types } = s;
      for (const row of R) row.fill(0);
      for (let k = 0; k < K; k++) R[k][types[0]] = 1;
      for (let i = 1; i < times.length; i++) {
        const dt = times[i] - times[i - 1];
        for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) R[k][l] *= Math.exp(-beta[k][l] * dt);
        const k = types[i];
        let lam = mu[k];
        for (let l = 0; l < K; l++) lam += alpha[k][l] * R[k][l];
        immigrants[k] += mu[k] / lam;
        for (let l = 0; l < K; l++) children[k][l] += (alpha[k][l] * R[k][l]) / lam;
        for (let q = 0; q < K; q++) R[q][k] += 1;
      }
    }
    mu = immigrants.map((m) => Math.max(m, 1e-12) / time);
    alpha = children.map((row, k) => row.map((c, l) => (exposure[k][l] > 0 ? c / exposure[k][l] : 0)));
    trace.push(hawkesLogLikelihood(params(), seqs).perEvent);
    const n = trace.length;
    if (n > 1 && Math.abs(trace[n - 1] - trace[n - 2]) < tolerance) break;
  }
  return { params: params(), trace };
}

/**
 * `fitHawkesEm` at each decay of a grid (multiples of the training event rate per sequence
 * time, by default), keeping the one whose LL per event on `select` (the dev set, or the
 * training set when there is none) is highest.
 */
export function fitHawkesEmOverBetas(
  train: EventSequence[],
  numTypes: number,
  select: EventSequence[] | null,
  betas?: number[],
): HawkesEmFit & { beta: number; selectLogLikelihood: number } {
  const seqs = train.filter((s) => s.times.length >= 2);
  let time = 0;
  let events = 0;
  for (const s of seqs) {
    time += s.times[s.times.length - 1] - s.times[0];
    events += s.times.length - 1;
  }
  const rate = events / Math.max(time, 1e-12);
  const grid = betas ?? [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000].map((m) => m * rate);
  const on = select && select.some((s) => s.times.length >= 2) ? select : seqs;
  let best: (HawkesEmFit & { beta: number; selectLogLikelihood: number }) | null = null;
  for (const beta of grid) {
    const fit = fitHawkesEm(seqs, numTypes, { beta });
    const ll = hawkesLogLikelihood(fit.params, on).perEvent;
    if (!best || ll > best.selectLogLikelihood) best = { ...fit, beta, selectLogLikelihood: ll };
  }
  return best!;
}
