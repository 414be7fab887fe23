import { detachedContext } from '@seqcast/core';
import { DriftForecaster, NaiveForecaster } from '@seqcast/forecast';
import { runBacktest } from '../backtest/rolling-origin';
import { parseXml, unescapeXml } from '../testing/xml-well-formed';
import { formatMetric, renderBacktestReport } from './backtest-report';

const HOUR = 3600_000;
const T0 = Date.UTC(2024, 2, 1);

async function result(horizon = 3, key = 'store_1') {
  // A line with a kink: drift is exact on the line, naive lags behind.
  const values = Float32Array.from({ length: 300 }, (_, t) => 10 + 0.5 * t);
  return runBacktest(
    {
      models: [
        { name: 'naive', create: () => new NaiveForecaster({ maxHorizon: 10000 }) },
        { name: 'drift | linear', create: () => new DriftForecaster({ window: 0, maxHorizon: 10000 }) },
      ],
      series: [{ key, times: Float64Array.from(values, (_, t) => T0 + t * HOUR), values: [values] }],
      lookback: 6,
      horizon,
      folds: 3,
    },
    detachedContext(),
  );
}

describe('renderBacktestReport', () => {
  it('writes settings, metrics with the best in bold, per-step errors and the chart link', async () => {
    const { markdown } = renderBacktestReport(await result(), {
      title: 'Backtest',
      dataset: 'sales v3',
      target: 'units',
      chartFileName: 'chart (1).svg',
    });
    expect(markdown).toMatch(/^# Backtest\n/);
    expect(markdown).toContain('| dataset | sales v3 |');
    expect(markdown).toContain('| horizon | 3 |');
    expect(markdown).toContain('| model | MSE | MAE | sMAPE (%) | MASE | CRPS |');
    // naive from y_{o-1} misses a line of slope 0.5 by 0.5 h: MSE (0.25 + 1 + 2.25) / 3, MAE 1,
    // MASE 1 / 0.5 = 2; drift is exact and so bold in every column.
    expect(markdown).toContain('| naive | 1.167 | 1 |');
    expect(markdown).toMatch(/\| naive \| 1\.167 \| 1 \| [\d.]+ \| 2 \|/);
    expect(markdown).toContain('| drift \\| linear | **0** | **0** | **0** | **0** |');
    expect(markdown).toContain('| 1 | 0.25 | **0** |');
    expect(markdown).toContain('| 3 | 2.25 | **0** |');
    expect(markdown).toContain('![forecasts](chart%20%281%29.svg)');
  });

  it('gives a well-formed chart with the truth and one line per model', async () => {
    const { svg } = renderBacktestReport(await result(), { title: 'Backtest' });
    const lines = parseXml(svg).filter((e) => e.name === 'path' && e.attrs.class === 'line');
    expect(lines.map((e) => e.attrs['data-series'])).toEqual(['truth', 'naive', 'drift | linear']);
    // each model's line has one sub-path per fold
    expect(lines[1].attrs.d.match(/M/g)).toHaveLength(3);
  });

  it('names the charted series and channel only by the names it has', async () => {
    const svgTitle = (svg: string) => unescapeXml(parseXml(svg).find((e) => e.attrs.class === 'title')!.text);
    // a dataset without a key column: one series keyed '', channel named by the platform
    const unkeyed = await result(3, '');
    const named = renderBacktestReport(unkeyed, {
      title: 'Backtest of naive on etth1 / OT',
      target: 'OT',
      channelNames: ['OT'],
    });
    expect(svgTitle(named.svg)).toBe('Backtest of naive on etth1 / OT');
    expect(named.markdown).toContain('| series | 1 |');
    expect(named.markdown).toContain('| channel | OT |');
    expect(named.markdown).toContain("\nChannel `OT`: the truth and each model's forecast");
    const bare = renderBacktestReport(unkeyed, { title: 'Backtest' });
    expect(svgTitle(bare.svg)).toBe('Backtest');
    expect(bare.markdown).toContain('| series | 1 |');
    expect(bare.markdown).toContain('| channel | all |');
    expect(bare.markdown).toContain("\nChannel 0: the truth and each model's forecast");
    // a keyed series: its key in the title, settings and text; a channel of several named too
    const keyed = await result();
    expect(svgTitle(renderBacktestReport(keyed, { title: 'Backtest' }).svg)).toBe('Backtest: series store_1');
    const several = renderBacktestReport(keyed, { title: 'Backtest', channelNames: ['units', 'price'] });
    expect(svgTitle(several.svg)).toBe('Backtest: series store_1, channel units');
    expect(several.markdown).toContain('| series | 1 (store_1) |');
    expect(several.markdown).toContain('| channel | all (units, price) |');
    expect(several.markdown).toContain('\nSeries `store_1`, channel `units`: the truth');
  });

  it('is deterministic, and summarises long horizons', async () => {
    const r = await result();
    expect(renderBacktestReport(r, { title: 'x' })).toEqual(renderBacktestReport(r, { title: 'x' }));
    const long = renderBacktestReport(await result(48), { title: 'x' }).markdown;
    expect(long).toContain('(12 of 48 steps shown)');
    expect(long).toMatch(/\n\| 48 \|/);
  });

  it('formats numbers plainly', () => {
    expect(formatMetric(NaN)).toBe('n/a');
    expect(formatMetric(1234.5678)).toBe('1235');
    expect(formatMetric(0.0000123456)).toBe('1.235e-5');
    expect(formatMetric(2)).toBe('2');
  });
});
