import type { SequenceRow, SequenceTask } from '@seqcast/events';

export const SEQUENCE_METRICS = {
  accuracy: { task: 'classification', higherIsBetter: true },
  mse: { task: 'regression', higherIsBetter: false },
  mae: { task: 'regression', higherIsBetter: false },
} as const satisfies Record<string, { task: SequenceTask; higherIsBetter: boolean }>;

export type SequenceMetric = keyof typeof SEQUENCE_METRICS;

/** The metric of predictions (class probabilities or [value]) against the rows' targets. */
export function sequenceMetric(metric: SequenceMetric, predictions: number[][], rows: SequenceRow[]): number {
  let s = 0;
  rows.forEach((r, i) => {
    const p = predictions[i];
    if (metric === 'accuracy') s += p.indexOf(Math.max(...p)) === r.target ? 1 : 0;
    else if (metric === 'mse') s += (p[0] - r.target) ** 2;
    else s += Math.abs(p[0] - r.target);
  });
  return s / rows.length;
}

/** The metric turned so that higher is better (the search maximises). */
export function oriented(metric: SequenceMetric, value: number): number {
  return SEQUENCE_METRICS[metric].higherIsBetter ? value : -value;
}
