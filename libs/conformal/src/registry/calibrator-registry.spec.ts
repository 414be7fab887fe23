import { validationFailure } from '@seqcast/kit';
import { boundNames, Calibrator, calibratorRegistry, levelName, Rng } from '@seqcast/conformal';

describe('calibratorRegistry', () => {
  it('lists the four methods with option schemas and defaults', () => {
    expect(calibratorRegistry.methods().sort()).toEqual(['aci', 'enbpi', 'spci', 'split']);
    const spci = calibratorRegistry.describe().find((d) => d.method === 'spci')!;
    expect(spci.residuals).toBe('bootstrap-loo');
    expect(spci.options.properties.trees).toMatchObject({ type: 'integer', default: 10 });
    expect(calibratorRegistry.create('spci').options).toMatchObject({
      lag: 100,
      trees: 10,
      maxDepth: 2,
      betaGrid: 5,
    });
  });

  it('names every bad field', () => {
    expect(validationFailure(() => calibratorRegistry.create('magic')).details).toEqual([
      { field: 'method', reason: expect.stringContaining('split') },
    ]);
    const e = validationFailure(() =>
      calibratorRegistry.create('spci', [0.1, 1.5, 'x'], { trees: 0, lag: 2.5, colour: 'red' }),
    );
    expect(e.details.map((d) => d.field).sort()).toEqual([
      'alpha[1]',
      'alpha[2]',
      'options.colour',
      'options.lag',
      'options.trees',
    ]);
    expect(
      validationFailure(() => calibratorRegistry.create('spci', [0.1], { lag: 100, window: 50 })).details,
    ).toEqual([{ field: 'options.window', reason: expect.stringContaining('lag + 10') }]);
    expect(validationFailure(() => calibratorRegistry.create('aci', [])).details[0].field).toBe('alpha');
  });

  it('names levels like StatsForecast', () => {
    expect(levelName(0.1)).toBe('90');
    expect(levelName(0.025)).toBe('97.5');
    expect(boundNames(0.05)).toEqual({ lower: 'lo-95', upper: 'hi-95' });
  });

  it('rejects bad inputs to fit, interval and update', () => {
    const cal = calibratorRegistry.create('enbpi');
    expect(() => cal.interval([1])).toThrow(/fit it first/);
    expect(validationFailure(() => cal.fit([1, NaN])).details).toEqual([
      { field: 'residuals[1]', reason: 'must be a finite number' },
    ]);
    cal.fit([1, 2, 3]);
    expect(validationFailure(() => cal.update([1, 2], [1])).details[0].field).toBe('observed');
    expect(validationFailure(() => cal.interval([Infinity])).details[0].field).toBe('point[0]');
  });
});

describe('state survives a restart', () => {
  const rng = new Rng(9);
  const history = [
    Array.from({ length: 400 }, () => rng.normalRedrawingZero()),
    Array.from({ length: 400 }, () => 2 * rng.normalRedrawingZero()),
  ];
  const truth = Array.from({ length: 40 }, () => [rng.normalRedrawingZero(), 2 * rng.normalRedrawingZero()]);
  const cases: Array<[string, Record<string, unknown>]> = [
    ['split', { window: 300, symmetric: false }],
    ['aci', { gamma: 0.05, window: 200 }],
    ['enbpi', { window: 100 }],
    ['spci', { lag: 15, window: 200, rebinEvery: 7, maxFeatures: 0.5, seed: 4 }],
  ];

  it.each(cases)(
    '%s: fromState(toState()) gives identical intervals, now and after more updates',
    (method, options) => {
      const a = calibratorRegistry.create(method, [0.1, 0.2], options);
      a.fit(history);
      for (const [y0, y1] of truth.slice(0, 23)) {
        a.interval([0.1, -0.2]);
        a.update([y0, y1], [0.1, -0.2]);
      }
      const saved = JSON.parse(JSON.stringify(a.toState()));
      const b: Calibrator = calibratorRegistry.restore(saved);
      // three steps on two calibrated ones: the third reuses step 2's widths only when asked
      const point = [0.3, -0.4, 1];
      const extrapolate = { extrapolate: true };
      expect(() => a.interval(point)).toThrow(/calibrated for 2 steps/);
      expect(b.interval(point, undefined, extrapolate)).toEqual(a.interval(point, undefined, extrapolate));
      expect(b.describe()).toEqual(a.describe());
      for (const [y0, y1] of truth.slice(23)) {
        a.update([y0, y1], [0, 0]);
        b.update([y0, y1], [0, 0]);
        expect(b.interval(point, [0.1, 0.2, 0.3], extrapolate)).toEqual(
          a.interval(point, [0.1, 0.2, 0.3], extrapolate),
        );
      }
      expect(b.toState()).toEqual(a.toState());
    },
  );

  it('rejects a state it cannot read', () => {
    expect(() => calibratorRegistry.restore({ method: 'spci', version: 99 })).toThrow(/version/);
    expect(() => calibratorRegistry.restore(null)).toThrow(/object/);
    const state = calibratorRegistry.create('spci', [0.1], { lag: 15, window: 200 }).toState();
    expect(
      validationFailure(() => calibratorRegistry.restore({ ...state, method: 'magic' })).details[0].field,
    ).toBe('method');
    expect(
      validationFailure(() =>
        calibratorRegistry.restore({ ...state, alpha: [2], options: { ...state.options, lag: 0 } }),
      ).details.map((d) => d.field),
    ).toEqual(['alpha[0]', 'options.lag']);
  });

  it('describes each method as the kit registry of the calibrators family does', () => {
    expect(
      calibratorRegistry.describe().map((d) => [d.method, d.title, d.residuals, d.capabilities]),
    ).toEqual([
      ['split', 'Split conformal', 'held-out', ['updatable']],
      ['aci', 'ACI', 'held-out', ['updatable']],
      ['enbpi', 'EnbPI', 'bootstrap-loo', ['updatable']],
      ['spci', 'SPCI', 'bootstrap-loo', ['updatable']],
    ]);
    const aci = calibratorRegistry.describe().find((d) => d.method === 'aci')!;
    expect(aci.options.properties.gamma).toMatchObject({ type: 'number', exclusiveMinimum: 0, maximum: 1 });
    expect(calibratorRegistry.get('aci')!.family).toBe('calibrators');
    expect(calibratorRegistry.get('magic')).toBeUndefined();
  });
});
