import type { Rng } from '../random/rng';
import type { BinnedDesign } from './binned-design';

export interface TreeOptions {
  maxDepth: number;
  /** Smallest (bootstrap-weighted) number of rows a leaf may hold. */
  minSamplesLeaf: number;
  /** Features tried at each node, drawn without replacement (random-forest style). */
  maxFeatures: number;
}

/** Scratch buffers reused across the trees of a forest, so growing allocates almost nothing. */
export class TreeScratch {
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly perm: Int32Array;
  constructor(bins: number, features: number) {
    this.counts = new Float64Array(bins);
    this.sums = new Float64Array(bins);
    this.perm = Int32Array.from({ length: features }, (_, j) => j);
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
    targets: ArrayLike<number>,
    weights: ArrayLike<number>,
    rows: Int32Array,
    options: TreeOptions,
    rng: Rng,
    scratch: TreeScratch,
    focus?: ArrayLike<number>,
  ): RegressionTree {
    const { codes, offsets, bins } = design;
    const { counts, sums, perm } = scratch;
    const p = design.features;
    const mtry = Math.max(1, Math.min(p, options.maxFeatures));
    const minLeaf = Math.max(options.minSamplesLeaf, 1e-12);
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    // Work list of nodes to grow: [node id, start, end, depth] over `rows` partitioned in place.
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

      const parentScore = (s * s) / c;
      let bestGain = parentScore * (1 + 1e-12) + 1e-12;
      let bestF = -1;
      let bestT = 0;
      for (let m = 0; m < mtry; m++) {
        // Partial Fisher-Yates: perm[m] becomes a fresh feature not tried at this node.
        const pick = m + rng.int(p - m);
        const j = perm[pick];
        perm[pick] = perm[m];
        perm[m] = j;
        const off = offsets[j];
        counts.fill(0, 0, bins);
        sums.fill(0, 0, bins);
        for (let k = start; k < end; k++) {
          const r = rows[k];
          const code = codes[off + r];
          const w = weights[r];
          counts[code] += w;
          sums[code] += w * targets[r];
        }
        let cl = 0;
        let sl = 0;
        let last = -1;
        for (let t = 0; t < bins; t++) {
          const ct = counts[t];
          if (ct === 0) continue;
          if (last >= 0 && cl >= minLeaf) {
            const cr = c - cl;
            if (cr < minLeaf) break;
            const sr = s - sl;
            const gain = (sl * sl) / cl + (sr * sr) / cr;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = j;
              // Threshold midway (in code space) between the two occupied bins.
              bestT = (last + t - 1) >> 1;
            }
          }
          cl += ct;
          sl += sums[t];
          last = t;
        }
      }
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
    return new RegressionTree(Int32Array.from(feature), Int32Array.from(threshold), Int32Array.from(left), Int32Array.from(right), Float64Array.from(value));
  }

  /** Leaf reached by a point given by its code per feature. */
  leafOfCodes(codeOf: ArrayLike<number>): number {
    let node = 0;
    while (this.feature[node] >= 0) node = codeOf[this.feature[node]] <= this.threshold[node] ? this.left[node] : this.right[node];
    return node;
  }

  /** Leaf reached by row `row` of a design. */
  leafOfRow(design: BinnedDesign, row: number): number {
    const { codes, offsets } = design;
    let node = 0;
    while (this.feature[node] >= 0) {
      node = codes[offsets[this.feature[node]] + row] <= this.threshold[node] ? this.left[node] : this.right[node];
    }
    return node;
  }
}

function meanOf(rows: Int32Array, start: number, end: number, weights: ArrayLike<number>, targets: ArrayLike<number>): number {
  let c = 0;
  let s = 0;
  for (let k = start; k < end; k++) {
    c += weights[rows[k]];
    s += weights[rows[k]] * targets[rows[k]];
  }
  return c > 0 ? s / c : 0;
}
