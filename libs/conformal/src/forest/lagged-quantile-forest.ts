import { ValidationFailed } from '@seqcast/core';
import { sortedCopy, weightedQuantiles } from '../stats/quantiles';
import { binCodes, quantileEdges } from './binning';
import { laggedDesign } from './binned-design';
import { growForest, QuantileForestOptions, TreePlan } from './quantile-forest';

/**
 * SPCI's quantile model in one call: from a residual series r (oldest first, length n),
 * the pairs (r[i .. i + lag) -> r[i + lag]) for i < n - lag train a quantile regression
 * forest, which is then queried at the latest window r[n - lag .. n). Returns the
 * conditional quantiles of the next residual at `quantiles`.
 *
 * Why it is fast enough to refit at every step:
 * - no lag matrix: the lagged design is the binned residual series itself (feature j of
 *   row i is code[i + j]), built in O(n) per step;
 * - histogram split search (counting into <= 256 bins), typed arrays, no allocation in
 *   the inner loops;
 * - each tree grows only the path of the one query (see RegressionTree.grow's `focus`);
 * - the Meinshausen weights need only the rows that share the query's leaf.
 * The result equals a forest grown in full and queried at the same point, up to the
 * random stream (same distribution of trees, not the same trees).
 */
export function laggedForestQuantiles(
  series: ArrayLike<number>,
  lag: number,
  quantiles: readonly number[],
  options: QuantileForestOptions,
  fixed: { edges?: Float64Array; plan?: TreePlan; splitOn?: 'residual' | 'magnitude' } = {},
): number[] {
  const n = series.length;
  const rows = n - lag;
  if (lag < 1 || rows < 2) {
    throw new ValidationFailed(
      `A lagged quantile forest with lag ${lag} needs more than ${lag + 1} residuals, got ${n}`,
      [{ field: 'lag', reason: `needs n > lag + 1 (n = ${n})` }],
    );
  }
  const edges = fixed.edges ?? quantileEdges(sortedCopy(series), options.maxBins);
  const codes = binCodes(series, edges);
  const design = laggedDesign(codes, lag, rows, edges.length + 1);
  const targets = new Float64Array(rows);
  for (let i = 0; i < rows; i++) targets[i] = series[i + lag];
  // Splits fit |r| under splitOn 'magnitude'; the quantiles are always of r itself.
  const splitTargets = fixed.splitOn === 'magnitude' ? targets.map(Math.abs) : targets;
  // The query is row `rows` of the same lagged layout: feature j = code[rows + j].
  const focus = codes.subarray(rows, rows + lag);
  const { trees } = growForest(design, splitTargets, options, focus, fixed.plan);

  const weights = new Float64Array(rows);
  const member = new Uint8Array(rows);
  const t = trees.length;
  for (const tree of trees) {
    // Rows in the query's leaf: those that take the query's side at every node on its path.
    member.fill(1);
    let node = 0;
    let size = rows;
    while (!tree.isLeaf(node)) {
      const f = tree.feature[node];
      const thr = tree.threshold[node];
      const goLeft = focus[f] <= thr;
      size = 0;
      for (let i = 0; i < rows; i++) {
        if (member[i] && codes[f + i] <= thr !== goLeft) member[i] = 0;
        size += member[i];
      }
      node = goLeft ? tree.left[node] : tree.right[node];
    }
    const share = 1 / (t * size);
    for (let i = 0; i < rows; i++) if (member[i]) weights[i] += share;
  }
  return weightedQuantiles(targets, weights, quantiles);
}
