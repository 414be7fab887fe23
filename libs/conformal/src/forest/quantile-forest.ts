import { ValidationFailed } from '@seqcast/core';
import { bootstrapCounts, deriveSeed, Rng } from '@seqcast/numeric';
import { sortedCopy, weightedQuantiles } from '../stats/quantiles';
import { binCode, binCodes, quantileEdges } from './binning';
import { BinnedDesign, columnDesign } from './binned-design';
import { RegressionTree, TreeScratch } from './regression-tree';

export interface QuantileForestOptions {
  /** Number of trees (the SPCI reference: 10). */
  trees: number;
  /** Maximum depth (the SPCI reference: 2). */
  maxDepth: number;
  /** Smallest bootstrap-weighted leaf. */
  minSamplesLeaf: number;
  /** Fraction of the features tried at each node, in (0, 1]; 1 = all (sklearn's default for regression). */
  maxFeatures: number;
  /** Histogram bins per feature, at most 256. */
  maxBins: number;
  /** Grow each tree on a bootstrap sample (true) or on all rows (false). */
  bootstrap: boolean;
  seed: number;
}

export const DEFAULT_FOREST_OPTIONS: QuantileForestOptions = {
  trees: 100,
  maxDepth: 8,
  minSamplesLeaf: 5,
  maxFeatures: 1,
  maxBins: 64,
  bootstrap: true,
  seed: 0,
};

/** Features tried per node for a fraction of p. */
export function featuresPerNode(fraction: number, p: number): number {
  return Math.max(1, Math.min(p, Math.round(fraction * p)));
}

/**
 * A quantile regression forest (Meinshausen 2006). Trees are ordinary CART regression
 * trees on bootstrap samples; a prediction at x is not the mean of leaf means but the
 * weighted empirical distribution of the training targets, row i weighing
 * (1 / T) sum_t 1{i in leaf_t(x)} / |leaf_t(x)|, where leaves hold all training rows
 * (in-bag or not), as Meinshausen and R's quantregForest define it. Quantiles of that
 * distribution are the conditional quantiles.
 */
export class QuantileForest {
  readonly options: QuantileForestOptions;
  private trees: RegressionTree[] = [];
  /** per tree: leaf of every training row, and size of every leaf */
  private rowLeaves: Int32Array[] = [];
  private leafSizes: Int32Array[] = [];
  private edges: Float64Array[] = [];
  private targets = new Float64Array(0);

  constructor(options: Partial<QuantileForestOptions> = {}) {
    this.options = { ...DEFAULT_FOREST_OPTIONS, ...options };
    if (this.options.maxBins < 2 || this.options.maxBins > 256) {
      throw new ValidationFailed('maxBins must lie in [2, 256]', [
        { field: 'maxBins', reason: 'must lie in [2, 256]' },
      ]);
    }
  }

  get fitted(): boolean {
    return this.trees.length > 0;
  }

  /** Fits on rows x[i] (all of one length) and targets y[i]. */
  fit(x: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>): this {
    const n = x.length;
    if (n === 0 || y.length !== n)
      throw new ValidationFailed('x and y must be non-empty and of one length', [
        { field: 'y', reason: `expected ${n} targets, got ${y.length}` },
      ]);
    const p = x[0].length;
    const codes = new Uint8Array(n * p);
    const column = new Float64Array(n);
    let bins = 1;
    this.edges = [];
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < n; i++) column[i] = x[i][j];
      const e = quantileEdges(sortedCopy(column), this.options.maxBins);
      this.edges.push(e);
      bins = Math.max(bins, e.length + 1);
      binCodes(column, e, codes.subarray(j * n, (j + 1) * n));
    }
    this.targets = Float64Array.from(y);
    const design = columnDesign(codes, n, p, bins);
    const grown = growForest(design, this.targets, this.options, undefined);
    this.trees = grown.trees;
    this.rowLeaves = grown.trees.map((t) => leavesOfRows(t, design));
    this.leafSizes = grown.trees.map((t, k) => leafSizes(t, this.rowLeaves[k]));
    return this;
  }

  /** Meinshausen weights of the training rows for the point x (they sum to 1). */
  weights(x: ArrayLike<number>): Float64Array {
    const w = new Float64Array(this.targets.length);
    const codes = Array.from({ length: this.edges.length }, (_, j) => binCode(x[j], this.edges[j]));
    const t = this.trees.length;
    for (let k = 0; k < t; k++) {
      const leaf = this.trees[k].leafOfCodes(codes);
      const rowLeaf = this.rowLeaves[k];
      const share = 1 / (t * this.leafSizes[k][leaf]);
      for (let i = 0; i < rowLeaf.length; i++) if (rowLeaf[i] === leaf) w[i] += share;
    }
    return w;
  }

  predictQuantiles(x: ArrayLike<number>, quantiles: readonly number[]): number[] {
    return weightedQuantiles(this.targets, this.weights(x), quantiles);
  }

  /** Mean of the trees' leaf means (the ordinary random-forest regression estimate). */
  predictMean(x: ArrayLike<number>): number {
    const codes = Array.from({ length: this.edges.length }, (_, j) => binCode(x[j], this.edges[j]));
    let s = 0;
    for (const tree of this.trees) s += tree.value[tree.leafOfCodes(codes)];
    return s / this.trees.length;
  }
}

/** Per-tree row weights and random streams, when a caller fixes them (the online SPCI forest). */
export interface TreePlan {
  weights(tree: number): Float64Array;
  seed(tree: number): number;
}

/** Grows options.trees trees on bootstrap samples of the design (or all rows, or a given plan). */
export function growForest(
  design: BinnedDesign,
  targets: Float64Array,
  options: QuantileForestOptions,
  focus: ArrayLike<number> | undefined,
  plan?: TreePlan,
): { trees: RegressionTree[] } {
  const n = design.rows;
  const scratch = new TreeScratch(design.bins, design.features, n);
  const treeOptions = {
    maxDepth: options.maxDepth,
    minSamplesLeaf: options.minSamplesLeaf,
    maxFeatures: featuresPerNode(options.maxFeatures, design.features),
  };
  const trees: RegressionTree[] = [];
  const ones = new Float64Array(n).fill(1);
  for (let k = 0; k < options.trees; k++) {
    const rng = new Rng(plan ? plan.seed(k) : deriveSeed(options.seed, k));
    const weights = plan ? plan.weights(k) : options.bootstrap ? bootstrapCounts(n, rng) : ones;
    let inBag = 0;
    for (let i = 0; i < n; i++) if (weights[i] > 0) inBag++;
    const rows = new Int32Array(inBag);
    for (let i = 0, m = 0; i < n; i++) if (weights[i] > 0) rows[m++] = i;
    trees.push(RegressionTree.grow(design, targets, weights, rows, treeOptions, rng, scratch, focus));
  }
  return { trees };
}

function leavesOfRows(tree: RegressionTree, design: BinnedDesign): Int32Array {
  const out = new Int32Array(design.rows);
  for (let i = 0; i < design.rows; i++) out[i] = tree.leafOfRow(design, i);
  return out;
}

function leafSizes(tree: RegressionTree, rowLeaves: Int32Array): Int32Array {
  const sizes = new Int32Array(tree.nodeCount);
  for (let i = 0; i < rowLeaves.length; i++) sizes[rowLeaves[i]]++;
  return sizes;
}
