import {
  InstanceNormScaler,
  LastValueScaler,
  MeanScaler,
  StandardScaler,
  createScaler,
  scalerFromJSON,
} from './scalers';

const lookback = Float64Array.from([1, 10, 2, 20, 4, 40, 9, 80]); // 4 rows x 2 channels
const target = Float64Array.from([3, -5, 11, 1e6]);

describe('scalers', () => {
  it('standard: mean and population std of the training rows', () => {
    const s = new StandardScaler(2).fit(lookback);
    // Channel 0: mean 4, variance (9 + 4 + 0 + 25) / 4 = 9.5.
    const st = s.stateFor();
    expect(st.shift[0]).toBe(4);
    expect(st.scale[0]).toBeCloseTo(Math.sqrt(9.5), 15);
    expect(s.transform(Float64Array.from([4, 37.5]), st)[0]).toBe(0);
  });

  it('mean: scale is the mean absolute value of the lookback', () => {
    const st = new MeanScaler(2).stateFor(Float64Array.from([-2, 1, 4, 3]));
    expect(Array.from(st.scale)).toEqual([3, 2]);
    expect(Array.from(st.shift)).toEqual([0, 0]);
  });

  it('last value: subtracts the last lookback row', () => {
    const { scaled, state } = new LastValueScaler(2).normalize(lookback);
    expect(Array.from(state.shift)).toEqual([9, 80]);
    expect(Array.from(scaled.subarray(0, 2))).toEqual([-8, -70]);
  });

  it('instance norm: zero mean, unit variance per window (up to eps)', () => {
    const { scaled } = new InstanceNormScaler(2, 0).normalize(lookback);
    const ch0 = [scaled[0], scaled[2], scaled[4], scaled[6]];
    expect(ch0.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(ch0.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 12);
  });

  it.each(['none', 'standard', 'mean', 'last', 'instance'] as const)(
    '%s inverts its own scaling after a JSON round trip',
    (kind) => {
      const s = createScaler(kind, 2);
      if (s instanceof StandardScaler) s.fit(lookback);
      const { scaled, state } = s.normalize(lookback);
      const restored = scalerFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
      const back = restored.denormalize(scaled, state);
      back.forEach((v, i) => expect(v).toBeCloseTo(lookback[i], 10));
      const t = restored.denormalize(restored.transform(target, state), state);
      t.forEach((v, i) => expect(Math.abs(v - target[i])).toBeLessThanOrEqual(Math.abs(target[i]) * 1e-14));
    },
  );
});
