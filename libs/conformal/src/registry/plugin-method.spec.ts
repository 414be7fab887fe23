import {
  CalibratorRegistry,
  calibratorMethod,
  splitConformalSchema,
  SplitConformalCalibrator,
} from '@seqcast/conformal';

/** A plugin's method: here split conformal's offsets under a name of its own. */
class MySplit extends SplitConformalCalibrator {
  override readonly method = 'my-split' as never;
}

describe('a calibration method registered from outside the lib (one line, as a plugin would)', () => {
  it('is created, fitted and restored through the registry like a built-in method', () => {
    const registry = new CalibratorRegistry().register(
      calibratorMethod({
        method: 'my-split',
        title: 'Split conformal (plugin)',
        description: 'the split method under another name',
        residuals: 'held-out',
        schema: splitConformalSchema,
        create: (alpha, options) => new MySplit(alpha, options as never),
      }),
    );
    expect(registry.methods()).toEqual(['my-split']);
    const residuals = Array.from({ length: 99 }, (_, i) => ((i * 37) % 99) - 49);
    const cal = registry.create('my-split', [0.1]);
    cal.fit(residuals);
    // outside truth: the ceil((n + 1)(1 - alpha)) = 90th smallest |r| of the 99
    const q = residuals.map(Math.abs).sort((a, b) => a - b)[89];
    const band = cal.interval([10])['90'];
    expect(band.lower[0]).toBeCloseTo(10 - q, 6);
    expect(band.upper[0]).toBeCloseTo(10 + q, 6);
    const again = registry.restore(JSON.parse(JSON.stringify(cal.toState())));
    expect(again.interval([10])).toEqual(cal.interval([10]));
    expect(() => registry.register(calibratorMethod({ method: 'my-split' } as never))).toThrow(/already/);
  });
});
