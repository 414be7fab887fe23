import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterArtifact } from '../forecaster';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import type { QuantileForecast } from './ets/ets-forecast';
import { levelErrors, LocalForecaster, localFields } from './local-forecaster';
import { optimisedTheta, standardTheta } from './theta';

export const thetaSchema = new ConfigSchema(
  {
    variant: {
      type: 'string',
      default: 'standard',
      enum: ['standard', 'optimised'],
      description:
        'standard: SES with drift half the trend slope (theta = 2); optimised: theta chosen with alpha by in-sample MSE (Fiorucci et al. 2016)',
    },
    ...localFields,
  },
  (c) => levelErrors(c.levels),
);

type ThetaConfig = ConfigOf<typeof thetaSchema.fields>;

/** The Theta method, standard or optimised, fitted per series at forecast time. */
export class ThetaForecaster extends LocalForecaster {
  readonly kind = 'theta';
  private readonly variant: string;

  constructor(config: ThetaConfig) {
    super(config);
    this.variant = config.variant;
  }

  protected forecastHistory(history: Float64Array, horizon: number, probs: number[]): QuantileForecast {
    const method = this.variant === 'optimised' ? optimisedTheta : standardTheta;
    return method(history, this.seasonLength, horizon, probs).forecast;
  }

  static fromArtifact(a: ForecasterArtifact): ThetaForecaster {
    return new ThetaForecaster(thetaSchema.parse(a.config, 'theta', 'artifact.config'));
  }
}

export const thetaDefinition: ForecasterDefinition<typeof thetaSchema.fields> = {
  family: 'series',
  kind: 'theta',
  title: 'Theta',
  description:
    'The Theta method (standard: SES with drift of half the linear trend slope on the seasonally adjusted series; optimised: theta, alpha and the initial level by in-sample MSE), fitted per series at forecast time; intervals from the SES-with-drift variance.',
  roles: { lookback: 'lookback', maxHorizon: 'maxHorizon' },
  capabilities: ['probabilistic'],
  schema: thetaSchema,
  create: (c) => new ThetaForecaster(c),
  fromArtifact: (a) => ThetaForecaster.fromArtifact(a),
};
