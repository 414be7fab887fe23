import { Unprocessable, ValidationFailed } from '@seqcast/core';
import {
  Calibrator,
  CalibratorState,
  CalibratorStateView,
  checkAlphas,
  IntervalOptions,
  IntervalSet,
  levelName,
  ResidualHistory,
  residualSeries,
} from '../calibrator';
import { ResidualStore } from '../residuals/residual-store';
import { CoverageTracker } from '../residuals/coverage-tracker';
import { nestByUnion } from './nesting';

export const STATE_VERSION = 1;

/** Offsets to add to the point forecast: interval = [point + lower, point + upper]. */
export interface Offsets {
  lower: number;
  upper: number;
}

/**
 * What the four methods share: per-step residual stores, input checks, the interval and
 * update plumbing, and the JSON state. A method supplies the offsets of a step for a set
 * of levels, and reacts to new residuals.
 */
export abstract class BaseCalibrator<
  O extends Record<string, number | boolean | string>,
> implements Calibrator {
  abstract readonly method: string;
  protected stores: ResidualStore[] = [];
  /** per step and configured level: whether the latest truths fell inside the step's interval */
  protected coverage = new CoverageTracker();

  constructor(
    readonly alpha: readonly number[],
    readonly options: Readonly<O>,
  ) {}

  get fitted(): boolean {
    return this.stores.length > 0;
  }

  get steps(): number {
    return this.stores.length;
  }

  /** Residuals kept per step. */
  protected abstract capacity(): number;

  /** Offsets for step `step` at each alpha (same order). */
  protected abstract offsets(step: number, alphas: readonly number[]): Offsets[];

  /** Called after fit or restore, once the stores are in place. */
  protected abstract reset(extra?: Record<string, unknown>): void;

  /** Called with each new residual, before it is appended. */
  protected abstract beforeAppend(step: number, observed: number, predicted: number): void;

  /** Whether truth fed by `update` joins the residual series (false: a fixed calibration set). */
  protected keepsNewResiduals(): boolean {
    return true;
  }

  /** Called after a residual was appended. */
  protected abstract afterAppend(step: number): void;

  protected abstract extraState(): Record<string, unknown>;

  fit(history: ResidualHistory): void {
    const series = residualSeries(history);
    this.stores = series.map((s) => new ResidualStore(this.capacity(), s));
    this.coverage = new CoverageTracker();
    this.reset();
  }

  interval(
    point: ArrayLike<number>,
    alpha: readonly number[] = this.alpha,
    options: IntervalOptions = {},
  ): IntervalSet {
    if (!this.fitted)
      throw new Unprocessable(`The ${this.method} calibrator has no residuals yet: fit it first`, [
        { field: 'calibrator', reason: 'not fitted' },
      ]);
    const alphas = checkAlphas(alpha);
    if (point.length === 0)
      throw new ValidationFailed('A forecast needs at least one step', [{ field: 'point', reason: 'empty' }]);
    // Past the calibrated steps there are no residuals of that step: reusing the last step's
    // widths is a guess (they usually grow with the step), so it has to be asked for.
    if (point.length > this.stores.length && !options.extrapolate)
      throw new Unprocessable(
        `The ${this.method} calibrator is calibrated for ${this.stores.length} steps; ${point.length} asked. Ask for at most ${this.stores.length} steps, or extrapolate (later steps reuse step ${this.stores.length}'s widths)`,
        [{ field: 'horizon', reason: `at most ${this.stores.length} calibrated steps (or extrapolate)` }],
      );
    for (let h = 0; h < point.length; h++) {
      if (typeof point[h] !== 'number' || !Number.isFinite(point[h]))
        throw new ValidationFailed('Point forecasts must be finite', [
          { field: `point[${h}]`, reason: 'must be a finite number' },
        ]);
    }
    const out: IntervalSet = {};
    const bands = alphas.map((a) => {
      const band = {
        alpha: a,
        lower: new Array<number>(point.length),
        upper: new Array<number>(point.length),
      };
      out[levelName(a)] = band;
      return band;
    });
    const byStep = new Map<number, Offsets[]>();
    for (let h = 0; h < point.length; h++) {
      const step = Math.min(h, this.stores.length - 1);
      let offs = byStep.get(step);
      if (!offs) {
        offs = this.nestedOffsets(step, alphas);
        byStep.set(step, offs);
      }
      for (let k = 0; k < alphas.length; k++) {
        bands[k].lower[h] = point[h] + offs[k].lower;
        bands[k].upper[h] = point[h] + offs[k].upper;
      }
    }
    return out;
  }

  /** The method's offsets made nested across the levels asked (see nestByUnion). */
  protected nestedOffsets(step: number, alphas: readonly number[]): Offsets[] {
    return nestByUnion(alphas, this.offsets(step, alphas));
  }

  update(observed: ArrayLike<number>, predicted: ArrayLike<number>, fromStep = 0): void {
    this.checkObservations(observed, predicted);
    if (!Number.isInteger(fromStep) || fromStep < 0)
      throw new ValidationFailed('fromStep must be a non-negative integer', [
        { field: 'fromStep', reason: `must be an integer >= 0, got ${fromStep}` },
      ]);
    // Each step's state reads and writes only its own series, so truths given in pieces
    // (a prefix now, the rest later) leave the same state as the whole given at once.
    const end = Math.min(fromStep + observed.length, this.stores.length);
    for (let h = fromStep; h < end; h++) {
      const y = observed[h - fromStep];
      const p = predicted[h - fromStep];
      const offs = this.nestedOffsets(h, this.alpha);
      this.coverage.record(
        h,
        this.alpha.map((a, k) => [levelName(a), y >= p + offs[k].lower && y <= p + offs[k].upper] as const),
      );
      this.beforeAppend(h, y, p);
      if (this.keepsNewResiduals()) {
        this.stores[h].push(y - p);
        this.afterAppend(h);
      }
    }
  }

  protected checkObservations(observed: ArrayLike<number>, predicted: ArrayLike<number>): void {
    if (!this.fitted)
      throw new Unprocessable(`The ${this.method} calibrator has no residuals yet: fit it first`, [
        { field: 'calibrator', reason: 'not fitted' },
      ]);
    const details: Array<{ field: string; reason: string }> = [];
    if (observed.length !== predicted.length)
      details.push({
        field: 'observed',
        reason: `length ${observed.length} differs from predicted's ${predicted.length}`,
      });
    if (observed.length === 0) details.push({ field: 'observed', reason: 'empty' });
    for (let h = 0; h < Math.min(observed.length, predicted.length); h++) {
      if (typeof observed[h] !== 'number' || !Number.isFinite(observed[h]))
        details.push({ field: `observed[${h}]`, reason: 'must be a finite number' });
      if (typeof predicted[h] !== 'number' || !Number.isFinite(predicted[h]))
        details.push({ field: `predicted[${h}]`, reason: 'must be a finite number' });
    }
    if (details.length) throw new ValidationFailed('Invalid observations', details);
  }

  residualCount(step = 0): number {
    return this.stores[step]?.length ?? 0;
  }

  toState(): CalibratorState {
    return {
      method: this.method,
      version: STATE_VERSION,
      alpha: [...this.alpha],
      options: { ...this.options },
      steps: this.stores.map((s) => s.toJSON()),
      extra: this.extraState(),
      coverage: this.coverage.toJSON(),
    };
  }

  /**
   * What the state holds, per horizon step and configured level: residuals kept and ever
   * seen, rolling coverage over the step's latest truths (one per forecast origin) and what
   * the method adds (ACI's alpha_t, SPCI's forest bookkeeping).
   */
  describe(): CalibratorStateView {
    return {
      method: this.method,
      alpha: [...this.alpha],
      options: { ...this.options },
      calibratedSteps: this.stores.length,
      coverageWindow: this.coverage.window,
      steps: this.stores.map((s, h) => ({
        step: h + 1,
        residuals: s.length,
        seen: s.count,
        ...this.stepDetails(h),
        levels: Object.fromEntries(
          this.alpha.map((a) => {
            const c = this.coverage.of(h, levelName(a));
            return [
              levelName(a),
              { alpha: a, truths: c.truths, rollingCoverage: c.coverage, ...this.levelDetails(h, a) },
            ];
          }),
        ),
      })),
    };
  }

  /** Method state of a step for `describe` (none by default). */
  protected stepDetails(_step: number): Record<string, unknown> {
    return {};
  }

  /** Method state of a step and level for `describe` (none by default). */
  protected levelDetails(_step: number, _alpha: number): Record<string, unknown> {
    return {};
  }

  /** Restores stores and method state from `toState()` output (the registry checks the envelope). */
  restore(state: CalibratorState): this {
    this.stores = state.steps.map((s) => new ResidualStore(this.capacity(), s.residuals, s.count));
    this.coverage = CoverageTracker.fromJSON(state.coverage);
    if (this.stores.length) this.reset(state.extra);
    return this;
  }
}

/** Ascending copy of the absolute values. */
export function sortedAbs(values: readonly number[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.abs(values[i]);
  return out.sort();
}
