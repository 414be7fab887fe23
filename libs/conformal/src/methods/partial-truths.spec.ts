import { calibratorRegistry, Rng } from '@seqcast/conformal';

/**
 * Truth in pieces: a forecast's steps 1-3 posted now and 4-6 later (even after the next
 * forecast's first half) leave exactly the state the whole truth posted at once leaves, for
 * every method: each step's state reads and writes only that step's series.
 */
describe('partial truths', () => {
  const methods: Array<[string, Record<string, unknown>]> = [
    ['split', { window: 50 }],
    ['aci', { gamma: 0.05 }],
    ['enbpi', { window: 40 }],
    ['spci', { lag: 5, window: 60, rebinEvery: 7 }],
  ];

  it.each(methods)('%s: two halves give the same state as the whole', (method, options) => {
    const rng = new Rng(5);
    const H = 6;
    const history = Array.from({ length: H }, (_, h) =>
      Array.from({ length: 70 }, () => (1 + h) * rng.normalRedrawingZero()),
    );
    const whole = calibratorRegistry.create(method, [0.1, 0.2], options);
    const halves = calibratorRegistry.create(method, [0.1, 0.2], options);
    whole.fit(history);
    halves.fit(history);
    const forecasts = Array.from({ length: 30 }, () => ({
      point: Array.from({ length: H }, () => rng.normalRedrawingZero()),
      truth: Array.from({ length: H }, (_, h) => 2 * (1 + h) * rng.normalRedrawingZero()),
    }));
    let pendingSecondHalf: (() => void) | null = null;
    for (const f of forecasts) {
      whole.interval(f.point);
      halves.interval(f.point);
      whole.update(f.truth, f.point);
      // this forecast's first half arrives before the previous forecast's second half
      halves.update(f.truth.slice(0, 3), f.point.slice(0, 3), 0);
      pendingSecondHalf?.();
      pendingSecondHalf = () => halves.update(f.truth.slice(3), f.point.slice(3), 3);
    }
    pendingSecondHalf?.();
    expect(halves.toState()).toEqual(whole.toState());
    expect(halves.describe()).toEqual(whole.describe());
    const point = [0, 1, 2, 3, 4, 5];
    expect(halves.interval(point)).toEqual(whole.interval(point));
  });

  it('updates only the steps given, and names a bad fromStep', () => {
    const cal = calibratorRegistry.create('split', [0.1], { window: 10 });
    cal.fit([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    cal.update([5], [0], 2);
    expect([0, 1, 2].map((h) => cal.residualCount(h))).toEqual([2, 2, 3]);
    expect(() => cal.update([1], [0], -1)).toThrow(/fromStep/);
    // steps past the calibrated ones are ignored, as for a whole truth
    cal.update([1, 1], [0, 0], 2);
    expect(cal.residualCount(2)).toBe(4);
  });
});
