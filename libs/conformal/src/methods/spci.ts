import { deriveSeed, quantile } from '@seqcast/numeric';
import { OnlineLaggedForest } from '../forest/online-lagged-forest';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import { linspace, sortedCopy } from '../stats/quantiles';
import { BaseCalibrator, Offsets } from './base-calibrator';
import { betaSearch } from './enbpi';

/** Rows (lagged pairs) the forest needs before it replaces the empirical fallback. */
const MIN_FOREST_ROWS = 50;

export const spciSchema = new ConfigSchema(
  {
    lag: {
      type: 'integer',
      default: 100,
      minimum: 1,
      maximum: 5000,
      description: 'w: past residuals that predict the next one (the reference: 200-300 on ELEC2)',
    },
    window: {
      type: 'integer',
      default: 1000,
      minimum: 12,
      maximum: 200_000,
      description: 'n: latest residuals the quantile forest trains on (rows = n - w)',
    },
    trees: {
      type: 'integer',
      default: 10,
      minimum: 1,
      maximum: 500,
      description: 'trees of the quantile regression forest (the reference: 10)',
    },
    maxDepth: {
      type: 'integer',
      default: 2,
      minimum: 1,
      maximum: 16,
      description: 'tree depth (the reference: 2)',
    },
    minSamplesLeaf: {
      type: 'integer',
      default: 1,
      minimum: 1,
      maximum: 100_000,
      description: 'smallest leaf (bootstrap-weighted rows)',
    },
    maxFeatures: {
      type: 'number',
      default: 1,
      exclusiveMinimum: 0,
      maximum: 1,
      description: "fraction of the w lags tried at each split (1 = all, sklearn's default)",
    },
    bins: {
      type: 'integer',
      default: 64,
      minimum: 2,
      maximum: 256,
      description: 'histogram bins for split search',
    },
    betaGrid: {
      type: 'integer',
      default: 5,
      minimum: 1,
      maximum: 101,
      description: 'beta candidates in linspace(0, alpha, betaGrid) (the reference: 5)',
    },
    rebinEvery: {
      type: 'integer',
      default: 50,
      minimum: 1,
      maximum: 100_000,
      description: 'steps between recomputations of the histogram bin edges',
    },
    splitOnMagnitude: {
      type: 'boolean',
      default: false,
      description:
        'false: trees split on the signed residual (the paper); true: on |residual|, so leaves separate calm from volatile regimes (quantiles still of the signed residual)',
    },
    seed: {
      type: 'integer',
      default: 0,
      minimum: 0,
      maximum: 4294967295,
      description: 'seed of bootstrap weights and feature draws',
    },
  },
  (o) =>
    o.window < o.lag + 10 ? [{ field: 'window', reason: `must be at least lag + 10 = ${o.lag + 10}` }] : [],
);

export type SpciOptions = ConfigOf<typeof spciSchema.fields>;

/**
 * SPCI (Xu and Xie 2023, "Sequential Predictive Conformal Inference for Time Series").
 * Residuals: signed leave-one-out residuals of a bootstrap ensemble (`bootstrapLooResiduals`),
 * then one per new truth. At each step a quantile regression forest is fitted on the latest
 * n residuals, pairs (previous w residuals -> next residual), and queried at the latest w
 * residuals; for each alpha, beta in linspace(0, alpha, betaGrid) minimising
 * Q(1 - alpha + beta) - Q(beta) gives the interval [y_hat + Q(beta), y_hat + Q(1 - alpha + beta)].
 * The forest is refitted at every step (the paper's online update), incrementally: see
 * OnlineLaggedForest, whose fit equals a fresh fit on the window.
 *
 * Where we differ from the reference (hamrel-cxu/SPCI-code), and why:
 * - bootstrap rows by Poisson(1) weights fixed per row (online bagging) instead of a new
 *   multinomial draw each step: what makes the refit incremental; same limit distribution;
 * - split search on 64-bin quantile histograms instead of exact thresholds;
 * - each horizon step h has its own residual series and forest (the reference's multi-step
 *   mode trains on k-offset targets of one series);
 * - with fewer than w + 50 residuals the forest would learn nothing: the empirical beta
 *   search (EnbPI's) on what there is stands in until then.
 */
