import { Rng } from '@seqcast/numeric';
import {
  hawkesSequenceLogLikelihood,
  simulateHawkesSequence,
  type HawkesParams,
  type SequenceRow,
} from '@seqcast/events';
import type { SequenceDataset } from './sequence-dataset';

export interface HawkesPairOptions {
  pool: number;
  test: number;
  seed: number;
  /** Observation window. */
  duration: number;
  /** The two processes: class 0 and class 1. */
  processes: [HawkesParams, HawkesParams];
}

/**
 * Two 2-type processes with the same base rates, the same branching ratio (0.5) and so the
 * same stationary rate per type (1 event per unit time): class 0 excites its own type,
 * class 1 the other type. Counts alone cannot tell them apart; the order of types and the
 * gaps between them can.
 */
export const DEFAULT_HAWKES_PAIR: HawkesPairOptions = {
  pool: 600,
  test: 400,
  seed: 0,
  duration: 20,
  processes: [
    {
      mu: [0.5, 0.5],
      alpha: [
        [0.8, 0.2],
        [0.2, 0.8],
      ],
      beta: [
        [2, 2],
        [2, 2],
      ],
    },
    {
      mu: [0.5, 0.5],
      alpha: [
        [0.2, 0.8],
        [0.8, 0.2],
      ],
      beta: [
        [2, 2],
        [2, 2],
      ],
    },
  ],
};

/**
 * Which of two Hawkes parameter sets generated a sequence (a sequence-level task on event
 * sequences): classes balanced, events carry their type as a categorical feature and no
 * numeric feature; the times are the event times on [0, duration).
 */
export function hawkesPairDataset(options: Partial<HawkesPairOptions> = {}): SequenceDataset {
  const o = { ...DEFAULT_HAWKES_PAIR, ...options };
  const rng = new Rng(o.seed * 1_000_033 + 7);
  const draw = (i: number): SequenceRow => {
    const target = i % 2;
    let s = { times: [] as number[], types: [] as number[] };
    while (s.times.length < 2) s = simulateHawkesSequence(o.processes[target], rng, { endTime: o.duration });
    return { times: s.times, numeric: s.times.map(() => []), categorical: s.types.map((k) => [k]), target };
  };
  return {
    name: 'hawkes_pair',
    schema: {
      task: 'classification',
      numClasses: 2,
      numericFeatures: 0,
      categoricalCardinalities: [o.processes[0].mu.length],
    },
    pool: Array.from({ length: o.pool }, (_, i) => draw(i)),
    test: Array.from({ length: o.test }, (_, i) => draw(i)),
    classes: ['process 0', 'process 1'],
  };
}

/**
 * The Bayes classifier's accuracy on rows of this task: pick the process with the higher
 * exact log-likelihood on [0, duration] (equal priors). No model can beat it on average.
 */
export function hawkesPairBayesAccuracy(
  rows: SequenceRow[],
  o: HawkesPairOptions = DEFAULT_HAWKES_PAIR,
): number {
  let right = 0;
  for (const r of rows) {
    const seq = { times: r.times, types: r.categorical!.map((c) => c[0]) };
    const ll = o.processes.map((p) => {
      const v = hawkesSequenceLogLikelihood(p, seq, { conditionOnFirst: false, endTime: o.duration });
      return v.eventTerm - v.integralTerm;
    });
    if ((ll[1] > ll[0] ? 1 : 0) === r.target) right++;
  }
  return right / rows.length;
}
