import { levelName } from '../calibrator';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import { BaseCalibrator, Offsets, sortedAbs } from './base-calibrator';

export const aciSchema = new ConfigSchema({
  gamma: {
    type: 'number',
    default: 0.005,
    exclusiveMinimum: 0,
    maximum: 1,
    description: 'step size of the alpha_t update (0.005 in the SPCI reference)',
  },
  window: {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 1_000_000,
    description:
      '0: scores are the residuals given to fit (a fixed calibration set, as the SPCI reference); > 0: a rolling set of the latest `window` residuals, updates included',
  },
});

export type AciOptions = ConfigOf<typeof aciSchema.fields>;

/**
 * Adaptive conformal inference (Gibbs and Candes 2021) on absolute-residual scores. Each
 * configured level keeps its own alpha_t, per horizon step; the interval at time t is
 * y_hat -+ Q(1 - alpha_t), Q the conformal quantile (the ceil((n + 1)(1 - alpha_t))-th
 * smallest score); after the truth y_t:
 *   err_t = 1 if y_t is outside that interval, else 0
 *   alpha_{t+1} = clip(alpha_t + gamma (alpha - err_t), 0, 1)
 * (clipped as MODELS.md and the SPCI reference do).
 *
 * Simplification: where 1 - alpha_t needs a rank above n (alpha_t near 0) the paper's set
 * is the whole line; we return the largest score, as the reference's np.percentile(., 100)
 * does, so widths stay finite. At alpha_t = 1 the interval is the point itself. Levels not
 * configured at creation are not adapted: they are served at their nominal alpha.
 */
export class AciCalibrator extends BaseCalibrator<AciOptions> {
  readonly method = 'aci';
  /** per step: level name -> alpha_t */
  private alphaT: Array<Record<string, number>> = [];
  private sorted: Array<Float64Array | undefined> = [];

  protected capacity(): number {
    return this.options.window > 0 ? this.options.window : Number.MAX_SAFE_INTEGER;
  }

  protected keepsNewResiduals(): boolean {
    return this.options.window > 0;
  }

  protected reset(extra?: Record<string, unknown>): void {
    this.sorted = [];
    const saved = extra?.alphaT as Array<Record<string, number>> | undefined;
    this.alphaT = this.stores.map((_, h) => {
      const levels: Record<string, number> = {};
      for (const a of this.alpha) levels[levelName(a)] = saved?.[h]?.[levelName(a)] ?? a;
      return levels;
    });
  }

  /** alpha_t of a configured level at a step (for reports and tests). */
  currentAlpha(alpha: number, step = 0): number {
    return this.alphaT[step]?.[levelName(alpha)] ?? alpha;
  }

  /** The score quantile at level 1 - a. */
  private width(step: number, a: number): number {
    const scores = (this.sorted[step] ??= sortedAbs(this.stores[step].last()));
    const n = scores.length;
    if (a >= 1) return 0;
    const k = Math.ceil((n + 1) * (1 - a) - 1e-12);
    if (a <= 0 || k > n) return scores[n - 1];
    return scores[Math.max(k, 1) - 1];
  }

  protected offsets(step: number, alphas: readonly number[]): Offsets[] {
    return alphas.map((a) => {
      const q = this.width(step, this.alphaT[step]?.[levelName(a)] ?? a);
      return { lower: -q, upper: q };
    });
  }

  protected beforeAppend(step: number, observed: number, predicted: number): void {
    const levels = this.alphaT[step];
    for (const a of this.alpha) {
      const key = levelName(a);
      const q = this.width(step, levels[key]);
      const err = observed < predicted - q || observed > predicted + q ? 1 : 0;
      levels[key] = Math.min(1, Math.max(0, levels[key] + this.options.gamma * (a - err)));
    }
  }

  protected afterAppend(step: number): void {
    this.sorted[step] = undefined;
  }

  protected extraState(): Record<string, unknown> {
    return { alphaT: this.alphaT.map((l) => ({ ...l })) };
  }
}
