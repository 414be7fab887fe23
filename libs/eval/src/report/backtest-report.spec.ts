import { detachedContext } from '@seqcast/core';
import { DriftForecaster, NaiveForecaster } from '@seqcast/forecast';
import { runBacktest } from '../backtest/rolling-origin';
import { parseXml } from '../testing/xml-well-formed';
import { formatMetric, renderBacktestReport } from './backtest-report';

const HOUR = 3600_000;
const T0 = Date.UTC(2024, 2, 1);

async function result(horizon = 3) {
  // A line with a kink: drift is exact on the line, naive lags behind.
  const values = Float32Array.from({ length: 300 }, (_, t) => 10 + 0.5 * t);
  return runBacktest(
    {
      models: [
        { name: 'naive', create: () => new NaiveForecaster({ maxHorizon: 10000 }) },
        { name: 'drift | linear', create: () => new DriftForecaster({ window: 0, maxHorizon: 10000 }) },
      ],
      series: [{ key: 'store_1', times: Float64Array.from(values, (_, t) => T0 + t * HOUR), values: [values] }],
      lookback: 6,
      horizon,
      folds: 3,
    },
    detachedContext(),
  );
}

describe('renderBacktestReport', () => {
  it('writes settings, metrics with the best in bold, per-step errors and the chart link', async () => {
    const { markdown } = renderBacktestReport(await result(), { title: 'Backtest', dataset: 'sales v3', target: 'units', chartFileName: 'chart (1).svg' });
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
