import { Forecast } from '@seqcast/forecast';
import { forecastCrps } from './forecast-crps';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('forecastCrps', () => {
  it("over two sample paths at y - 1 and y + 1: E|X - y| - E|X - X'| / 2 = 1 - 1/2", () => {
    const truth = [3, 5];
    const f = new Forecast({
      point: [f32(truth)],
      samples: [[f32([2, 4])], [f32([4, 6])]],
    });
    expect(Array.from(forecastCrps(f, 0, truth))).toEqual([0.5, 0.5]);
  });

  it('from stored quantiles: twice the mean pinball loss', () => {
    // levels 0.25, 0.5, 0.75 at 0, 1, 2; truth 1.5: losses 0.25 * 1.5, 0.5 * 0.5, (0.75 - 1) * (-0.5)
    const f = new Forecast({
      point: [f32([1])],
      quantiles: new Map([
        [0.25, [f32([0])]],
        [0.5, [f32([1])]],
        [0.75, [f32([2])]],
      ]),
    });
    expect(forecastCrps(f, 0, [1.5])[0]).toBeCloseTo((2 * (0.375 + 0.25 + 0.125)) / 3, 12);
  });

  it('of a point forecast is the absolute error, NaN where the truth is missing', () => {
    const f = new Forecast({ point: [f32([1, 2, 3])] });
    expect(Array.from(forecastCrps(f, 0, [0, NaN, 5]))).toEqual([1, NaN, 2]);
  });
});
