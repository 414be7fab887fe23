import { ValidationFailed } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import { sortedCopy, weightedQuantiles } from '../stats/quantiles';
import { binCode, binCodes, quantileEdges } from './binning';
import { featuresPerNode, QuantileForestOptions } from './quantile-forest';
import { accumulate, drawFeature, noSplit, scanHistogram, SplitChoice } from './split-search';

export interface OnlineForestOptions extends QuantileForestOptions {
  /** w: lagged residuals per row (the SPCI reference: 200-300 on ELEC2) */
  lag: number;
  /** n: most recent residuals the forest trains on */
  window: number;
  /** recompute the histogram bin edges (and rebuild the histograms) every this many pushes */
  rebinEvery: number;
  /**
   * What the trees' splits fit: 'residual' (the paper: squared error on the signed next
   * residual, i.e. its conditional mean) or 'magnitude' (squared error on |next residual|,
   * i.e. its conditional scale). Leaf weights always give quantiles of the signed residual.
   */
  splitOn?: 'residual' | 'magnitude';
}

const E_INV = Math.exp(-1);

/**
 * Poisson(1) weight of one row in one tree, a pure function of (seed, tree, row id).
 * Online bagging (Oza and Russell 2001): Poisson(1) counts are the n -> infinity limit of
 * bootstrap counts, and unlike a multinomial draw they can be fixed per row, so a row
 * keeps its weight while the window slides and a refit equals the previous fit plus and
 * minus one row.
 */
export function poissonWeight(seed: number, tree: number, rowId: number): number {
  const u = deriveSeed(seed, tree, rowId, 0x5eed) / 4294967296;
  let k = 0;
  let p = E_INV;
  let cdf = p;
  while (u > cdf && k < 20) {
    k++;
    p /= k;
    cdf += p;
  }
  return k;
}

/**
 * SPCI's quantile regression forest refitted at every step, incrementally.
 *
 * The model at each step is exactly a fresh fit on the current window: rows
 * (r[i .. i + lag) -> r[i + lag]), each tree grown on Poisson(1) row weights fixed per row,
 * split search on histograms with the current bin edges, trees grown along the query's
 * path only. `laggedForestQuantiles` with the same edges and weights gives the same
 * answer (tested). What makes it cheap is that almost nothing changes from one step to
 * the next:
 * - the root histograms of every feature and tree are kept and updated by removing the
 *   row that leaves the window and adding the one that enters: O(lag) per tree per step
 *   instead of O(rows * lag);
 * - the query's child at depth 1 gets its histograms by subtraction from the root's
 *   (parent minus the smaller sibling, as LightGBM does), so only the smaller side is
 *   counted; deeper nodes are counted directly;
 * - the lagged design is the binned residual series itself (no lag matrix).
 * Bin edges are recomputed every `rebinEvery` pushes (they follow the residuals'
 * distribution, which drifts slowly); between, new residuals are coded with the old edges.
 *
 * The state is a pure function of the residual sequence and the pushes since the last
 * rebin, so replaying from the last rebin rebuilds it bit for bit (see `replay`).
 */
export class OnlineLaggedForest {
  readonly options: OnlineForestOptions;
  private readonly series: Float64Array;
  private readonly codes: Uint8Array;
  private len = 0;
  /** absolute index of series[0] in the residual sequence */
  private first = 0;
  private edges = new Float64Array(0);
  private bins = 1;
  private sinceRebin = 0;
  private readonly weights: Float64Array[];
  private readonly weighted: Float64Array[];
  private hists: Float64Array[] = [];
  // scratch
  private readonly rowsA: Int32Array;
  private readonly rowsB: Int32Array;
  private readonly perm: Int32Array;
  private childHist = new Float64Array(512);

  constructor(options: OnlineForestOptions) {
    if (options.lag < 1)
      throw new ValidationFailed('lag must be at least 1', [{ field: 'lag', reason: 'must be >= 1' }]);
    if (options.window < options.lag + 2) {
      throw new ValidationFailed(`window must exceed lag + 1`, [
        { field: 'window', reason: `must be >= lag + 2 = ${options.lag + 2}` },
      ]);
    }
    this.options = options;
    const cap = options.window;
    this.series = new Float64Array(cap);
    this.codes = new Uint8Array(cap);
    this.weights = Array.from({ length: options.trees }, () => new Float64Array(cap));
    this.weighted = Array.from({ length: options.trees }, () => new Float64Array(cap));
    this.rowsA = new Int32Array(cap);
    this.rowsB = new Int32Array(cap);
    this.perm = new Int32Array(options.lag);
  }

