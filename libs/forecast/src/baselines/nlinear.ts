import type { ForecasterArtifact } from '../forecaster';
import type { LinearDirectOptions } from '../linalg/linear-direct';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { LinearDirectForecaster, linearDirectFields } from './linear-direct-forecaster';

export const nlinearSchema = new ConfigSchema({ ...linearDirectFields });

/**
 * NLinear-style model: subtract the window's last value from inputs and targets, one
 * linear map, add the value back. Fitted in closed form by ridge least squares: the
 * linear reference SpaceTime must beat (MODELS.md quotes test MSE 0.225 on ETTh2 at 720).
 */
export class NLinearForecaster extends LinearDirectForecaster {
  readonly kind = 'nlinear';

  constructor(readonly settings: ConfigOf<typeof nlinearSchema.fields>) {
    super(settings);
  }

  protected solverOptions(): LinearDirectOptions {
    const L = this.lookback;
    const H = this.maxHorizon;
    // f_i = x_i - x_{L-1}; y'_j = y_j - x_{L-1}
    const M = new Float64Array(L * L);
    for (let i = 0; i < L; i++) {
      M[i * L + i] += 1;
      M[(L - 1) * L + i] -= 1;
    }
    const R = new Float64Array(L * H);
    for (let j = 0; j < H; j++) R[(L - 1) * H + j] = 1;
    return { featureMap: { matrix: M, features: L }, residual: R, ridge: this.settings.ridge };
  }

  static fromArtifact(a: ForecasterArtifact): NLinearForecaster {
    return new NLinearForecaster(nlinearSchema.parse(a.config, 'nlinear', 'artifact.config')).restore(a);
  }
}

export const nlinearDefinition: ForecasterDefinition<typeof nlinearSchema.fields> = {
  family: 'series',
  kind: 'nlinear',
  title: 'NLinear (ridge)',
  description:
    'Last-value-normalised linear map, direct multi-horizon, fitted in closed form by ridge least squares.',
  roles: { lookback: 'lookback', horizon: 'horizon' },
  capabilities: ['differentiable', 'updatable'],
  schema: nlinearSchema,
  create: (c) => new NLinearForecaster(c),
  fromArtifact: (a) => NLinearForecaster.fromArtifact(a),
};
