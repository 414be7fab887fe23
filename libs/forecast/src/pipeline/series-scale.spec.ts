import { fitSeriesScale, scaleValues, unscaleValues } from './series-scale';
import { SeriesScaler } from './series-scaler';

describe('series scale', () => {
  it('is the mean and population std of the finite training rows', () => {
    // 1, 2, 3, 4: mean 2.5, population variance 1.25; rows after `end` and NaN are ignored.
    const s = fitSeriesScale(Float32Array.from([1, NaN, 2, 3, 4, 100]), 5);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBe(Math.sqrt(1.25));
    expect(fitSeriesScale([7, 7, 7])).toEqual({ mean: 7, std: 1 });
    expect(fitSeriesScale([])).toEqual({ mean: 0, std: 1 });
  });

  it('scales and inverts exactly for values representable on both sides', () => {
    const s = { mean: 10, std: 4 };
    expect(Array.from(scaleValues([2, 10, 18], s))).toEqual([-2, 0, 2]);
    expect(Array.from(unscaleValues([-2, 0, 2.5], s))).toEqual([2, 10, 20]);
  });

  it('keeps one scale per series key, per channel when fitted so', () => {
    const sc = new SeriesScaler();
    sc.fit('a', [Float32Array.from([0, 2]), Float32Array.from([10, 10, 99])], 2);
    expect(sc.scalesOf('a')).toEqual([
      { mean: 1, std: 1 },
      { mean: 10, std: 1 },
    ]);
    const back = SeriesScaler.fromJSON(JSON.parse(JSON.stringify(sc)));
    expect(back.apply('a', [[3], [12]]).map((v) => Array.from(v))).toEqual([[2], [2]]);
    // An unknown series is scaled by its history.
    expect(back.scalesFor('b', [[1, 3]])).toEqual([{ mean: 2, std: 1 }]);
    // Fit order survives JSON, where an object lists integer-like keys first ("2" before "10"):
    // update continues the model's series by that order.
    const ordered = new SeriesScaler();
    for (const key of ['10', 'x', '2']) ordered.fit(key, [Float32Array.from([0, 2])]);
    expect(SeriesScaler.fromJSON(JSON.parse(JSON.stringify(ordered))).keys).toEqual(['10', 'x', '2']);
    // Legacy JSON: one {mean, std} per key serves every channel.
    const legacy = SeriesScaler.fromJSON({ kind: 'per-series-standard', series: { k: { mean: 1, std: 2 } } });
    expect(legacy.scalesOf('k', 2)).toEqual([
      { mean: 1, std: 2 },
      { mean: 1, std: 2 },
    ]);
  });
});
