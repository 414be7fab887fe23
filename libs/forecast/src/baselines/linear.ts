import type { ForecasterArtifact } from '../forecaster';
import type { LinearDirectOptions } from '../linalg/linear-direct';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { LinearDirectForecaster, linearDirectFields } from './linear-direct-forecaster';

export const linearSchema = new ConfigSchema({ ...linearDirectFields });

/**
 * Linear: one linear map from the window to the horizon, on the values as they are (no
 * last-value subtraction, no decomposition), fitted in closed form by (ridge) least squares:
 * the "OLS" of Toner & Darlow's analysis of linear forecasters and of PETSA's tables. Unlike
 * NLinear it does not follow a level shift by itself, which is what test-time adaptation
 * corrects.
 */
export class LinearForecaster extends LinearDirectForecaster {
  readonly kind = 'linear';

  constructor(readonly settings: ConfigOf<typeof linearSchema.fields>) {
    super(settings);
  }

  protected solverOptions(): LinearDirectOptions {
    return { ridge: this.settings.ridge };
  }

  static fromArtifact(a: ForecasterArtifact): LinearForecaster {
    return new LinearForecaster(linearSchema.parse(a.config, 'linear', 'artifact.config')).restore(a);
  }
}

export const linearDefinition: ForecasterDefinition<typeof linearSchema.fields> = {
  family: 'series',
  kind: 'linear',
  title: 'Linear (OLS)',
  description:
    'One linear map from the window to the horizon on the raw (scaled) values, fitted in closed form by ridge least squares.',
  roles: { lookback: 'lookback', horizon: 'horizon' },
  capabilities: ['differentiable', 'updatable'],
  schema: linearSchema,
  create: (c) => new LinearForecaster(c),
  fromArtifact: (a) => LinearForecaster.fromArtifact(a),
};
