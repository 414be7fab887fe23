import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterArtifact } from '../forecaster';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { ArimaModel, withCriteria } from './arima/arima-criteria';
import { ArimaConstant, fitArima } from './arima/arima-fit';
import { arimaForecast } from './arima/arima-forecast';
import type { ArimaOrder } from './arima/arima-order';
import { ArimaCriterion, autoArima } from './arima/auto-arima';
import type { QuantileForecast } from './ets/ets-forecast';
import { levelErrors, LocalForecaster, localFields, unfittable } from './local-forecaster';

const orderField = (what: string) =>
  ({
    type: 'array',
    items: { type: 'number' },
    default: [],
    minItems: 0,
    maxItems: 3,
    description: `${what}; empty: chosen by the automatic search`,
  }) as const;

export const arimaSchema = new ConfigSchema(
  {
    order: orderField('(p, d, q) of a fixed model, non-negative integers'),
    seasonalOrder: orderField('(P, D, Q) of a fixed model (with `order`; empty there: no seasonal part)'),
    differences: {
      type: 'integer',
      default: -1,
      minimum: -1,
      maximum: 2,
      description: 'd for the automatic search; -1: chosen by repeated KPSS tests at 5%',
    },
    seasonalDifferences: {
      type: 'integer',
      default: -1,
      minimum: -1,
      maximum: 1,
      description: 'D for the automatic search; -1: chosen by the seasonal strength test',
    },
    seasonal: {
      type: 'boolean',
      default: true,
      description: 'whether the automatic search considers seasonal models (auto.arima `seasonal`)',
    },
    constant: {
      type: 'string',
      default: 'auto',
      enum: ['auto', 'yes', 'no'],
      description:
        'mean (d + D = 0) or drift (d + D = 1) term: auto lets the search decide (a fixed order then has one)',
    },
    ic: {
      type: 'string',
      default: 'aicc',
      enum: ['aicc', 'aic', 'bic'],
      description: 'information criterion of the automatic search',
    },
    approximation: {
      type: 'string',
      default: 'auto',
      enum: ['auto', 'yes', 'no'],
      description:
        'search with conditional-sum-of-squares fits (auto: when n > 150 or m > 12, as auto.arima)',
    },
    ...localFields,
  },
  (c) => [...levelErrors(c.levels), ...orderErrors(c.order, c.seasonalOrder)],
);

function orderErrors(order: number[], seasonal: number[]): Array<{ field: string; reason: string }> {
  const errors: Array<{ field: string; reason: string }> = [];
  const check = (name: string, v: number[], limits: number[]) => {
    if (v.length !== 0 && v.length !== 3)
      errors.push({ field: name, reason: `needs 0 or 3 items, got ${v.length}` });
    v.forEach((x, i) => {
      if (!Number.isInteger(x) || x < 0 || x > limits[i])
        errors.push({ field: `${name}[${i}]`, reason: `must be an integer in [0, ${limits[i]}], got ${x}` });
    });
  };
  check('order', order, [20, 2, 20]);
  check('seasonalOrder', seasonal, [5, 1, 5]);
  if (seasonal.length > 0 && order.length === 0)
    errors.push({ field: 'seasonalOrder', reason: 'needs `order` as well (a fixed model)' });
  return errors;
}

type ArimaConfig = ConfigOf<typeof arimaSchema.fields>;

/**
 * ARIMA fitted per series at forecast time: the forecast package's auto.arima (stepwise
 * search, AICc) by default, or a fixed (p,d,q)(P,D,Q)m order fitted by R's CSS-ML; forecasts
 * and intervals from the state-space model.
 */
export class ArimaForecaster extends LocalForecaster {
  readonly kind = 'arima';
  private readonly settings: ArimaConfig;

  constructor(config: ArimaConfig) {
    super(config);
    this.settings = config;
  }

  private fixedModel(history: Float64Array): ArimaModel {
    const [p, d, q] = this.settings.order;
    const [P, D, Q] = this.settings.seasonalOrder.length ? this.settings.seasonalOrder : [0, 0, 0];
    const m = P + D + Q > 0 ? this.seasonLength : 1;
    const order: ArimaOrder = { p, d, q, P, D, Q, m };
    const nd = d + D;
    const term: ArimaConstant =
      this.settings.constant === 'no' ? null : nd === 0 ? 'mean' : nd === 1 ? 'drift' : null;
    return withCriteria(fitArima(history, order, term));
  }

  private automaticModel(history: Float64Array): ArimaModel {
    const s = this.settings;
    const approximation = s.approximation === 'auto' ? undefined : s.approximation === 'yes';
    const allow = s.constant !== 'no';
    return autoArima(history, {
      m: s.seasonal ? this.seasonLength : 1,
      d: s.differences >= 0 ? s.differences : null,
      D: s.seasonalDifferences >= 0 ? s.seasonalDifferences : null,
      ic: s.ic as ArimaCriterion,
      approximation,
      allowDrift: allow,
      allowMean: allow,
    }).model;
  }

  protected forecastHistory(history: Float64Array, horizon: number, probs: number[]): QuantileForecast {
    let model: ArimaModel;
    try {
      model = this.settings.order.length ? this.fixedModel(history) : this.automaticModel(history);
    } catch (e) {
      if (this.settings.order.length) throw unfittable(this.kind, (e as Error).message);
      // auto.arima stops with "no suitable ARIMA model found" (every candidate failed or sat
      // near a unit root); a forecast is still wanted here, so the random walk ARIMA(0,1,0)
      // answers instead (the naive forecast with its intervals): a deliberate departure from R
      const rw: ArimaOrder = { p: 0, d: 1, q: 0, P: 0, D: 0, Q: 0, m: 1 };
      try {
        model = withCriteria(fitArima(history, rw, null));
      } catch {
        throw unfittable(this.kind, (e as Error).message);
      }
    }
    return arimaForecast(model, horizon, probs);
  }

  static fromArtifact(a: ForecasterArtifact): ArimaForecaster {
    return new ArimaForecaster(arimaSchema.parse(a.config, 'arima', 'artifact.config'));
  }
}

export const arimaDefinition: ForecasterDefinition<typeof arimaSchema.fields> = {
  family: 'series',
  kind: 'arima',
  title: 'ARIMA (automatic order selection)',
  description:
    "Seasonal ARIMA chosen per series by the forecast package's auto.arima (KPSS and seasonal-strength tests for d and D, stepwise search over p, q, P, Q by AICc, drift or mean as it decides), or a fixed order; exact maximum likelihood at forecast time; intervals from the state-space model.",
  roles: { lookback: 'lookback', maxHorizon: 'maxHorizon' },
  capabilities: ['probabilistic'],
  schema: arimaSchema,
  create: (c) => new ArimaForecaster(c),
  fromArtifact: (a) => ArimaForecaster.fromArtifact(a),
};
