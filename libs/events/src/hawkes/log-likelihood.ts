import { EventSequence, LogLikelihoodResult } from '../types';
import { HawkesParams } from './hawkes-params';

/**
 * Exact log-likelihood of one sequence, with the recursion of Ozaki (1979): O(L K^2).
 * `conditionOnFirst` (default, EasyTPP's convention and the neural models'): score events
 * 2..L given event 1 and integrate over (t_1, t_L]. Otherwise score every event on [0, endTime].
 */
export function hawkesSequenceLogLikelihood(
  p: HawkesParams,
  seq: EventSequence,
  options: { conditionOnFirst?: boolean; endTime?: number } = {},
): { eventTerm: number; integralTerm: number; events: number } {
  const K = p.mu.length;
  const { times, types } = seq;
  const L = times.length;
  const onFirst = options.conditionOnFirst !== false;
  const start = onFirst ? 0 : -1;
  if (L === 0 || (onFirst && L < 2)) return { eventTerm: 0, integralTerm: 0, events: 0 };
  const R = Array.from({ length: K }, () => new Float64Array(K));
  let eventTerm = 0;
  let integralTerm = 0;
  let prev = onFirst ? times[0] : 0;
  if (onFirst) for (let k = 0; k < K; k++) R[k][types[0]] = 1;
  const integrate = (dt: number) => {
    // integral of lambda over (prev, prev + dt], then decay R by dt
    for (let k = 0; k < K; k++) {
      integralTerm += p.mu[k] * dt;
      for (let l = 0; l < K; l++) {
        const e = Math.exp(-p.beta[k][l] * dt);
        integralTerm += (p.alpha[k][l] / p.beta[k][l]) * R[k][l] * (1 - e);
        R[k][l] *= e;
      }
    }
  };
  for (let i = start + 1; i < L; i++) {
    integrate(times[i] - prev);
    const k = types[i];
    let lam = p.mu[k];
    for (let l = 0; l < K; l++) lam += p.alpha[k][l] * R[k][l];
    eventTerm += Math.log(lam);
    for (let j = 0; j < K; j++) R[j][k] += 1;
    prev = times[i];
  }
  if (!onFirst && options.endTime !== undefined && options.endTime > prev) integrate(options.endTime - prev);
  return { eventTerm, integralTerm, events: onFirst ? L - 1 : L };
}

export function hawkesLogLikelihood(p: HawkesParams, sequences: EventSequence[], options: { conditionOnFirst?: boolean; endTime?: number } = {}): LogLikelihoodResult {
  let eventTerm = 0;
  let integralTerm = 0;
  let events = 0;
  for (const s of sequences) {
    const r = hawkesSequenceLogLikelihood(p, s, options);
    eventTerm += r.eventTerm;
    integralTerm += r.integralTerm;
    events += r.events;
  }
  const total = eventTerm - integralTerm;
  return { total, events, perEvent: events ? total / events : NaN, eventTerm, integralTerm };
}