  /** Training rows in the window now. */
  get rows(): number {
    return Math.max(0, this.len - this.options.lag);
  }

  /** Pushes since the bin edges were last computed. */
  get pushesSinceRebin(): number {
    return this.sinceRebin;
  }

  /**
   * Restarts from a residual sequence: `values` are residuals firstIndex, firstIndex + 1, ...
   * The last `window` of them become the window; edges and histograms are built afresh.
   */
  load(values: ArrayLike<number>, firstIndex: number): void {
    const cap = this.options.window;
    const skip = Math.max(0, values.length - cap);
    this.len = values.length - skip;
    this.first = firstIndex + skip;
    for (let i = 0; i < this.len; i++) this.series[i] = values[skip + i];
    this.rebuild();
  }

  /**
   * Rebuilds the state the forest had after `sinceRebin` pushes past a rebuild:
   * `values` are residuals firstIndex, ... up to now; the rebuild happened before the last
   * `sinceRebin` of them.
   */
  replay(values: ArrayLike<number>, firstIndex: number, sinceRebin: number): void {
    const k = Math.min(sinceRebin, values.length);
    const head = Array.prototype.slice.call(values, 0, values.length - k) as number[];
    this.load(head, firstIndex);
    for (let i = values.length - k; i < values.length; i++) this.push(values[i], false);
    this.sinceRebin = k;
  }

  /** Appends the newest residual, sliding the window when it is full. */
  push(value: number, rebin = true): void {
    const { lag, window: cap, trees } = this.options;
    if (this.len === cap) {
      if (this.rows > 0) for (let t = 0; t < trees; t++) this.addRow(t, 0, -1);
      this.series.copyWithin(0, 1, this.len);
      this.codes.copyWithin(0, 1, this.len);
      for (let t = 0; t < trees; t++) {
        this.weights[t].copyWithin(0, 1, this.len);
        this.weighted[t].copyWithin(0, 1, this.len);
      }
      this.len--;
      this.first++;
    }
    this.series[this.len] = value;
    this.codes[this.len] = binCode(value, this.edges);
    this.len++;
    const row = this.len - lag - 1;
    if (row >= 0) {
      for (let t = 0; t < trees; t++) {
        this.initRow(t, row);
        this.addRow(t, row, 1);
      }
    }
    this.sinceRebin++;
    if (rebin && this.sinceRebin >= this.options.rebinEvery) this.rebuild();
  }

  /** The bin edges in use (for tests and reports). */
  binEdges(): Float64Array {
    return this.edges.slice();
  }

  /** Per-tree row weights of the current window (row i = target residual first + i + lag). */
  rowWeights(tree: number): Float64Array {
    return this.weights[tree].slice(0, this.rows);
  }

  /** Random stream of a tree at the current step (the step predicted: residual first + len). */
  treeSeed(tree: number): number {
    return deriveSeed(this.options.seed, tree, this.first + this.len);
  }

  /** The current window, oldest first. */
  windowValues(): Float64Array {
    return this.series.slice(0, this.len);
  }

