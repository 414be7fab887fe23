import { HawkesParams } from '../hawkes/hawkes-params';
import { simulateHawkes } from '../hawkes/simulate';
import { EventDataset } from '../types';

/**
 * Small seeded datasets shaped like the real sets the zoo fell over on (issue 28), each a
 * Hawkes process so the truth is known and the types depend on the history (self-exciting
 * types: the next type tends to repeat the last, which a model beats the majority class by):
 * - few long: 6 training sequences of several hundred bursty events (an earthquake catalogue);
 * - many short: 400 sequences of a handful of events (badges, sessions);
 * - one type: one type, 38 training sequences (the small single-type set FullyNN failed on);
 * - long gaps: rare bursts in long quiet stretches, times in units of 1000 (gaps from 0.01
 *   to hundreds of the mean).
 */
export interface RealShapedSet {
  name: string;
  truth: HawkesParams;
  train: EventDataset;
  dev: EventDataset;
  test: EventDataset;
}

const SELF: HawkesParams = {
  mu: [0.05, 0.04, 0.03],
  alpha: [
    [1.6, 0.1, 0.1],
    [0.1, 1.6, 0.1],
    [0.1, 0.1, 1.6],
  ],
  beta: [
    [2, 2, 2],
    [2, 2, 2],
    [2, 2, 2],
  ],
};

function splits(
  name: string,
  truth: HawkesParams,
  counts: [number, number, number],
  endTime: number,
  seed: number,
  timeUnit = 1,
): RealShapedSet {
  const scale = (d: EventDataset): EventDataset =>
    timeUnit === 1
      ? d
      : {
          ...d,
          sequences: d.sequences.map((s) => ({ times: s.times.map((t) => t * timeUnit), types: s.types })),
        };
  const [a, b, c] = counts;
  // the same process in the larger unit: every rate and decay divided by it
  const per = (m: number[][]) => m.map((r) => r.map((x) => x / timeUnit));
  return {
    name,
    truth: { mu: truth.mu.map((m) => m / timeUnit), alpha: per(truth.alpha), beta: per(truth.beta) },
    train: scale(simulateHawkes(truth, a, seed, { endTime })),
    dev: scale(simulateHawkes(truth, b, seed + 1000, { endTime })),
    test: scale(simulateHawkes(truth, c, seed + 2000, { endTime })),
  };
}

export function realShapedSets(seed = 1): RealShapedSet[] {
  const oneType: HawkesParams = { mu: [0.3], alpha: [[0.8]], beta: [[1.2]] };
  const longGaps: HawkesParams = {
    mu: [0.004, 0.004],
    alpha: [
      [3, 0.3],
      [0.3, 3],
    ],
    beta: [
      [4, 4],
      [4, 4],
    ],
  };
  return [
    splits('few long sequences', SELF, [6, 2, 3], 400, seed),
    splits('many short sequences', SELF, [400, 60, 100], 10, seed),
    splits('one type', oneType, [38, 8, 16], 40, seed),
    // long gaps, and times in a unit 1000x the process's: the models must rescale themselves
    splits('long gaps', longGaps, [40, 8, 16], 3000, seed, 1000),
  ];
}
