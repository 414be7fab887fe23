import { Rng } from '@seqcast/tensor';
import type { SequenceRow, SequenceSchema } from './types';

/** Test accuracy of class probabilities. */
export const accuracy = (p: number[][], rows: SequenceRow[]) =>
  p.filter((v, i) => v.indexOf(Math.max(...v)) === rows[i].target).length / rows.length;

/**
 * Simultaneous events (every time 0) whose single feature is a shuffle of 8 fixed values; the
 * class is whether the first event's value exceeds the last's. Each row comes with its
 * reversal, which has the other class: whatever ignores order cannot tell the two apart.
 */
export function orderTask(n: number, seed: number): SequenceRow[] {
  const rng = new Rng(seed);
  const values = [-1, -0.7, -0.4, -0.1, 0.2, 0.5, 0.8, 1.1];
  const rows: SequenceRow[] = [];
  for (let i = 0; i < n / 2; i++) {
    const v = rng.shuffle([...values]);
    const row = (xs: number[]): SequenceRow => ({
      times: xs.map(() => 0),
      numeric: xs.map((x) => [x]),
      target: xs[0] > xs[xs.length - 1] ? 1 : 0,
    });
    rows.push(row(v), row([...v].reverse()));
  }
  return rows;
}
export const orderSchema: SequenceSchema = {
  task: 'classification',
  numClasses: 2,
  numericFeatures: 1,
  categoricalCardinalities: [],
};

/** Irregular events with a numeric and a categorical feature; class: the category seen most, an order-free rule. */
export function majorityTask(n: number, seed: number): SequenceRow[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const L = 4 + rng.int(6);
    const cls = rng.int(3);
    let t = 0;
    const times: number[] = [];
    const categorical: number[][] = [];
    for (let i = 0; i < L; i++) {
      t += rng.next();
      times.push(t);
      categorical.push([rng.next() < 0.75 ? cls : rng.int(3)]);
    }
    const counts = [0, 0, 0];
    categorical.forEach(([c]) => counts[c]++);
    return {
      times,
      numeric: times.map(() => [rng.normal()]),
      categorical,
      target: counts.indexOf(Math.max(...counts)),
    };
  });
}
export const majoritySchema: SequenceSchema = {
  task: 'classification',
  numClasses: 3,
  numericFeatures: 1,
  categoricalCardinalities: [3],
};
