import { Forecast } from '@seqcast/forecast';

const HOUR = 3_600_000;

/**
 * A forecast with everything a served one can carry: two named channels, hourly steps from a
 * known origin, two quantile levels, three sample paths and calibrated intervals at two levels.
 * Values are chosen so float32 rounding shows (0.1, 1/3) and bounds keep float64 digits.
 */
export function richForecast(): Forecast {
  const f32 = (...v: number[]) => Float32Array.from(v);
  return new Forecast({
    point: [f32(0.1, 1 / 3, 2.5), f32(-7, 1e6 + 0.5, 42)],
    quantiles: new Map([
      [0.1, [f32(-0.1, 0.2, 2), f32(-8, 999_999, 40)]],
      [0.9, [f32(0.3, 0.5, 3), f32(-6, 1_000_001, 44)]],
    ]),
    samples: [0, 1, 2].map((s) => [f32(s, s + 0.25, s + 0.5), f32(-s, -s - 0.25, -s - 0.5)]),
    meta: {
      seriesKey: 'site-7',
      origin: Date.UTC(2026, 2, 1, 23),
      frequency: '1h',
      clock: (t, n) => t + n * HOUR,
      channelNames: ['load', 'temperature'],
      modelVersion: '5d0c8a44-0000-4000-8000-000000000001',
    },
  }).withIntervals(
    {
      '80': {
        lower: [
          [-0.05, 0.1, 2.1],
          [-7.5, 999_999.123456789, 41],
        ],
        upper: [
          [0.25, 0.6, 2.9],
          [-6.5, 1e6 + 0.9, 43],
        ],
      },
      '95': {
        lower: [
          [-0.5, -0.1, 1.5],
          [-9, 999_998, 39],
        ],
        upper: [
          [0.7, 0.9, 3.5],
          [-5, 1_000_002, 45],
        ],
      },
    },
    { calibratorId: 'cal-1', method: 'split' },
  );
}

/** The comparable content of a forecast (its JSON; the calendar function aside). */
export const contentOf = (f: Forecast) => JSON.parse(JSON.stringify(f)) as unknown;
