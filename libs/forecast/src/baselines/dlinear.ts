import type { ForecasterArtifact } from '../forecaster';
import { fitLinearDirect, LinearDirectOptions } from '../linalg/linear-direct';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import { WindowSet } from '../data/windows';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import type { FitContext, FitReport, Series } from '../types';
import { LinearDirectForecaster, linearDirectFields } from './linear-direct-forecaster';
import { NormalEquations } from './normal-equations';

/** The ridge penalties (relative to the mean feature variance) the validation search tries. */
export const DLINEAR_RIDGE_GRID = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

export const dlinearSchema = new ConfigSchema(
  {
    ...linearDirectFields,
    movingAverage: {
      type: 'integer',
      default: 25,
      minimum: 1,
      description: 'moving-average kernel of the trend (odd; DLinear uses 25)',
    },
    ridgeSearch: {
      type: 'boolean',
      default: true,
      description:
        "when the fit is given a validation part, pick the ridge penalty of the two maps from 1e-4 ... 10 by its error (the counterpart of the paper's early stopping); off, or without validation: `ridge`",
    },
  },
  (c) =>
    c.movingAverage % 2 === 0 ? [{ field: 'movingAverage', reason: 'must be odd (centred window)' }] : [],
);

/**
 * The trend matrix of DLinear's series decomposition: a centred moving average over the
 * window padded by repeating its first and last values (as DLinear's AvgPool1d does).
 * Row t holds the weights of x_0..x_{L-1} in trend_t.
 */
export function movingAverageMatrix(L: number, k: number): Float64Array {
  const T = new Float64Array(L * L);
  const half = (k - 1) / 2;
  for (let t = 0; t < L; t++) {
    for (let j = t - half; j <= t + half; j++) {
      const s = Math.min(L - 1, Math.max(0, j));
      T[t * L + s] += 1 / k;
    }
  }
  return T;
}

/**
 * DLinear (Zeng et al. 2023): the window split by a moving average into trend and remainder
 * (seasonal), one linear map on each, their outputs summed, fitted jointly.
 *
 * Why the estimator matters: the two parts are an invertible linear recoding of the window
 * (x = seasonal + trend), so every DLinear is a Linear (W = (I - T)^T W_s + T^T W_t) and the
 * unpenalised least-squares fit of the two maps forecasts exactly as Linear's. The paper's
 * DLinear differs from Linear only through how it is fitted: Adam from a small initialisation,
 * stopped early on the validation loss, which shrinks each map's weights towards zero, an
 * implicit penalty on |W_s|^2 + |W_t|^2. That is, on the window, the penalty W^T (M M^T)^-1 W
 * with M = [I - T, T], not Linear's |W|^2: smooth and rough directions are shrunk differently.
 * This fits that estimator in closed form: ridge least squares on [seasonal, trend] with one
 * penalty on both maps, its strength picked on the validation part (as early stopping picks the
 * training length) from DLINEAR_RIDGE_GRID. The closed form replaces Adam's path (early-stopped
 * gradient descent and ridge are close, not identical, estimators): a simplification.
 */
export class DLinearForecaster extends LinearDirectForecaster {
  readonly kind = 'dlinear';
  /** The penalty in use: the config's, or the one validation picked. */
  private ridge: number;

  constructor(readonly settings: ConfigOf<typeof dlinearSchema.fields>) {
    super(settings);
    this.ridge = settings.ridge;
  }

  /** The ridge penalty the fitted maps use (picked on validation when ridgeSearch ran). */
  get fittedRidge(): number {
    return this.ridge;
  }

  protected solverOptions(): LinearDirectOptions {
    const L = this.lookback;
    const T = movingAverageMatrix(L, this.settings.movingAverage);
    // features f = [seasonal; trend] = M^T x, M is L x 2L: seasonal_i = x_i - trend_i
    const M = new Float64Array(L * 2 * L);
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < L; i++) {
        M[l * 2 * L + i] = (l === i ? 1 : 0) - T[i * L + l];
        M[l * 2 * L + L + i] = T[i * L + l];
      }
    }
    return { featureMap: { matrix: M, features: 2 * L }, ridge: this.ridge };
  }

  /**
   * With a validation part and ridgeSearch: the penalty with the lowest validation error over
   * the grid (the window moments are summed once and solved per penalty), reported in
   * `chosen` so a refit on every row uses it as it is.
   */
  async fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    this.ridge = this.settings.ridge;
    const search = this.settings.ridgeSearch && valid !== undefined && this.validationWindows(valid) > 0;
    if (search) {
      const moments = NormalEquations.fromWindows(
        train,
        WindowSet.require(train, this.lookback, this.maxHorizon, 'train'),
        ctx.signal,
      ).moments;
      let best = { ridge: this.ridge, error: Infinity };
      for (const ridge of DLINEAR_RIDGE_GRID) {
        this.ridge = ridge;
        this.map = fitLinearDirect(moments, this.solverOptions());
        const error = this.validationError(valid, this.maxHorizon) ?? Infinity;
        if (error < best.error) best = { ridge, error };
      }
      this.ridge = best.ridge;
    }
    const report = await super.fit(train, valid, ctx);
    return search ? { ...report, chosen: { ridge: this.ridge, ridgeSearch: false } } : report;
  }

  private validationWindows(valid: Series[]): number {
    return new WindowSet(valid, this.lookback, this.maxHorizon).size;
  }

  protected state(): Record<string, unknown> {
    return { ...super.state(), ridge: this.ridge };
  }

  protected restore(a: ForecasterArtifact): this {
    // artifacts from before the search hold no ridge: theirs is the config's
    if (typeof a.state.ridge === 'number') this.ridge = a.state.ridge;
    return super.restore(a);
  }

  static fromArtifact(a: ForecasterArtifact): DLinearForecaster {
    return new DLinearForecaster(dlinearSchema.parse(a.config, 'dlinear', 'artifact.config')).restore(a);
  }
}

export const dlinearDefinition: ForecasterDefinition<typeof dlinearSchema.fields> = {
  family: 'series',
  kind: 'dlinear',
  title: 'DLinear (ridge)',
  description:
    'Moving-average trend/seasonal decomposition and one linear map per part, summed, direct multi-horizon; fitted jointly in closed form by ridge least squares with the penalty on both maps picked on validation.',
  roles: { lookback: 'lookback', horizon: 'horizon' },
  capabilities: ['differentiable', 'updatable'],
  schema: dlinearSchema,
  create: (c) => new DLinearForecaster(c),
  fromArtifact: (a) => DLinearForecaster.fromArtifact(a),
};
