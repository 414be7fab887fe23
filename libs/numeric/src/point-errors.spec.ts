import { PointErrorAccumulator } from './error-accumulator';
import { mae, mase, mse, seasonalNaiveScale, smape, stpe } from './point-errors';

// Every expected value below is worked out by hand from the definitions in the comments.
describe('point metrics', () => {
  const truth = [1, 2, 3, 4];
  const forecast = [2, 2, 5, 0]; // errors -1, 0, -2, 4

  it('MSE and MAE match hand computation', () => {
    expect(mse(truth, forecast)).toBeCloseTo((1 + 0 + 4 + 16) / 4, 12); // 5.25
    expect(mae(truth, forecast)).toBeCloseTo((1 + 0 + 2 + 4) / 4, 12); // 1.75
    expect(mse(new Float32Array(truth), new Float32Array(forecast))).toBeCloseTo(5.25, 6);
  });

  it('sMAPE is 200/n * sum |y-f| / (|y|+|f|), in 0..200', () => {
    // terms: 200*1/3, 0, 200*2/8 = 50, 200*4/4 = 200 -> (950/3)/4
    expect(smape(truth, forecast)).toBeCloseTo(950 / 12, 10);
    expect(smape([1, 1], [-1, -1])).toBeCloseTo(200, 12); // opposite signs: the maximum
  });

  it('sMAPE counts 0/0 terms as 0 and keeps them in n', () => {
    expect(smape([0, 0], [0, 1])).toBeCloseTo((0 + 200) / 2, 12);
    expect(smape([0], [0])).toBe(0);
  });

  it('skips NaN truth values; all-NaN truth gives NaN', () => {
    expect(mse([1, NaN, 3], [2, 100, 3])).toBeCloseTo(0.5, 12);
    expect(mae([1, NaN, 3], [2, 100, 3])).toBeCloseTo(0.5, 12);
    expect(smape([1, NaN, 3], [2, 100, 3])).toBeCloseTo(200 / 3 / 2, 12);
    expect(mse([NaN], [1])).toBeNaN();
  });

  it('a NaN forecast is not skipped', () => {
    expect(mae([1, 2], [1, NaN])).toBeNaN();
  });

  it('rejects arrays of different lengths', () => {
    expect(() => mse([1, 2], [1])).toThrow(/lengths|values/);
  });

  it('the MASE scale is the in-sample MAE of the seasonal-naive forecast', () => {
    expect(seasonalNaiveScale([1, 3, 2, 5])).toBeCloseTo((2 + 1 + 3) / 3, 12); // m = 1
    expect(seasonalNaiveScale([1, 3, 2, 5, 4], 2)).toBeCloseTo((1 + 2 + 2) / 3, 12); // |2-1|, |5-3|, |4-2|
    expect(seasonalNaiveScale([1, NaN, 3, 4])).toBeCloseTo(1, 12); // only (3, 4) is a full pair
    expect(seasonalNaiveScale([2, 2, 2])).toBeNaN(); // constant: MASE undefined
    expect(seasonalNaiveScale([2])).toBeNaN(); // no pair
  });

  it('MASE = MAE / scale', () => {
    // MAE of [4,6] vs [5,5] is 1; scale 2 (m=1) and 5/3 (m=2)
    expect(mase([4, 6], [5, 5], [1, 3, 2, 5])).toBeCloseTo(0.5, 12);
    expect(mase([4, 6], [5, 5], [1, 3, 2, 5, 4], 2)).toBeCloseTo(0.6, 12);
    expect(mase([4, 6], [4, 6], [7, 7, 7])).toBeNaN();
  });

  it('the accumulator pools over points, each scaled by its own scale', () => {
    const acc = new PointErrorAccumulator();
    acc.add([1, 2], [2, 2], 1); // |e| 1, 0
    acc.add([10, NaN], [13, 0], 3); // |e| 3, skipped
    const r = acc.result();
    expect(r.count).toBe(3);
    expect(r.mse).toBeCloseTo((1 + 0 + 9) / 3, 12);
    expect(r.mae).toBeCloseTo(4 / 3, 12);
    expect(r.mase).toBeCloseTo((1 / 1 + 0 + 3 / 3) / 3, 12);
    expect(r.smape).toBeCloseTo((200 / 3 + 0 + (200 * 3) / 23) / 3, 10);
  });
});

describe('sTPE', () => {
  it('is 100 sum|w_hat - w| / sum(|w_hat| + |w|)', () => {
    // |1-1| + |2-0| = 2 over (1+1) + (2+0) = 4
    expect(stpe([1, 2], [1, 0])).toBeCloseTo(50, 12);
    expect(stpe([0.5, -0.2], [0.5, -0.2])).toBe(0);
    expect(stpe([1, 0], [0, 1])).toBeCloseTo(100, 12);
    expect(stpe([0, 0], [0, 0])).toBe(0);
  });
});
