import { quantile } from '@seqcast/numeric';
import { levelName, ResidualHistory } from '../calibrator';
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
  quantile: {
    type: 'string',
    default: 'higher',
    enum: ['higher', 'linear'],
    description:
      "'higher': the ceil((n + 1)(1 - alpha_t))-th smallest score (MAPIE's rule); 'linear': the linear-interpolation empirical quantile of the scores at 1 - alpha_t (Zaffran et al. 2022)",
  },
  clip: {
    type: 'boolean',
    default: true,
    description:
      'true: alpha_t stays in [0, 1] (at 0 the largest score, at 1 the point); false: as the paper, alpha_t leaves [0, 1]: alpha_t <= 0 gives the whole real line, alpha_t >= 1 an empty interval',
  },
  keepState: {
    type: 'boolean',
    default: false,
    description:
      "true: fit on fresh calibration residuals keeps each step and level's alpha_t; false: fit restarts alpha_t at alpha",
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
 * (clipped as MODELS.md and the SPCI reference do; `clip: false` follows the paper).
 *
 * Quantile rules (`quantile`): 'higher' as above (MAPIE); 'linear' the linear-interpolation
 * quantile of the n scores at level 1 - alpha_t (numpy's default), as Zaffran et al.'s
 * implementation of ACI.
 * Edge cases: with `clip: true` (default) alpha_t stays in [0, 1], at 0 (or a rank above n)
 * the width is the largest score, as the reference's np.percentile(., 100), so widths stay
 * finite, and at 1 the interval is the point itself. With `clip: false` the paper's sets:
 * alpha_t <= 0 (or a rank above n under 'higher') gives (-inf, inf), alpha_t >= 1 the empty
 * set, written lower = +inf > upper = -inf, which never covers. Levels not configured at
 * creation are not adapted: they are served at their nominal alpha.
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

  /**
   * fit on fresh calibration residuals; with `keepState` each step's alpha_t carries over
   * (steps new to this fit start at alpha), so refreshing the scores keeps the adaptation.
   */
  fit(history: ResidualHistory): void {
    const kept = this.options.keepState ? this.alphaT.map((l) => ({ ...l })) : [];
    super.fit(history);
    kept.forEach((levels, h) => {
      if (h < this.alphaT.length) Object.assign(this.alphaT[h], levels);
    });
  }

  /**
   * The half-width at level 1 - a: -Infinity for the empty set (a >= 1 unclipped), Infinity
   * for the whole line (a <= 0 unclipped, or a rank above n under 'higher').
   */
  private width(step: number, a: number): number {
    const scores = (this.sorted[step] ??= sortedAbs(this.stores[step].last()));
    const n = scores.length;
    const clip = this.options.clip;
    if (a >= 1) return clip ? 0 : -Infinity;
    if (a <= 0) return clip ? scores[n - 1] : Infinity;
    if (this.options.quantile === 'linear') return quantile(scores, 1 - a);
    const k = Math.ceil((n + 1) * (1 - a) - 1e-12);
    if (k > n) return clip ? scores[n - 1] : Infinity;
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
      const next = levels[key] + this.options.gamma * (a - err);
      levels[key] = this.options.clip ? Math.min(1, Math.max(0, next)) : next;
    }
  }

  protected afterAppend(step: number): void {
    this.sorted[step] = undefined;
  }

  protected levelDetails(step: number, alpha: number): Record<string, unknown> {
    return { alphaT: this.currentAlpha(alpha, step) };
  }

  protected extraState(): Record<string, unknown> {
    return { alphaT: this.alphaT.map((l) => ({ ...l })) };
  }
}