export class SpciCalibrator extends BaseCalibrator<SpciOptions> {
  readonly method = 'spci';
  private forests: Array<OnlineLaggedForest | undefined> = [];
  /** per step: residual count when its forest was built (null: not yet) */
  private forestStart: Array<number | null> = [];
  private cache: Array<{ key: string; offsets: Offsets[] } | undefined> = [];

  protected capacity(): number {
    // Enough to replay the forest from its last rebin after a restore.
    return this.options.window + this.options.rebinEvery;
  }

  protected reset(extra?: Record<string, unknown>): void {
    const saved = extra?.forestStart as Array<number | null> | undefined;
    this.forests = [];
    this.forestStart = [];
    this.cache = [];
    this.stores.forEach((store, h) => {
      const start = saved?.[h];
      if (typeof start === 'number') {
        const forest = this.newForest(h);
        forest.replay(store.last(), store.firstIndex, (store.count - start) % this.options.rebinEvery);
        this.forests[h] = forest;
        this.forestStart[h] = start;
      } else {
        this.forestStart[h] = null;
        this.maybeStartForest(h);
      }
    });
  }

  /** Whether step h's intervals come from the forest (false: the empirical fallback). */
  usesForest(step = 0): boolean {
    return this.forests[step] !== undefined;
  }

  private newForest(step: number): OnlineLaggedForest {
    const o = this.options;
    return new OnlineLaggedForest({
      lag: o.lag,
      window: o.window,
      trees: o.trees,
      maxDepth: o.maxDepth,
      minSamplesLeaf: o.minSamplesLeaf,
      maxFeatures: o.maxFeatures,
      maxBins: o.bins,
      bootstrap: true,
      rebinEvery: o.rebinEvery,
      splitOn: o.splitOnMagnitude ? 'magnitude' : 'residual',
      seed: deriveSeed(o.seed, step),
    });
  }

  private maybeStartForest(step: number): void {
    const store = this.stores[step];
    const needed = Math.min(this.options.window, this.options.lag + MIN_FOREST_ROWS);
    if (this.forests[step] || store.length < needed) return;
    const forest = this.newForest(step);
    forest.load(store.last(), store.firstIndex);
    this.forests[step] = forest;
    this.forestStart[step] = store.count;
  }

  protected beforeAppend(): void {}

  protected afterAppend(step: number): void {
    this.cache[step] = undefined;
    const forest = this.forests[step];
    if (forest) {
      const values = this.stores[step].last(1);
      forest.push(values[0]);
    } else this.maybeStartForest(step);
  }

  protected offsets(step: number, alphas: readonly number[]): Offsets[] {
    const key = alphas.join(',');
    const cached = this.cache[step];
    if (cached && cached.key === key) return cached.offsets;
    const grid = this.options.betaGrid;
    const forest = this.forests[step];
    let offsets: Offsets[];
    if (!forest) {
      const sorted = sortedCopy(this.stores[step].last(this.options.window));
      offsets = alphas.map((a) => betaSearch(a, grid, (q) => quantile(sorted, q)));
    } else {
      // One forest query serves every alpha and beta: the fit does not depend on them.
      const levels = alphas.flatMap((a) => {
        const betas = grid === 1 ? [a / 2] : linspace(0, a, grid);
        return [...betas, ...betas.map((b) => 1 - a + b)];
      });
      const q = forest.quantiles(levels);
      const per = grid === 1 ? 1 : grid;
      offsets = alphas.map((a, k) => {
        const base = k * 2 * per;
        let best: Offsets = { lower: q[base], upper: q[base + per] };
        for (let i = 1; i < per; i++) {
          if (q[base + per + i] - q[base + i] < best.upper - best.lower)
            best = { lower: q[base + i], upper: q[base + per + i] };
        }
        return best;
      });
    }
    this.cache[step] = { key, offsets };
    return offsets;
  }

  /**
   * The forest of a step: refitted at every residual once it exists (`lastRefit` = the
   * residual count it was last fitted at), bin edges recomputed every `rebinEvery`.
   */
  protected stepDetails(step: number): Record<string, unknown> {
    const forest = this.forests[step];
    const count = this.stores[step].count;
    return {
      usesForest: forest !== undefined,
      forestSince: this.forestStart[step],
      lastRefit: forest ? count : null,
      lastRebin: forest ? count - forest.pushesSinceRebin : null,
    };
  }

  protected extraState(): Record<string, unknown> {
    return { forestStart: this.forestStart.slice() };
  }
}
