import { gatherWindows, windowIndex, windowStarts } from './windows';
import { ettBorders, splitByBorders, splitByFractions, splitByTime } from './splits';

describe('sliding windows', () => {
  it('lists starts with lookback + horizon inside the series', () => {
    // n = 10, L = 3, H = 2: the last window starts at 10 - 5 = 5.
    expect(windowStarts(10, { lookback: 3, horizon: 2 })).toEqual([0, 1, 2, 3, 4, 5]);
    expect(windowStarts(10, { lookback: 3, horizon: 2, stride: 2 })).toEqual([0, 2, 4]);
    expect(windowStarts(10, { lookback: 3, horizon: 2, stride: 4 })).toEqual([0, 4]);
    expect(windowStarts(4, { lookback: 3, horizon: 2 })).toEqual([]);
    expect(windowStarts(10, { lookback: 3, horizon: 2 }, { start: 4, end: 10 })).toEqual([4, 5]);
  });

  it('indexes many series and copies the right rows', () => {
    const refs = windowIndex([6, 5], { lookback: 2, horizon: 1, stride: 2 });
    expect(refs).toEqual([
      { series: 0, start: 0 },
      { series: 0, start: 2 },
      { series: 1, start: 0 },
      { series: 1, start: 2 },
    ]);
    const frame = (key: string, n: number, base: number) => ({
      key,
      times: new Float64Array(n),
      channels: ['a', 'b'],
      values: Float64Array.from({ length: n * 2 }, (_, i) => base + i),
    });
    const batch = gatherWindows([frame('x', 6, 0), frame('y', 5, 100)], refs, { lookback: 2, horizon: 1 });
    // Series x, start 2: rows 2 and 3 are values [4, 5, 6, 7]; the target row 4 is [8, 9].
    expect(Array.from(batch.x.subarray(4, 8))).toEqual([4, 5, 6, 7]);
    expect(Array.from(batch.y.subarray(2, 4))).toEqual([8, 9]);
    expect(Array.from(batch.x.subarray(12, 16))).toEqual([104, 105, 106, 107]);
    expect(Array.from(batch.y.subarray(6, 8))).toEqual([108, 109]);
  });
});

describe('time-ordered splits', () => {
  it('ETT 12/4/4 months of 30 days: hourly borders 8640, 11520, 14400, later splits reaching back by the lookback', () => {
    expect(ettBorders(24, 96)).toEqual({
      train: { start: 0, end: 8640 },
      valid: { start: 8544, end: 11520 },
      test: { start: 11424, end: 14400 },
    });
    expect(ettBorders(96, 96).test).toEqual({ start: 46080 - 96, end: 57600 });
  });

  it('fractions 70/10/20 as in the LSTNet-style benchmarks', () => {
    // exchange_rate: n = 7588, train floor(5311.6) = 5311, test floor(1517.6) = 1517, valid 760.
    expect(splitByFractions(7588, { train: 0.7, test: 0.2 }, 96)).toEqual({
      train: { start: 0, end: 5311 },
      valid: { start: 5311 - 96, end: 6071 },
      test: { start: 6071 - 96, end: 7588 },
    });
  });

  it('a split yields exactly the windows whose rows lie inside it', () => {
    const s = splitByBorders([10, 14, 20], 3);
    // Valid rows [7, 14) with L = 3, H = 1: starts 7..10.
    expect(windowStarts(20, { lookback: 3, horizon: 1 }, s.valid)).toEqual([7, 8, 9, 10]);
  });

  it('splits at timestamps', () => {
    const times = [0, 10, 20, 30, 40, 50];
    expect(splitByTime(times, 25, 40, 1)).toEqual({
      train: { start: 0, end: 3 },
      valid: { start: 2, end: 4 },
      test: { start: 3, end: 6 },
    });
  });
});
