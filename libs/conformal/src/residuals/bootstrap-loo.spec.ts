import { bootstrapLooResiduals } from '@seqcast/conformal';

describe('bootstrapLooResiduals', () => {
  it('averages, for each row, exactly the models that did not train on it', async () => {
    const y = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i) * 3 + i * 0.1);
    const trained: Int32Array[] = [];
    // Model b predicts the mean of its training targets everywhere (a closed form to check against).
    const result = await bootstrapLooResiduals(
      (train, predict) => {
        trained.push(train.slice());
        let m = 0;
        for (const r of train) m += y[r];
        m /= train.length;
        return new Float64Array(predict.length).fill(m);
      },
      { targets: y, models: 15, seed: 4, extraRows: Int32Array.from([40, 41]) },
    );
    const means = trained.map((t) => t.reduce((s, r) => s + y[r], 0) / t.length);
    for (let i = 0; i < y.length; i++) {
      const out = trained.map((t, b) => (t.includes(i) ? -1 : b)).filter((b) => b >= 0);
      expect(result.outOfBag[i]).toBe(out.length);
      const expected = out.length
        ? out.reduce((s, b) => s + means[b], 0) / out.length
        : means.reduce((a, b) => a + b) / means.length;
      expect(result.looPredictions[i]).toBeCloseTo(expected, 12);
      expect(result.residuals[i]).toBeCloseTo(y[i] - expected, 12);
    }
    // EnbPI's test centre: mean over i of the LOO ensembles.
    const centre = Array.from(result.looPredictions).reduce((a, b) => a + b) / y.length;
    expect(result.extraPredictions[0]).toBeCloseTo(centre, 12);
    expect(result.modelWeights.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });

  it('rejects a callback that returns the wrong count', async () => {
    await expect(bootstrapLooResiduals(() => [1], { targets: [1, 2, 3] })).rejects.toThrow(/wrong number/);
  });
});
