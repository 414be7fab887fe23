import {
  canvasDash,
  chartData,
  fileStem,
  forecastCsv,
  HISTORY_LABEL,
  historyFrom,
  historyOf,
  intervalsOf,
  lighten,
  parseCsv,
  parseLevels,
  quantileLevels,
  quantilesForLevels,
} from './forecast-data';
import type { ForecastAnswer } from './forecast-types';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.UTC(2024, 0, 1);

/** A daily forecast of 3 steps after T0 + 4 days, with the model's 80% and a calibrator's 90%. */
function answer(over: Partial<ForecastAnswer> = {}): ForecastAnswer {
  const point = [10, 11, 12];
  return {
    id: 'f1',
    modelId: 'm1',
    modelVersionId: 'v1',
    seriesKey: 'a',
    horizon: 3,
    origin: iso(T0 + 4 * DAY),
    frequency: '1D',
    start: iso(T0 + 5 * DAY),
    interval: { calibratorId: 'c1', method: 'split', levels: ['90'], calibratedSteps: 3, extrapolated: null },
    adaptation: null,
    steps: point.map((value, i) => ({ step: i + 1, timestamp: iso(T0 + (5 + i) * DAY), value })),
    channels: ['y'],
    point: [point],
    quantiles: { '0.1': [[9, 10, 11]], '0.9': [[11, 12.5, 13]] },
    bounds: { 'lo-90': [[8, 9, 10]], 'hi-90': [[12, 13, 14]] },
    ...over,
  };
}

const history = {
  times: [0, 1, 2, 3, 4].map((d) => iso(T0 + d * DAY)),
  values: [1, 2, null, 4, 5],
};

describe('levels and quantiles', () => {
  it('reads percentages, sorted without repeats, and refuses levels outside (0, 100)', () => {
    expect(parseLevels('95, 80 80% 50')).toEqual({ levels: [50, 80, 95] });
    expect(parseLevels('')).toEqual({ levels: [] });
    expect(parseLevels('80, 100')).toHaveProperty('error');
    expect(parseLevels('abc')).toHaveProperty('error');
  });

  it('asks the (1 - l)/2 and (1 + l)/2 quantiles of each level, exactly as decimals', () => {
    // 80% lies between the 10% and 90% quantiles, 95% between 2.5% and 97.5%, 50% the quartiles
    expect(quantilesForLevels([80, 95, 50])).toEqual([0.025, 0.1, 0.25, 0.75, 0.9, 0.975]);
    // a level whose arithmetic is inexact in binary still gives the keys the API answers under
    expect(quantilesForLevels([70]).map(String)).toEqual(['0.15', '0.85']);
  });

  it('finds the levels a set of quantile keys holds both ends of', () => {
    expect(quantileLevels(['0.025', '0.1', '0.9', '0.975', '0.3'])).toEqual([80, 95]);
  });
});

describe('intervalsOf', () => {
  it("gives the model's quantile pairs then the calibrator's bounds, lower <= upper at every step", () => {
    const bands = intervalsOf(answer(), 0);
    expect(bands.map((b) => [b.source, b.level])).toEqual([
      ['model', 80],
      ['calibrator', 90],
    ]);
    expect(bands[0]).toMatchObject({ lower: [9, 10, 11], upper: [11, 12.5, 13] });
    for (const b of bands) b.lower.forEach((lo, i) => expect(lo).toBeLessThanOrEqual(b.upper[i]));
  });

  it('swaps crossing quantiles so a band never turns inside out', () => {
    const crossed = answer({ quantiles: { '0.1': [[9, 13, 11]], '0.9': [[11, 12, 13]] }, bounds: undefined });
    const [band] = intervalsOf(crossed, 0);
    expect(band.lower).toEqual([9, 12, 11]);
    expect(band.upper).toEqual([11, 13, 13]);
  });

  it('has none for a point forecast without a calibrator', () => {
    expect(intervalsOf(answer({ quantiles: undefined, bounds: undefined, interval: null }), 0)).toEqual([]);
  });
});

