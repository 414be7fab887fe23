import { benjaminiHochberg } from './benjamini-hochberg';
import { mannWhitneyU } from './mann-whitney';

export interface PairTest {
  a: string;
  b: string;
  u: number;
  p: number;
  /** Benjamini-Hochberg adjusted over every pair of the dataset. */
  pAdjusted: number;
}

export interface ModelGrouping {
  /** Group per model: 1 is the best group. */
  group: Record<string, number>;
  /** Models in order of their mean metric (best first). */
  order: string[];
  tests: PairTest[];
}

/**
 * EBES's grouping of models on one dataset: a two-sided Mann-Whitney U test for every pair
 * of models' final-run metrics, Benjamini-Hochberg over the pairs, then groups in order of
 * the mean: the best remaining model opens a group and every remaining model whose
 * difference from it is not significant at `alpha` joins it; repeat with the rest. Ranks
 * are the group numbers, so models that cannot be told apart share a rank.
 */
export function groupModels(
  scores: Record<string, number[]>,
  higherIsBetter: boolean,
  alpha = 0.01,
): ModelGrouping {
  const names = Object.keys(scores);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const order = [...names].sort((a, b) =>
    higherIsBetter ? mean(scores[b]) - mean(scores[a]) : mean(scores[a]) - mean(scores[b]),
  );
  const raw: Omit<PairTest, 'pAdjusted'>[] = [];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const r = mannWhitneyU(scores[names[i]], scores[names[j]]);
      raw.push({ a: names[i], b: names[j], u: r.u, p: r.p });
    }
  const adj = benjaminiHochberg(raw.map((t) => t.p));
  const tests = raw.map((t, i) => ({ ...t, pAdjusted: adj[i] }));
  const pOf = (a: string, b: string) =>
    tests.find((t) => (t.a === a && t.b === b) || (t.a === b && t.b === a))!.pAdjusted;
  const group: Record<string, number> = {};
  let remaining = [...order];
  for (let g = 1; remaining.length; g++) {
    const leader = remaining[0];
    const members = remaining.filter((m) => m === leader || pOf(leader, m) > alpha);
    for (const m of members) group[m] = g;
    remaining = remaining.filter((m) => !members.includes(m));
  }
  return { group, order, tests };
}

/** Mean rank (group number) of each model over datasets; a model missing on a dataset is left out there. */
export function meanRanks(groupings: Record<string, number>[]): Record<string, number> {
  const sums: Record<string, { s: number; n: number }> = {};
  for (const g of groupings)
    for (const [m, r] of Object.entries(g)) {
      sums[m] ??= { s: 0, n: 0 };
      sums[m].s += r;
      sums[m].n += 1;
    }
  return Object.fromEntries(Object.entries(sums).map(([m, { s, n }]) => [m, s / n]));
}
