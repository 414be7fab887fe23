import { Forecast } from '@seqcast/forecast';
import { tableFromIPC } from 'apache-arrow';
import { forecastsFromTable, forecastsToIpc } from './forecast-arrow';
import { forecastFromResult, ForecastResult, toForecastResult } from './forecast-result';
import { contentOf, richForecast } from '../../testing/rich-forecast';

const ids = { id: 'f-1', modelId: 'm-1', modelVersionId: '5d0c8a44-0000-4000-8000-000000000001' };

describe('a served forecast round-trips', () => {
  const f = richForecast();

  it('through the JSON answer, every channel, level and sample exact', () => {
    const r = toForecastResult(f, ids);
    // The univariate view: the first channel step by step, with its bounds and quantiles.
    expect(r.steps[1]).toEqual({
      step: 2,
      timestamp: '2026-03-02T01:00:00.000Z',
      value: Math.fround(1 / 3),
      'lo-80': 0.1,
      'hi-80': 0.6,
      'lo-95': -0.1,
      'hi-95': 0.9,
      'q-0.1': Math.fround(0.2),
      'q-0.9': 0.5,
    });
    expect(r).toMatchObject({
      seriesKey: 'site-7',
      origin: '2026-03-01T23:00:00.000Z',
      start: '2026-03-02T00:00:00.000Z',
      frequency: '1h',
      channels: ['load', 'temperature'],
      interval: { calibratorId: 'cal-1', method: 'split', levels: ['80', '95'] },
    });
    expect(r.bounds!['lo-80'][1][1]).toBe(999_999.123456789);
    const back = forecastFromResult(JSON.parse(JSON.stringify(r)) as ForecastResult, f.meta.clock);
    expect(contentOf(back)).toEqual(contentOf(f));
    expect(back.timestamps()).toEqual(f.timestamps());
  });

  it('through Arrow in long format: a channel column, one column per level, sample rows', () => {
    const second = new Forecast({ point: [Float32Array.of(5, 6, 7), Float32Array.of(8, 9, 10)] }).withMeta({
      seriesKey: 'site-8',
      channelNames: ['load', 'temperature'],
    });
    const bytes = forecastsToIpc(
      [toForecastResult(f, ids), toForecastResult(second, { ...ids, id: 'f-2' })],
      'stream',
    );
    const table = tableFromIPC(bytes);
    expect(table.schema.fields.map((x) => x.name)).toEqual([
      'series',
      'channel',
      'step',
      'timestamp',
      'value',
      'sample',
      'q-0.1',
      'q-0.9',
      'hi-80',
      'hi-95',
      'lo-80',
      'lo-95',
    ]);
    // 2 channels x 3 steps of points, 3 samples x 2 x 3 of paths, then the second series' 6 points.
    expect(table.numRows).toBe(6 + 18 + 6);
    const row = table.get(4)!.toJSON();
    expect(row).toMatchObject({
      series: 'site-7',
      channel: 'temperature',
      step: 2,
      value: 1e6 + 0.5,
      sample: null,
    });
    expect(row['lo-80']).toBe(999_999.123456789);
    expect(table.get(6 + 3)!.toJSON()).toMatchObject({
      channel: 'temperature',
      step: 1,
      sample: 0,
      value: -0,
    });
    expect(Number(table.getChild('timestamp')!.get(0))).toBe(Date.UTC(2026, 2, 2, 0));

    const [a, b] = forecastsFromTable(table);
    const { meta: _m, ...want } = contentOf(f) as { meta: unknown };
    const { meta, ...got } = contentOf(a) as { meta: unknown };
    expect(got).toEqual(want);
    expect(meta).toEqual({ seriesKey: 'site-7', channelNames: ['load', 'temperature'] });
    expect(b.point()).toEqual(second.point());
  });

  it('keeps the columns a univariate answer always had', () => {
    const uni = new Forecast({
      point: [Float32Array.of(1.5, 2.5)],
      meta: { seriesKey: 'co2', channelNames: ['CO2'] },
    });
    const table = tableFromIPC(forecastsToIpc([toForecastResult(uni, ids)], 'stream'));
    expect(table.schema.fields.map((x) => x.name)).toEqual(['series', 'step', 'timestamp', 'value']);
    expect(Array.from(table.getChild('value')!.toArray() as Float64Array)).toEqual([1.5, 2.5]);
  });
});
