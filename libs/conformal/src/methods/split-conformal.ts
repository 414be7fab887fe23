import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import { conformalQuantile, sortedCopy } from '../stats/quantiles';
import { BaseCalibrator, Offsets, sortedAbs } from './base-calibrator';

export const splitConformalSchema = new ConfigSchema({
  symmetric: {
    type: 'boolean',
    default: true,
    description:
      'scores |y - y_hat| (symmetric interval); false: each tail from the signed residuals at alpha / 2 (asymmetric)',
  },
  window: {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 1_000_000,
    description:
      '0: the calibration set is the held-out residuals given to fit, updates are ignored (classical split conformal); > 0: a rolling set of the latest `window` residuals, updates included',
  },
});

export type SplitConformalOptions = ConfigOf<typeof splitConformalSchema.fields>;

/**
 * Split conformal (Vovk; Lei et al. 2018) on held-out residuals of a point model.
 * Symmetric: q = the ceil((n + 1)(1 - alpha))-th smallest |e|, interval y_hat -+ q: coverage
 * >= 1 - alpha when calibration and test residuals are exchangeable (and < 1 - alpha +
 * 1 / (n + 1) without ties). Asymmetric: each tail gets alpha / 2 with its own conformal
 * quantile of the signed residuals, which keeps the guarantee and follows skewed errors.
 * Too few residuals for a level give an infinite bound, which is the honest answer.
 */
export class SplitConformalCalibrator extends BaseCalibrator<SplitConformalOptions> {
  readonly method = 'split';
  private cache: Array<{ abs?: Float64Array; signed?: Float64Array; negated?: Float64Array } | undefined> =
    [];

  protected capacity(): number {
    return this.options.window > 0 ? this.options.window : Number.MAX_SAFE_INTEGER;
  }

  protected reset(): void {
    this.cache = [];
  }

  protected beforeAppend(): void {}

  protected afterAppend(step: number): void {
    this.cache[step] = undefined;
  }

  protected keepsNewResiduals(): boolean {
    return this.options.window > 0;
  }

  protected offsets(step: number, alphas: readonly number[]): Offsets[] {
    const c = (this.cache[step] ??= {});
    const residuals = this.stores[step].last();
    if (this.options.symmetric) {
      const abs = (c.abs ??= sortedAbs(residuals));
      return alphas.map((a) => {
        const q = conformalQuantile(abs, a);
        return { lower: -q, upper: q };
      });
    }
    const signed = (c.signed ??= sortedCopy(residuals));
    const negated = (c.negated ??= sortedCopy(residuals.map((e) => -e)));
    return alphas.map((a) => ({
      lower: -conformalQuantile(negated, a / 2),
      upper: conformalQuantile(signed, a / 2),
    }));
  }

  protected extraState(): Record<string, unknown> {
    return {};
  }
}
