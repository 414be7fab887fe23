import { ValidationFailed } from '@seqcast/core';
import { EventSequence } from '../types';

/** HYPRO's deletion costs: the reported OTD is the mean of the distances at these. */
export const OTD_DELETION_COSTS: readonly number[] = [0.05, 0.5, 1, 1.5, 2, 3, 4];

/** The times of each type, in order (types are 0-based ids below numTypes). */
function timesByType(s: EventSequence, numTypes: number): number[][] {
  const out: number[][] = Array.from({ length: numTypes }, () => []);
  s.types.forEach((k, i) => out[k].push(s.times[i]));
  for (const ts of out) ts.sort((a, b) => a - b);
  return out;
}

/**
 * Cheapest partial matching of two sorted time lists on the line: a matched pair costs
 * |a_i - b_j|, an unmatched event (deleted from one, or inserted into the other) costs c.
 * With the absolute difference as cost an optimal matching never crosses (swapping two
 * crossing pairs' partners costs no more), so the edit-distance recursion over prefixes
 * is exact: O(|a| |b|).
 */
function lineTransport(a: number[], b: number[], c: number): number {
  const m = b.length;
  let prev = Float64Array.from({ length: m + 1 }, (_, j) => j * c);
  let cur = new Float64Array(m + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i * c;
    for (let j = 1; j <= m; j++)
      cur[j] = Math.min(prev[j] + c, cur[j - 1] + c, prev[j - 1] + Math.abs(a[i - 1] - b[j - 1]));
    [prev, cur] = [cur, prev];
  }
  return prev[m];
}

function checkCost(c: number): void {
  if (!(c > 0 && Number.isFinite(c)))
    throw new ValidationFailed('The deletion cost must be positive', [
      { field: 'deletionCost', reason: `got ${c}` },
    ]);
}

/**
 * Optimal-transport distance between event sequences (Mei, Qin and Eisner 2019, as HYPRO
 * reports it): events may only be aligned with events of the same type, at cost
 * |t_i - t_j|; every event left unaligned, in either sequence, costs `deletionCost`. Types
 * do not interact, so the distance is the sum over types of each type's line transport.
 */
export function otdAt(a: EventSequence, b: EventSequence, numTypes: number, deletionCost: number): number {
  checkCost(deletionCost);
  const A = timesByType(a, numTypes);
  const B = timesByType(b, numTypes);
  let total = 0;
  for (let k = 0; k < numTypes; k++) total += lineTransport(A[k], B[k], deletionCost);
  return total;
}

/** OTD averaged over deletion costs (HYPRO's: {0.05, 0.5, 1, 1.5, 2, 3, 4}). */
export function otd(
  a: EventSequence,
  b: EventSequence,
  numTypes: number,
  deletionCosts: readonly number[] = OTD_DELETION_COSTS,
): number {
  deletionCosts.forEach(checkCost);
  const A = timesByType(a, numTypes);
  const B = timesByType(b, numTypes);
  let total = 0;
  for (const c of deletionCosts) for (let k = 0; k < numTypes; k++) total += lineTransport(A[k], B[k], c);
  return total / deletionCosts.length;
}

/**
 * Per-type count error over a horizon: sum over types of (predicted count - true count)^2,
 * for one pair. `countRmse` is the root of its mean over pairs (HYPRO's RMSE_e, "the root of
 * the summed squared count errors per type").
 */
export function countSquaredError(predicted: EventSequence, truth: EventSequence, numTypes: number): number {
  const n = new Float64Array(numTypes);
  for (const k of predicted.types) n[k]++;
  for (const k of truth.types) n[k]--;
  return n.reduce((s, d) => s + d * d, 0);
}

/** Mean OTD and count RMSE over (prediction, truth) pairs. */
export function horizonMetrics(
  pairs: Array<{ predicted: EventSequence; truth: EventSequence }>,
  numTypes: number,
): { otd: number; countRmse: number; pairs: number } {
  if (!pairs.length) return { otd: NaN, countRmse: NaN, pairs: 0 };
  let d = 0;
  let se = 0;
  for (const p of pairs) {
    d += otd(p.predicted, p.truth, numTypes);
    se += countSquaredError(p.predicted, p.truth, numTypes);
  }
  return { otd: d / pairs.length, countRmse: Math.sqrt(se / pairs.length), pairs: pairs.length };
}
