import { EventSequence } from '../types';
import { HawkesParams } from './hawkes-params';

/**
 * How much a Hawkes process's next type depends on the next event's time: over the events
 * 2..L of each sequence (those the evaluation's log-likelihood scores, given the events
 * before them), the mean of
 *   log p(k_i | tau_i, h) - log p(k_i | h),
 * with p(k | tau, h) = lambda_k / lambda at the event and p(k | h) the type's probability
 * before its time is known, int_0^inf lambda_k(s) exp(-Lambda(s)) ds after the last event.
 *
 * Why: its expectation is the conditional mutual information of the next type and time
 * given the history, and the best model of the form p(tau | h) p(k | h) (IntensityFree as
 * its paper writes it, types independent of the time given the history) is the product of
 * the true marginals, whose expected log-likelihood per event is the true process's minus
 * exactly this. So it is the least gap to the truth such a model can reach on this data;
 * the time-type inter-dependent variant is not bound by it.
 *
 * The integral: after the last event, lambda_k(s) = mu_k + sum_l A_kl exp(-beta_kl s) with
 * A carried by the same recursion as the likelihood's, and Lambda in closed form; composite
 * Simpson on [0, S] where the survival is below e^-40 or the excitation has died out (the
 * rest then in closed form), with steps a fraction of the fastest scale (1 / beta, 1 / lambda(0)). The types' probabilities are divided by their sum (1 up
 * to the quadrature's error, which `maxMassError` reports).
 */
export function hawkesTypeTimeInformation(
  p: HawkesParams,
  sequences: EventSequence[],
): { perEvent: number; events: number; maxMassError: number } {
  const K = p.mu.length;
  const muTotal = p.mu.reduce((a, b) => a + b, 0);
  const betaMax = Math.max(...p.beta.flat());
  const A = Array.from({ length: K }, () => new Float64Array(K));
  const probs = new Float64Array(K);
  let total = 0;
  let events = 0;
  let maxMassError = 0;
  for (const { times, types } of sequences) {
    for (const row of A) row.fill(0);
    for (let i = 1; i < times.length; i++) {
      // A after event i - 1 (counting it), as of its time
      const dtPrev = i > 1 ? times[i - 1] - times[i - 2] : 0;
      for (let k = 0; k < K; k++) {
        for (let l = 0; l < K; l++) A[k][l] *= Math.exp(-p.beta[k][l] * dtPrev);
        A[k][types[i - 1]] += p.alpha[k][types[i - 1]];
      }
      const mass = typeProbabilities(p, A, muTotal, betaMax, probs);
      maxMassError = Math.max(maxMassError, Math.abs(mass - 1));
      const k = types[i];
      const lam = intensitiesAt(p, A, times[i] - times[i - 1]);
      const lamTotal = lam.reduce((a, b) => a + b, 0);
      total += Math.log(lam[k] / lamTotal) - Math.log(probs[k] / mass);
      events++;
    }
  }
  return { perEvent: events ? total / events : NaN, events, maxMassError };
}

/**
 * p(k | h): the next event's type probabilities after a history, its time unknown (the
 * quadrature above; normalised).
 */
export function hawkesNextTypeProbabilities(p: HawkesParams, times: ArrayLike<number>, types: ArrayLike<number>): number[] {
  const K = p.mu.length;
  const last = times[times.length - 1];
  const A = Array.from({ length: K }, (_, k) => {
    const row = new Float64Array(K);
    for (let i = 0; i < times.length; i++) row[types[i]] += p.alpha[k][types[i]] * Math.exp(-p.beta[k][types[i]] * (last - times[i]));
    return row;
  });
  const probs = new Float64Array(K);
  const mass = typeProbabilities(p, A, p.mu.reduce((a, b) => a + b, 0), Math.max(...p.beta.flat()), probs);
  return Array.from(probs, (x) => x / mass);
}

function intensitiesAt(p: HawkesParams, A: Float64Array[], s: number): number[] {
  return p.mu.map((m, k) => {
    let lam = m;
    for (let l = 0; l < A.length; l++) lam += A[k][l] * Math.exp(-p.beta[k][l] * s);
    return lam;
  });
}

/** int_0^inf lambda_k(s) exp(-Lambda(s)) ds into out [K]; returns their sum. */
function typeProbabilities(p: HawkesParams, A: Float64Array[], muTotal: number, betaMax: number, out: Float64Array): number {
  const K = p.mu.length;
  const lam0 = intensitiesAt(p, A, 0).reduce((a, b) => a + b, 0);
  const end = 40 / muTotal;
  const n = 2 * Math.ceil((end * Math.max(betaMax, lam0)) / 0.1 / 2);
  const h = end / n;
  // exp(-beta_kl s) along the grid by one product per step
  const E = new Float64Array(K * K).fill(1);
  const ratio = Float64Array.from({ length: K * K }, (_, i) => Math.exp(-p.beta[Math.floor(i / K)][i % K] * h));
  const lam = new Float64Array(K);
  out.fill(0);
  for (let j = 0; j <= n; j++) {
    let Lambda = muTotal * j * h;
    let excitation = 0;
    for (let k = 0; k < K; k++) {
      lam[k] = p.mu[k];
      for (let l = 0; l < K; l++) {
        const e = E[k * K + l];
        lam[k] += A[k][l] * e;
        excitation += A[k][l] * e;
        Lambda += (A[k][l] / p.beta[k][l]) * (1 - e);
        E[k * K + l] = e * ratio[k * K + l];
      }
    }
    if (j > 0 && j % 2 === 0 && excitation < 1e-13 * muTotal) {
      // the excitation has died out: from here lambda_k = mu_k and Lambda grows by muTotal per
      // unit, so the rest is mu_k exp(-Lambda) / muTotal in closed form (a quiet stretch of a
      // process with rare immigrants would otherwise take 40 / muTotal of small steps); this
      // point closes Simpson's rule with its end weight
      const w = (h / 3) * Math.exp(-Lambda);
      for (let k = 0; k < K; k++) out[k] += w * lam[k] + (p.mu[k] / muTotal) * Math.exp(-Lambda);
      break;
    }
    const w = (((j === 0 || j === n ? 1 : j % 2 ? 4 : 2) * h) / 3) * Math.exp(-Lambda);
    for (let k = 0; k < K; k++) out[k] += w * lam[k];
    // the rest of the integrand is below e^-40 of its start (closing on an even point, where
    // the weight 2 / 3 h stands in for Simpson's 1 / 3 h: a difference far below e^-40)
    if (Lambda > 40 && j % 2 === 0) break;
  }
  return out.reduce((a, b) => a + b, 0);
}
