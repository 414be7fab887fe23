import { ForecastEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';

/** A minimal stored forecast row (format 2, no values) for specs that only count or delete rows. */
export function blankForecastRow(): ForecastEntity {
  return Object.assign(new ForecastEntity(), {
    id: randomUUID(),
    modelId: randomUUID(),
    modelVersionId: null,
    seriesKey: '',
    origin: null,
    horizon: 1,
    channels: 1,
    levels: null,
    quantiles: null,
    samples: 0,
    values: { format: 2, frequency: null, forecast: {} },
    jobId: null,
  });
}
