import { Forecast } from '@seqcast/forecast';
import { parseXml } from '../testing/xml-well-formed';
import { renderForecastReport } from './forecast-report';

const HOUR = 3_600_000;
const f32 = (...v: number[]) => Float32Array.from(v);

/** Two channels, two steps; a 90% interval, a stored 10% quantile and four sample paths 1..4 (x10 in channel b). */
function forecast(): Forecast {
  return new Forecast({
    point: [f32(1.5, 2.5), f32(10, 20)],
    quantiles: new Map([[0.1, [f32(0.5, 1.5), f32(5, 15)]]]),
    samples: [1, 2, 3, 4].map((s) => [f32(s, s), f32(10 * s, 10 * s)]),
    meta: {
      seriesKey: 'store|1',
      origin: Date.UTC(2026, 0, 1, 23),
      frequency: '1h',
      clock: (t, n) => t + n * HOUR,
      channelNames: ['a', 'b'],
      modelVersion: 'v-3',
    },
  }).withIntervals(
    {
      '90': {
        lower: [
          [0, 1],
          [2, 3],
        ],
        upper: [
          [3, 4],
          [30, 40],
        ],
      },
    },
    { calibratorId: 'c-9', method: 'aci' },
  );
}

describe('renderForecastReport', () => {
  it('tabulates every channel with its bounds, quantiles and sample quantiles', () => {
    const { markdown, svg } = renderForecastReport(forecast(), { title: 'Forecast', sampleLevels: [0.5] });
    expect(markdown).toMatch(/^# Forecast\n/);
    expect(markdown).toContain('| series | `store\\|1` |');
    expect(markdown).toContain('| first step | 2026-01-02T00:00:00.000Z |');
    expect(markdown).toContain('| intervals | 90% (aci, calibrator c-9) |');
    expect(markdown).toContain('| quantiles | 10% |');
    expect(markdown).toContain('| sample paths | 4 |');
    expect(markdown).toContain('| step | timestamp | value | lo-90 | hi-90 | q-0.1 | samples 50% |');
    // The median of 1, 2, 3, 4 (numpy linear) is 2.5; of 10..40 it is 25.
    expect(markdown).toContain('## Channel `a`\n\n| step | timestamp');
    expect(markdown).toContain('| 1 | 2026-01-02T00:00:00.000Z | 1.5 | 0 | 3 | 0.5 | 2.5 |');
    expect(markdown).toContain('| 2 | 2026-01-02T01:00:00.000Z | 20 | 3 | 40 | 15 | 25 |');
    expect(markdown).toContain('![forecast](forecast.svg)');
    const elements = parseXml(svg);
    // One shaded band per channel: the 90% interval.
    expect(elements.filter((e) => e.name === 'path' && e.attrs['fill-opacity'] !== undefined).length).toBe(2);
  });

  it('falls back to steps and sample bands without a calendar or intervals', () => {
    const bare = new Forecast({ point: [f32(1, 2)], samples: [[f32(0, 0)], [f32(4, 4)]] });
    const { markdown, svg } = renderForecastReport(bare, { title: 'Bare' });
    expect(markdown).toContain('| origin (last observation) | n/a |');
    expect(markdown).toContain('| step | timestamp | value | samples 5% | samples 50% | samples 95% |');
    // Two paths 0 and 4: the 5% quantile is 0.2, the 95% 3.8.
    expect(markdown).toContain('| 1 | n/a | 1 | 0.2 | 2 | 3.8 |');
    expect(() => parseXml(svg)).not.toThrow();
  });

  it('leaves out an empty series key instead of printing it empty', () => {
    const unkeyed = new Forecast({ point: [f32(1, 2)], meta: { seriesKey: '', channelNames: ['OT'] } });
    const { markdown, svg } = renderForecastReport(unkeyed, { title: 'Forecast' });
    expect(markdown).toContain('| series | n/a |');
    expect(parseXml(svg).find((e) => e.attrs.class === 'title')!.text).toBe('Forecast');
    const keyed = new Forecast({ point: [f32(1, 2)], meta: { seriesKey: 'etth1', channelNames: ['OT'] } });
    expect(
      parseXml(renderForecastReport(keyed, { title: 'Forecast' }).svg).find((e) => e.attrs.class === 'title')!
        .text,
    ).toBe('Forecast: series etth1');
  });
});
