import {
  alignOnTimes,
  coverageChartData,
  defaultWindow,
  forecastChartData,
  intervalChartData,
  rollingCoverageOverTime,
} from './evaluations-data';
import type { IntervalChart } from './evaluations-types';

// Horizon 2, five origins (10 points), the interval [0, 1] throughout; truths chosen so that
// origin k covers c_k of its 2 points, c = [2, 0, 1, 2, 2]. Windows of 3 origins (6 points):
// origins 0-2 cover 3 of 6, 1-3 cover 3 of 6, 2-4 cover 5 of 6.
const inside = 0.5;
const outside = 3;
const truth = [inside, inside, outside, outside, inside, outside, inside, inside, inside, inside];
const times = truth.map((_, i) => 1000 * (i + 1));
const model = {
  times,
  truth,
  lower: truth.map(() => 0),
  upper: truth.map(() => 1),
};

describe('rolling coverage over time', () => {
  it('counts the truths inside each window of whole origins, placed at the window end', () => {
    const r = rollingCoverageOverTime(model, 2, 3);
    expect(r.coverage).toEqual([3 / 6, 3 / 6, 5 / 6]);
    // window k ends at the last point of origin k: points 5, 7, 9 (0-based)
    expect(r.times).toEqual([6000, 8000, 10000]);
  });

  it('with one-origin windows, is each origin coverage', () => {
    expect(rollingCoverageOverTime(model, 2, 1).coverage).toEqual([1, 0, 0.5, 1, 1]);
  });

  it('counts a point without a truth or a bound as a miss, and shrinks a window longer than the run', () => {
    const gaps = { ...model, truth: [null, ...truth.slice(1)], upper: [...model.upper.slice(0, 9), null] };
    // one window of all 5 origins: 7 of 10 inside, less the two points with a gap
    expect(rollingCoverageOverTime(gaps, 2, 10).coverage).toEqual([5 / 10]);
  });

  it('charts each model against a nominal line at the level', () => {
    const ic: IntervalChart = {
      series: '',
      level: 0.8,
      horizon: 2,
      rollingOrigins: 3,
      models: [
        { model: 'a', point: truth, ...model },
        { model: 'b', point: truth, ...model, upper: truth.map(() => 10) },
      ],
    };
    const c = coverageChartData(ic);
    expect(c.x).toEqual([6000, 8000, 10000]);
    expect(c.lines.map((l) => l.label)).toEqual(['a', 'b', 'nominal 80%']);
    expect(Array.from(c.lines[1].y)).toEqual([1, 1, 1]);
    expect(Array.from(c.lines[2].y)).toEqual([0.8, 0.8, 0.8]);
  });
});

describe('the window a coverage chart starts with', () => {
  const withOrigins = (origins: number, rollingOrigins: number): IntervalChart => ({
    series: '',
    level: 0.9,
    horizon: 2,
    rollingOrigins,
    models: [
      { model: 'm', times: new Array(2 * origins).fill(0), truth: [], point: [], lower: [], upper: [] },
    ],
  });

  it("is the report's window when it leaves at least 4 points", () => {
    expect(defaultWindow(withOrigins(20, 10))).toBe(10); // 11 windows
    expect(defaultWindow(withOrigins(13, 10))).toBe(10); // 4 windows
  });

  it('narrows so a short run still gives 4 points, down to one origin', () => {
    expect(defaultWindow(withOrigins(8, 8))).toBe(5); // windows ending at origins 4..7
    expect(defaultWindow(withOrigins(3, 10))).toBe(1);
  });
});

describe('charts of a backtest from its JSON result', () => {
  it('aligns series on the union of their times, null where one has no value', () => {
    const { x, ys } = alignOnTimes([
      { times: [1, 2, 3], values: [10, null, 30] },
      { times: [3, 4], values: [3, 4] },
    ]);
    expect(x).toEqual([1, 2, 3, 4]);
    expect(ys).toEqual([
      [10, null, 30, null],
      [null, null, 3, 4],
    ]);
  });

  it('draws truth and one line per model joining its folds, in the report palette order', () => {
    const c = forecastChartData({
      series: 's',
      times: [1, 2, 3, 4, 5],
      truth: [1, 2, 3, 4, 5],
      originTimes: [4],
      forecasts: [
        { model: 'naive', fold: 0, times: [2, 3], values: [1, 1] },
        { model: 'linear', fold: 0, times: [2, 3], values: [2, 3] },
        { model: 'naive', fold: 1, times: [4, 5], values: [3, 3] },
      ],
    });
    expect(c.lines.map((l) => l.label)).toEqual(['truth', 'naive', 'linear']);
    expect(Array.from(c.lines[1].y)).toEqual([null, 1, 1, 3, 3]);
    expect(Array.from(c.lines[2].y)).toEqual([null, 2, 3, null, null]);
    expect(c.lines[0].color).toBe('#000000');
    expect(c.lines[1].color).not.toBe(c.lines[2].color);
  });

  it("draws each model's interval as a band around its forecast, over the backtest's truth", () => {
    const ic: IntervalChart = {
      series: 's',
      level: 0.9,
      horizon: 1,
      rollingOrigins: 1,
      models: [{ model: 'm', times: [3, 4], truth: [3, 4], point: [2.5, 3.5], lower: [2, 3], upper: [3, 4] }],
    };
    const c = intervalChartData(ic, {
      series: 's',
      times: [1, 2, 3, 4],
      truth: [1, 2, 3, 4],
      originTimes: [],
      forecasts: [],
    });
    expect(c.x).toEqual([1, 2, 3, 4]);
    expect(c.bands).toHaveLength(1);
    expect(c.bands[0].label).toBe('m 90%');
    expect(Array.from(c.bands[0].lower)).toEqual([null, null, 2, 3]);
    expect(Array.from(c.bands[0].upper)).toEqual([null, null, 3, 4]);
    expect(Array.from(c.lines[1].y)).toEqual([null, null, 2.5, 3.5]);
  });
});
