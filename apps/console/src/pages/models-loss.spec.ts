import { MODEL_PALETTE } from '../../../../libs/eval/src/report/palette';
import { formatMetric, metricRows } from './models-format';
import { lossChartData } from './models-loss';

describe('lossChartData', () => {
  it('plots training and validation loss by epoch, a missing validation point as a gap', () => {
    const d = lossChartData([
      { epoch: 1, epochs: 3, loss: 0.9, valLoss: 1.2 },
      { epoch: 2, epochs: 3, loss: 0.5 },
      { epoch: 3, epochs: 3, loss: 0.4, valLoss: 0.7 },
    ]);
    expect(d.x).toEqual([1, 2, 3]);
    expect(d.xLabel).toBe('epoch');
    expect(d.lines.map((l) => [l.label, Array.from(l.y), l.color])).toEqual([
      ['training loss', [0.9, 0.5, 0.4], MODEL_PALETTE[0]],
      ['validation loss', [1.2, null, 0.7], MODEL_PALETTE[1]],
    ]);
  });

  it('draws no validation line for a training without one, and restarts point after point', () => {
    const d = lossChartData([
      { epoch: 1, epochs: 2, loss: 3 },
      { epoch: 2, epochs: 2, loss: 2 },
      { epoch: 1, epochs: 2, loss: 2.5 },
    ]);
    expect(d.lines).toHaveLength(1);
    expect(d.x).toEqual([1, 2, 3]);
    expect(d.xLabel).toBe('epoch, in the order trained');
  });
});

describe('metricRows', () => {
  it('flattens nested metrics to named figures, leaving notes and nulls out', () => {
    expect(
      metricRows({
        test: { mse: 0.013203160711610281, mae: 0.0948, windows: 137 },
        validMse: null,
        epochs: 6,
        timing: { dt: false, note: 'rows are unevenly spaced; ar-net reads them as equally spaced steps' },
      }),
    ).toEqual([
      ['test.mse', '0.0132'],
      ['test.mae', '0.0948'],
      ['test.windows', '137'],
      ['epochs', '6'],
      ['timing.dt', 'false'],
    ]);
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(metricRows(null)).toEqual([]);
  });
});
