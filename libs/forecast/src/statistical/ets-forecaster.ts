import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterArtifact } from '../forecaster';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { autoEts, EtsSearch, InformationCriterion } from './ets/ets-auto';
import { etsForecast, QuantileForecast } from './ets/ets-forecast';
import type { ErrorType, SeasonType, TrendType } from './ets/ets-model';
import { levelErrors, LocalForecaster, localFields } from './local-forecaster';

export const etsSchema = new ConfigSchema(
  {
    error: {
      type: 'string',
      default: 'Z',
      enum: ['Z', 'A', 'M'],
      description: "error: additive, multiplicative or 'Z' (chosen by the criterion)",
    },
    trend: {
      type: 'string',
      default: 'Z',
      enum: ['Z', 'N', 'A'],
      description: "trend: none, additive or 'Z' (chosen)",
    },
    season: {
      type: 'string',
      default: 'Z',
      enum: ['Z', 'N', 'A', 'M'],
      description:
        "season: none, additive, multiplicative or 'Z' (chosen; none when seasonLength is 1 or above 24)",
    },
    damped: {
      type: 'string',
      default: 'auto',
      enum: ['auto', 'yes', 'no'],
      description: 'damped trend: yes, no, or auto (both tried)',
    },
    ic: {
      type: 'string',
      default: 'aicc',
      enum: ['aicc', 'aic', 'bic'],
      description: 'information criterion that selects the model',
    },
    ...localFields,
  },
  (c) => levelErrors(c.levels),
);

type EtsConfig = ConfigOf<typeof etsSchema.fields>;

/**
 * ETS, exponential smoothing state space models with automatic selection (Hyndman et al.
 * 2002, 2008; the forecast package's `ets`), fitted per series at forecast time.
 */
export class EtsForecaster extends LocalForecaster {
  readonly kind = 'ets';
  private readonly search: Omit<EtsSearch, 'm'>;

  constructor(config: EtsConfig) {
    super(config);
    this.search = {
      error: config.error as ErrorType | 'Z',
      trend: config.trend as TrendType | 'Z',
      season: config.season as SeasonType | 'Z',
      damped: config.damped === 'auto' ? null : config.damped === 'yes',
      ic: config.ic as InformationCriterion,
    };
  }

  protected forecastHistory(history: Float64Array, horizon: number, probs: number[]): QuantileForecast {
    const fit = autoEts(history, { ...this.search, m: this.seasonLength });
    return etsForecast(fit, horizon, probs);
  }

  static fromArtifact(a: ForecasterArtifact): EtsForecaster {
    return new EtsForecaster(etsSchema.parse(a.config, 'ets', 'artifact.config'));
  }
}

export const etsDefinition: ForecasterDefinition<typeof etsSchema.fields> = {
  family: 'series',
  kind: 'ets',
  title: 'ETS (automatic exponential smoothing)',
  description:
    'Exponential smoothing state space model chosen per series by AICc among additive/multiplicative error, none/additive/damped trend and none/additive/multiplicative season; maximum likelihood fit at forecast time; intervals from the model.',
  roles: { lookback: 'lookback', maxHorizon: 'maxHorizon' },
  capabilities: ['probabilistic'],
  schema: etsSchema,
  create: (c) => new EtsForecaster(c),
  fromArtifact: (a) => EtsForecaster.fromArtifact(a),
};
