import { Seq2SeqScaler } from './feature-scaling';

describe('seq2seq feature scaling', () => {
  const inputs = [
    [Float32Array.of(1, 3, 2, 6), Float32Array.of(0, 0, 0, 0)],
    [Float32Array.of(-1, 1), Float32Array.of(5, 5)],
  ];
  const targets = [[Float32Array.of(2, 4)], [Float32Array.of(0)]];
  const scaler = Seq2SeqScaler.fit(inputs, targets, true);

  it('appends first differences (0 at the start) and z-scores every feature with the training mean and unbiased std', () => {
    expect(scaler.features).toBe(4);
    // feature 2 is the delta of channel 0: [0, 2, -1, 4] and [0, 2]
    const d = [0, 2, -1, 4, 0, 2];
    const m = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / (d.length - 1));
    const x = scaler.scaleInputs(inputs[0]);
    [0, 2, -1, 4].forEach((v, t) => expect(x[t * 4 + 2]).toBeCloseTo((v - m) / sd, 5));
    // channel 1 is [0, 0, 0, 0, 5, 5]; its delta [0, 0, 0, 0, 0, 0] is constant: std clamped, not NaN
    expect(Array.from(scaler.scaleInputs(inputs[1])).every(Number.isFinite)).toBe(true);
  });

  it('unscales targets exactly back', () => {
    const back = scaler.unscaleTargets(scaler.scaleTargets(targets[0]), 2);
    expect(back[0][0]).toBeCloseTo(2, 5);
    expect(back[0][1]).toBeCloseTo(4, 5);
    expect(Seq2SeqScaler.fromJSON(scaler.toJSON()).toJSON()).toEqual(scaler.toJSON());
  });
});
