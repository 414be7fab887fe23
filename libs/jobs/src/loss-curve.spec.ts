import { LOSS_CURVE_MAX_POINTS, LossCurve } from './loss-curve';

describe('LossCurve', () => {
  it('keeps the epochs in the order they came, a restart at epoch 1 included', () => {
    const curve = new LossCurve();
    curve.add({ epoch: 1, epochs: 2, loss: 0.9, valLoss: 1.1 });
    curve.add({ epoch: 2, epochs: 2, loss: 0.5 });
    curve.add({ epoch: 1, epochs: 1, loss: 0.7 });
    expect(curve.points).toEqual([
      { epoch: 1, epochs: 2, loss: 0.9, valLoss: 1.1 },
      { epoch: 2, epochs: 2, loss: 0.5 },
      { epoch: 1, epochs: 1, loss: 0.7 },
    ]);
  });

  it('leaves out an epoch whose loss is not a number (JSON would turn it into null)', () => {
    const curve = new LossCurve();
    curve.add({ epoch: 1, epochs: 1, loss: NaN });
    expect(curve.points).toEqual([]);
  });

  it('past the cap thins the older half to every other epoch and keeps the newest at full resolution', () => {
    const curve = new LossCurve();
    const n = LOSS_CURVE_MAX_POINTS + 1;
    for (let e = 1; e <= n; e++) curve.add({ epoch: e, epochs: n, loss: 1 / e });
    const epochs = curve.points.map((p) => p.epoch);
    const half = Math.floor(n / 2);
    // the older half (epochs 1..half) kept at odd epochs, the rest whole
    expect(epochs).toEqual([
      ...Array.from({ length: Math.ceil(half / 2) }, (_, i) => 1 + 2 * i),
      ...Array.from({ length: n - half }, (_, i) => half + 1 + i),
    ]);
    expect(epochs.length).toBeLessThanOrEqual(LOSS_CURVE_MAX_POINTS);
    expect(epochs[epochs.length - 1]).toBe(n);
  });
});