describe('chartData', () => {
  it('puts history and forecast on one time axis, each with values at its own times only', () => {
    const d = chartData(history, [{ label: 'nlinear', color: '#0072b2', answer: answer(), channel: 0 }]);
    expect(d.time).toBe(true);
    expect(d.x).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => T0 + k * DAY));
    expect(d.lines.map((l) => l.label)).toEqual([HISTORY_LABEL, 'nlinear']);
    expect(Array.from(d.lines[0].y)).toEqual([1, 2, null, 4, 5, null, null, null]);
    expect(Array.from(d.lines[1].y)).toEqual([null, null, null, null, null, 10, 11, 12]);
    expect(d.bands.map((b) => b.label)).toEqual(['nlinear 80%', 'nlinear 90% (split)']);
    expect(Array.from(d.bands[1].lower)).toEqual([null, null, null, null, null, 8, 9, 10]);
  });

  it("merges a second forecast whose steps fall between the first one's", () => {
    const half = answer({
      steps: [{ step: 1, timestamp: iso(T0 + 5.5 * DAY), value: 20 }],
      point: [[20]],
      quantiles: undefined,
      bounds: undefined,
      interval: null,
    });
    const d = chartData(history, [
      { label: 'a', color: '#0072b2', answer: answer(), channel: 0 },
      { label: 'b', color: '#d55e00', answer: half, channel: 0 },
    ]);
    expect(d.x.slice(5)).toEqual([T0 + 5 * DAY, T0 + 5.5 * DAY, T0 + 6 * DAY, T0 + 7 * DAY]);
    expect(Array.from(d.lines[2].y).slice(5)).toEqual([null, 20, null, null]);
    expect(Array.from(d.lines[1].y).slice(5)).toEqual([10, null, 11, 12]);
  });

  it('places steps without timestamps one typical gap apart after plain-number history', () => {
    const plain = answer({
      steps: [1, 2].map((step) => ({ step, timestamp: null, value: step })),
      point: [[1, 2]],
      quantiles: undefined,
      bounds: undefined,
    });
    const d = chartData({ times: [10, 20, 30], values: [0, 0, 0] }, [
      { label: 'm', color: '#0072b2', answer: plain, channel: 0 },
    ]);
    expect(d.time).toBe(false);
    expect(d.x).toEqual([10, 20, 30, 40, 50]);
  });

  it('draws nested bands lighter the wider they are', () => {
    const a = answer({
      quantiles: {
        '0.025': [[7, 8, 9]],
        '0.1': [[9, 10, 11]],
        '0.9': [[11, 12, 13]],
        '0.975': [[13, 14, 15]],
      },
      bounds: undefined,
    });
    const [narrow, wide] = chartData(history, [
      { label: 'm', color: '#0072b2', answer: a, channel: 0 },
    ]).bands;
    expect(narrow.label).toBe('m 80%');
    expect(narrow.color).toBe('#0072b2');
    expect(wide.label).toBe('m 95%');
    const brightness = (hex: string) => parseInt(hex.slice(1, 3), 16) + parseInt(hex.slice(3, 5), 16);
    expect(brightness(wide.color)).toBeGreaterThan(brightness(narrow.color));
  });
});

describe('helpers', () => {
  it('mixes with white and reads dash patterns', () => {
    expect(lighten('#000000', 0.5)).toBe('#808080');
    expect(lighten('#0072b2', 0)).toBe('#0072b2');
    expect(canvasDash('8 4')).toEqual([8, 4]);
    expect(canvasDash('')).toBeUndefined();
  });

  it('keeps the newest n history rows, non-numbers as gaps', () => {
    const h = historyOf({ key: 'a', times: ['t1', 't2', 't3'], columns: { y: [1, 'x', 3] } }, 'y', 2);
    expect(h).toEqual({ times: ['t2', 't3'], values: [null, 3] });
  });

  it('asks for the tail of a series: n and a half average gaps before its last time', () => {
    const s = { key: 'a', rows: 101, first: iso(T0), last: iso(T0 + 100 * DAY) };
    expect(historyFrom(s, 10)).toBe(iso(T0 + 85 * DAY));
    expect(historyFrom({ ...s, rows: 10 }, 10)).toBeUndefined();
    expect(historyFrom({ key: '', rows: 101, first: 0, last: 100 }, 20)).toBe('70');
  });

  it('names files without awkward characters', () => {
    expect(fileStem('nlinear co2', '["a","b"]')).toBe('forecast-nlinear_co2-a_b');
    expect(fileStem('m', '')).toBe('forecast-m');
  });
});

describe('forecastCsv', () => {
  it('round-trips every value of every channel exactly, in the long layout of the Arrow answer', () => {
    const a = answer({
      seriesKey: 'store "1", north',
      channels: ['y', 'z'],
      point: [
        [0.1 + 0.2, 1e-7, -3],
        [1 / 3, 2, 3],
      ],
      quantiles: {
        '0.1': [
          [1, 2, 3],
          [4, 5, 6],
        ],
        '0.9': [
          [7, 8, 9],
          [10, 11, 12],
        ],
      },
      bounds: {
        'lo-90': [
          [0, 0, 0],
          [1, 1, 1],
        ],
        'hi-90': [
          [2, 2, 2],
          [3, 3, 3],
        ],
      },
    });
    const rows = parseCsv(forecastCsv(a));
    expect(Object.keys(rows[0])).toEqual([
      'series',
      'channel',
      'step',
      'timestamp',
      'value',
      'q-0.1',
      'q-0.9',
      'lo-90',
      'hi-90',
    ]);
    expect(rows).toHaveLength(6);
    rows.forEach((r) => {
      const c = a.channels.indexOf(r.channel);
      const i = Number(r.step) - 1;
      expect(r.series).toBe('store "1", north');
      expect(r.timestamp).toBe(a.steps[i].timestamp);
      expect(Number(r.value)).toBe(a.point[c][i]);
      expect(Number(r['q-0.9'])).toBe(a.quantiles!['0.9'][c][i]);
      expect(Number(r['hi-90'])).toBe(a.bounds!['hi-90'][c][i]);
    });
  });
});
