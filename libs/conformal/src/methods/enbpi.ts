import { quantile } from '@seqcast/numeric';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import { linspace, sortedCopy } from '../stats/quantiles';
import { BaseCalibrator, Offsets, sortedAbs } from './base-calibrator';

export const enbpiSchema = new ConfigSchema({
  window: {
    type: 'integer',
    default: 300,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'w: the latest residuals whose empirical quantiles give the interval (the SPCI reference: 300)',
  },
  symmetric: {
    type: 'boolean',
    default: false,
    description:
      "true: y_hat -+ the (1 - alpha) quantile of |e| (EnbPI's paper); false: signed residuals with the beta search (the SPCI reference's EnbPI)",
  },
  betaGrid: {
    type: 'integer',
    default: 5,
    minimum: 1,
    maximum: 101,
    description: 'beta candidates in linspace(0, alpha, betaGrid); 1 = beta = alpha / 2 (equal tails)',
  },
});

export type EnbpiOptions = ConfigOf<typeof enbpiSchema.fields>;

/**
 * EnbPI (Xu and Xie 2021): leave-one-out residuals of a bootstrap ensemble
 * (see `bootstrapLooResiduals`), intervals from the empirical quantiles of the latest w
 * residuals, new residuals appended as truth arrives (the window slides).
 * Asymmetric as in the SPCI reference's EnbPI: [Q_beta, Q_{1 - alpha + beta}] of the signed
 * residuals, beta in linspace(0, alpha, betaGrid) chosen for the narrowest interval.
 * Where the reference rounds its percentiles up to whole percent, we use the exact level.
 */
export class EnbpiCalibrator extends BaseCalibrator<EnbpiOptions> {
  readonly method = 'enbpi';

  protected capacity(): number {
    return this.options.window;
  }

  protected reset(): void {}
  protected beforeAppend(): void {}
  protected afterAppend(): void {}

  protected offsets(step: number, alphas: readonly number[]): Offsets[] {
    const residuals = this.stores[step].last(this.options.window);
    if (this.options.symmetric) {
      const abs = sortedAbs(residuals);
      return alphas.map((a) => {
        const q = quantile(abs, 1 - a);
        return { lower: -q, upper: q };
      });
    }
    const sorted = sortedCopy(residuals);
    return alphas.map((a) => betaSearch(a, this.options.betaGrid, (q) => quantile(sorted, q)));
  }

  protected extraState(): Record<string, unknown> {
    return {};
  }
}

/**
 * The narrowest [Q(beta), Q(1 - alpha + beta)] over beta in linspace(0, alpha, grid)
 * (grid 1: beta = alpha / 2). First minimum wins, as numpy's argmin.
 */
export function betaSearch(alpha: number, grid: number, quantile: (q: number) => number): Offsets {
  const betas = grid === 1 ? [alpha / 2] : linspace(0, alpha, grid);
  let best: Offsets = { lower: -Infinity, upper: Infinity };
  let bestWidth = Infinity;
  for (const b of betas) {
    const lower = quantile(b);
    const upper = quantile(1 - alpha + b);
    if (upper - lower < bestWidth) {
      bestWidth = upper - lower;
      best = { lower, upper };
    }
  }
  return best;
}
