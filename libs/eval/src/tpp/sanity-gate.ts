import type { EventDataset } from '@seqcast/events';

/** The type most frequent among the scored training events (2..L) and its test error rate. */
export function majorityClass(train: EventDataset, test: EventDataset): { type: number; errorRate: number } {
  const counts = new Array(train.numTypes).fill(0);
  for (const s of train.sequences) for (let i = 1; i < s.types.length; i++) counts[s.types[i]]++;
  let type = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k] > counts[type]) type = k;
  let n = 0;
  let wrong = 0;
  for (const s of test.sequences) {
    for (let i = 1; i < s.types.length; i++) {
      n++;
      if (s.types[i] !== type) wrong++;
    }
  }
  return { type, errorRate: n ? wrong / n : NaN };
}

export const BELOW_POISSON = 'LL below Poisson';
/** Within this many nats per event of Poisson's LL a model has learnt nothing the table can show (it prints 3 decimals). */
export const TIE_TOLERANCE = 5e-4;
export const TIES_POISSON = 'LL equal to Poisson (within 0.0005)';
export const AT_MAJORITY = 'accuracy at or below the majority class';

/**
 * What is wrong with a trained model's figures (mean over seeds): a test LL below the
 * homogeneous Poisson fit's, or equal to it within TIE_TOLERANCE (a model initialised at
 * the Poisson fit that training could not improve on dev ends there), a type accuracy no
 * better than always predicting the majority class. Single-type data has no accuracy to judge (every model is right on every event).
 */
export function sanityFlags(
  model: { logLikelihood: number; errorRate: number },
  baselines: { poisson: number; majorityErrorRate: number; numTypes: number },
): string[] {
  const flags: string[] = [];
  if (model.logLikelihood < baselines.poisson - TIE_TOLERANCE) flags.push(BELOW_POISSON);
  else if (model.logLikelihood <= baselines.poisson + TIE_TOLERANCE) flags.push(TIES_POISSON);
  if (baselines.numTypes > 1 && model.errorRate >= baselines.majorityErrorRate) flags.push(AT_MAJORITY);
  return flags;
}
