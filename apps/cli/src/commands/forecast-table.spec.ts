import { forecastLines } from './forecast-table';

describe('forecastLines', () => {
  it('prints one row per step with the point and every bound (univariate: no channel column)', () => {
    const lines = forecastLines({
      steps: [
        { step: 1, timestamp: '2026-01-01T01:00:00.000Z' },
        { step: 2, timestamp: '2026-01-01T02:00:00.000Z' },
      ],
      channels: ['OT'],
      point: [[1.5, 2.5]],
      bounds: { 'lo-90': [[1, 2]], 'hi-90': [[2, 3]] },
    });
    expect(lines).toEqual([
      'time\tvalue\thi-90\tlo-90',
      '2026-01-01T01:00:00.000Z\t1.5\t2\t1',
      '2026-01-01T02:00:00.000Z\t2.5\t3\t2',
    ]);
  });

  it('prints every channel of a multichannel forecast, not just the first', () => {
    const lines = forecastLines({
      steps: [{ step: 1, timestamp: null }],
      channels: ['a', 'b'],
      point: [[10], [20]],
    });
    expect(lines).toEqual(['time\tchannel\tvalue', '1\ta\t10', '1\tb\t20']);
  });
});