  /**
   * Conditional quantiles of the next residual given the latest `lag` residuals: grows
   * each tree along the query's path and returns the Meinshausen-weighted quantiles.
   */
  quantiles(qs: readonly number[]): number[] {
    const { lag, trees, maxDepth } = this.options;
    const rows = this.rows;
    if (rows < 2)
      throw new ValidationFailed(`The forest needs at least ${lag + 2} residuals, has ${this.len}`, [
        { field: 'residuals', reason: 'too few for the lag' },
      ]);
    const codes = this.codes;
    const bins = this.bins;
    const minLeaf = Math.max(this.options.minSamplesLeaf, 1e-12);
    const mtry = featuresPerNode(this.options.maxFeatures, lag);
    const perm = this.perm;
    const member = new Uint8Array(rows);
    const qWeights = new Float64Array(rows);
    const targets = this.series.subarray(lag, lag + rows);
    // query features: code[rows + j]
    const q = rows;
    for (let t = 0; t < trees; t++) {
      const rng = new Rng(this.treeSeed(t));
      const next = (k: number): number => rng.int(k);
      for (let j = 0; j < lag; j++) perm[j] = j;
      const w = this.weights[t];
      const wy = this.weighted[t];
      const hist = this.hists[t];
      member.fill(1);
      let size = rows;
      // Root: totals from any feature's histogram.
      let count = 0;
      let sum = 0;
      for (let b = 0; b < bins; b++) {
        count += hist[2 * b];
        sum += hist[2 * b + 1];
      }
      let depth = 0;
      let nodeRows: Int32Array | undefined; // in-bag rows of the current node (undefined = all)
      let nodeLen = 0;
      while (depth < maxDepth && count >= 2 * minLeaf) {
        const best: SplitChoice = noSplit(count, sum);
        if (depth === 0) {
          for (let m = 0; m < mtry; m++) {
            const j = drawFeature(perm, m, next);
            scanHistogram(hist, j * 2 * bins, bins, count, sum, minLeaf, j, best);
          }
        } else if (depth === 1) {
          // nodeRows holds the query side, rowsB the sibling: count the smaller one.
          const direct = nodeLen <= this.siblingLen;
          for (let m = 0; m < mtry; m++) {
            const j = drawFeature(perm, m, next);
            if (direct) accumulate(codes, j, nodeRows!, 0, nodeLen, w, wy, this.childHist, 0, bins);
            else {
              accumulate(codes, j, this.rowsB, 0, this.siblingLen, w, wy, this.childHist, 0, bins);
              const base = j * 2 * bins;
              for (let b = 0; b < 2 * bins; b++) this.childHist[b] = hist[base + b] - this.childHist[b];
            }
            scanHistogram(this.childHist, 0, bins, count, sum, minLeaf, j, best);
          }
        } else {
          for (let m = 0; m < mtry; m++) {
            const j = drawFeature(perm, m, next);
            accumulate(codes, j, nodeRows!, 0, nodeLen, w, wy, this.childHist, 0, bins);
            scanHistogram(this.childHist, 0, bins, count, sum, minLeaf, j, best);
          }
        }
        if (best.feature < 0) break;
        const f = best.feature;
        const thr = best.threshold;
        const goLeft = codes[q + f] <= thr;
        // Split the node's in-bag rows: query side into rowsA, the other side into rowsB.
        let na = 0;
        let nb = 0;
        if (nodeRows === undefined) {
          for (let i = 0; i < rows; i++) {
            if (w[i] > 0) {
              if (codes[f + i] <= thr === goLeft) this.rowsA[na++] = i;
              else this.rowsB[nb++] = i;
            }
          }
        } else {
          for (let k = 0; k < nodeLen; k++) {
            const i = nodeRows[k];
            if (codes[f + i] <= thr === goLeft) this.rowsA[na++] = i;
            else this.rowsB[nb++] = i;
          }
        }
        nodeRows = this.rowsA;
        nodeLen = na;
        this.siblingLen = nb;
        count = goLeft ? best.leftCount : count - best.leftCount;
        sum = goLeft ? best.leftSum : sum - best.leftSum;
        // Leaf membership of all rows (in-bag or not), Meinshausen's definition.
        size = 0;
        for (let i = 0; i < rows; i++) {
          if (member[i] && codes[f + i] <= thr !== goLeft) member[i] = 0;
          size += member[i];
        }
        depth++;
      }
      const share = 1 / (trees * size);
      for (let i = 0; i < rows; i++) if (member[i]) qWeights[i] += share;
    }
    return weightedQuantiles(targets, qWeights, qs);
  }

  private siblingLen = 0;

  private initRow(t: number, row: number): void {
    const w = poissonWeight(this.options.seed, t, this.first + row + this.options.lag);
    this.weights[t][row] = w;
    const y = this.series[row + this.options.lag];
    this.weighted[t][row] = w * (this.options.splitOn === 'magnitude' ? Math.abs(y) : y);
  }

  /** Adds (sign 1) or removes (sign -1) one row from a tree's root histograms. */
  private addRow(t: number, row: number, sign: number): void {
    const w = this.weights[t][row];
    if (w === 0) return;
    const wy = this.weighted[t][row];
    const hist = this.hists[t];
    const codes = this.codes;
    const stride = 2 * this.bins;
    for (let j = 0, base = 0; j < this.options.lag; j++, base += stride) {
      const c = base + (codes[row + j] << 1);
      hist[c] += sign * w;
      hist[c + 1] += sign * wy;
    }
  }

  private rebuild(): void {
    const { lag, trees, maxBins } = this.options;
    const values = this.series.subarray(0, this.len);
    this.edges = quantileEdges(sortedCopy(values), maxBins);
    this.bins = this.edges.length + 1;
    binCodes(values, this.edges, this.codes);
    this.hists = Array.from({ length: trees }, () => new Float64Array(lag * 2 * this.bins));
    for (let t = 0; t < trees; t++) {
      for (let row = 0; row < this.rows; row++) {
        this.initRow(t, row);
        this.addRow(t, row, 1);
      }
    }
    this.sinceRebin = 0;
  }
}
