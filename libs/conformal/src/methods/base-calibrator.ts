import { Unprocessable, ValidationFailed } from '@seqcast/core';
import {
  Calibrator,
  CalibratorState,
  checkAlphas,
  IntervalSet,
  levelName,
  ResidualHistory,
  residualSeries,
} from '../calibrator';
import { ResidualStore } from '../residuals/residual-store';

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
export abstract class BaseCalibrator<O extends Record<string, number | boolean>> implements Calibrator {
  abstract readonly method: string;
  protected stores: ResidualStore[] = [];

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
    this.reset();
  }

  interval(point: ArrayLike<number>, alpha: readonly number[] = this.alpha): IntervalSet {
    if (!this.fitted)
      throw new Unprocessable(`The ${this.method} calibrator has no residuals yet: fit it first`, [
        { field: 'calibrator', reason: 'not fitted' },
      ]);
    const alphas = checkAlphas(alpha);
    if (point.length === 0)
      throw new ValidationFailed('A forecast needs at least one step', [{ field: 'point', reason: 'empty' }]);
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
        offs = this.offsets(step, alphas);
        byStep.set(step, offs);
      }
      for (let k = 0; k < alphas.length; k++) {
        bands[k].lower[h] = point[h] + offs[k].lower;
        bands[k].upper[h] = point[h] + offs[k].upper;
      }
    }
    return out;
  }

  update(observed: ArrayLike<number>, predicted: ArrayLike<number>): void {
    this.checkObservations(observed, predicted);
    const steps = Math.min(observed.length, this.stores.length);
    for (let h = 0; h < steps; h++) {
      this.beforeAppend(h, observed[h], predicted[h]);
      if (this.keepsNewResiduals()) {
        this.stores[h].push(observed[h] - predicted[h]);
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
    };
  }

  /** Restores stores and method state from `toState()` output (the registry checks the envelope). */
  restore(state: CalibratorState): this {
    this.stores = state.steps.map((s) => new ResidualStore(this.capacity(), s.residuals, s.count));
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
