import type { Rng } from '@seqcast/numeric';
import type { BinnedDesign } from './binned-design';
import { accumulate, drawFeature, noSplit, scanHistogram } from './split-search';

export interface TreeOptions {
  maxDepth: number;
  /** Smallest (bootstrap-weighted) number of rows a leaf may hold. */
  minSamplesLeaf: number;
  /** Features tried at each node, drawn without replacement (random-forest style). */
  maxFeatures: number;
}

/** Scratch buffers reused across the trees of a forest, so growing allocates almost nothing. */
export class TreeScratch {
  /** one feature's interleaved (count, sum) histogram */
  readonly hist: Float64Array;
  readonly perm: Int32Array;
  readonly weighted: Float64Array;
  constructor(bins: number, features: number, rows: number) {
    this.hist = new Float64Array(2 * bins);
    this.perm = Int32Array.from({ length: features }, (_, j) => j);
    this.weighted = new Float64Array(rows);
  }
}

/**
 * A CART regression tree (squared-error criterion) on a binned design, grown with
 * histogram split search: per node and candidate feature one pass over the node's rows
 * adds weight and weight * target into per-code bins, then one scan over the bins finds
 * the split with the largest reduction of the weighted sum of squares.
 *
 * Rows carry weights (bootstrap counts); rows of weight zero are simply not passed in.
 *
 * `focus` grows only the path of one query point: at each split only the child that the
 * query falls into is split further, the other becomes a leaf. For a forest queried at one
 * point (SPCI refits for the one next step) the query's leaf, and so its prediction, is
 * the same as a fully grown tree's, at about 2/3 of the cost for depth 2.
 */
export class RegressionTree {
  private constructor(
    readonly feature: Int32Array,
    /** left child iff code <= threshold */
    readonly threshold: Int32Array,
    readonly left: Int32Array,
    readonly right: Int32Array,
    /** weighted mean of the targets in the node (used at leaves) */
    readonly value: Float64Array,
  ) {}

  get nodeCount(): number {
    return this.feature.length;
  }

  isLeaf(node: number): boolean {
    return this.feature[node] < 0;
  }

  static grow(
    design: BinnedDesign,
    targets: Float64Array,
    weights: Float64Array,
    rows: Int32Array,
    options: TreeOptions,
    rng: Rng,
    scratch: TreeScratch,
    focus?: ArrayLike<number>,
  ): RegressionTree {
    const { codes, offsets, bins } = design;
    const { hist, perm } = scratch;
    const p = design.features;
    const mtry = Math.max(1, Math.min(p, options.maxFeatures));
    const minLeaf = Math.max(options.minSamplesLeaf, 1e-12);
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    // Work list of nodes to grow: [node id, start, end, depth] over `rows` partitioned in place.
    // weight * target per row, once per tree: the inner loop then only adds.
    const weighted = scratch.weighted;
    // Start every tree from the identity permutation, so a tree depends only on its own seed.
    for (let j = 0; j < p; j++) perm[j] = j;
    for (let k = 0; k < rows.length; k++) weighted[rows[k]] = weights[rows[k]] * targets[rows[k]];
    const stack: number[] = [];
    const newNode = (): number => {
      feature.push(-1);
      threshold.push(0);
      left.push(-1);
      right.push(-1);
      value.push(0);
      return feature.length - 1;
    };
    stack.push(newNode(), 0, rows.length, 0);
    while (stack.length) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const node = stack.pop()!;
      let c = 0;
      let s = 0;
      for (let k = start; k < end; k++) {
        const r = rows[k];
        c += weights[r];
        s += weights[r] * targets[r];
      }
      value[node] = c > 0 ? s / c : 0;
      if (depth >= options.maxDepth || c < 2 * minLeaf) continue;

      const best = noSplit(c, s);
      const next = (k: number): number => rng.int(k);
      for (let m = 0; m < mtry; m++) {
        const j = drawFeature(perm, m, next);
        accumulate(codes, offsets[j], rows, start, end, weights, weighted, hist, 0, bins);
        scanHistogram(hist, 0, bins, c, s, minLeaf, j, best);
      }
      const bestF = best.feature;
      const bestT = best.threshold;
      if (bestF < 0) continue;

      // Partition rows[start, end) into code <= bestT, then the rest.
      const off = offsets[bestF];
      let i = start;
      let e = end - 1;
      while (i <= e) {
        if (codes[off + rows[i]] <= bestT) i++;
        else {
          const tmp = rows[i];
          rows[i] = rows[e];
          rows[e] = tmp;
          e--;
        }
      }
      feature[node] = bestF;
      threshold[node] = bestT;
      const l = newNode();
      const r = newNode();
      left[node] = l;
      right[node] = r;
      const growLeft = focus === undefined || focus[bestF] <= bestT;
      const growRight = focus === undefined || focus[bestF] > bestT;
      if (growRight) stack.push(r, i, end, depth + 1);
      else value[r] = meanOf(rows, i, end, weights, targets);
      if (growLeft) stack.push(l, start, i, depth + 1);
      else value[l] = meanOf(rows, start, i, weights, targets);
    }
    return new RegressionTree(
      Int32Array.from(feature),
      Int32Array.from(threshold),
      Int32Array.from(left),
      Int32Array.from(right),
      Float64Array.from(value),
    );
  }

  /** Leaf reached by a point given by its code per feature. */
  leafOfCodes(codeOf: ArrayLike<number>): number {
    let node = 0;
    while (this.feature[node] >= 0)
      node = codeOf[this.feature[node]] <= this.threshold[node] ? this.left[node] : this.right[node];
    return node;
  }

  /** Leaf reached by row `row` of a design. */
  leafOfRow(design: BinnedDesign, row: number): number {
    const { codes, offsets } = design;
    let node = 0;
    while (this.feature[node] >= 0) {
      node =
        codes[offsets[this.feature[node]] + row] <= this.threshold[node] ? this.left[node] : this.right[node];
    }
    return node;
  }
}

function meanOf(
  rows: Int32Array,
  start: number,
  end: number,
  weights: Float64Array,
  targets: Float64Array,
): number {
  let c = 0;
  let s = 0;
  for (let k = start; k < end; k++) {
    c += weights[rows[k]];
    s += weights[rows[k]] * targets[rows[k]];
  }
  return c > 0 ? s / c : 0;
}
