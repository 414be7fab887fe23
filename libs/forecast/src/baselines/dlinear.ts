import type { ForecasterArtifact } from '../forecaster';
import type { LinearDirectOptions } from '../linalg/linear-direct';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { LinearDirectForecaster, linearDirectFields } from './linear-direct-forecaster';

export const dlinearSchema = new ConfigSchema(
  {
    ...linearDirectFields,
    movingAverage: {
      type: 'integer',
      default: 25,
      minimum: 1,
      description: 'moving-average kernel of the trend (odd; DLinear uses 25)',
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
 * DLinear-style model: window -> trend (moving average) + seasonal (remainder), one
 * linear map on each, summed. Both maps are fitted jointly in closed form by ridge least
 * squares instead of by Adam as in the paper (the optimum of the same objective plus an
 * L2 penalty, reached exactly).
 */
export class DLinearForecaster extends LinearDirectForecaster {
  readonly kind = 'dlinear';

  constructor(readonly settings: ConfigOf<typeof dlinearSchema.fields>) {
    super(settings);
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
    return { featureMap: { matrix: M, features: 2 * L }, ridge: this.settings.ridge };
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
    'Moving-average trend/seasonal decomposition and one linear map per part, direct multi-horizon, fitted in closed form by ridge least squares.',
  roles: { lookback: 'lookback', horizon: 'horizon' },
  capabilities: ['differentiable', 'updatable'],
  schema: dlinearSchema,
  create: (c) => new DLinearForecaster(c),
  fromArtifact: (a) => DLinearForecaster.fromArtifact(a),
};
