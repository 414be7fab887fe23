import { calibratorRegistry, nestByUnion, Rng } from '@seqcast/conformal';

/**
 * Nested levels: lower(95) <= lower(90) <= upper(90) <= upper(95) at every step, for every
 * method, over random residual histories (skewed, heavy-tailed, few residuals) and random
 * truth streams (so ACI's alpha_t of the two levels drift apart, and SPCI's forest and beta
 * search pick different tails per level).
 */
describe('nested levels', () => {
  const methods: Array<[string, Record<string, unknown>]> = [
    ['split', { symmetric: false }],
    ['split', {}],
    ['aci', { gamma: 0.2 }],
    ['aci', { gamma: 0.3, clip: false, quantile: 'linear' }],
    ['enbpi', { window: 40 }],
    ['spci', { lag: 5, window: 60 }],
  ];

  it.each(methods)('%s %j: every wider band contains the narrower at every step', (method, options) => {
    const violations: string[] = [];
    for (let seed = 0; seed < 5; seed++) {
      const rng = new Rng(100 + seed);
      const steps = 4;
      const n = 20 + Math.floor(rng.next() * 80);
      // a skewed, heavy-tailed mixture: the case where per-level beta searches cross
      const draw = () =>
        rng.next() < 0.3
          ? 3 * Math.exp(rng.normalRedrawingZero())
          : rng.normalRedrawingZero() * (1 + rng.next());
      const cal = calibratorRegistry.create(method, [0.1, 0.05, 0.2], options);
      cal.fit(Array.from({ length: steps }, () => Array.from({ length: n }, draw)));
      for (let t = 0; t < 40; t++) {
        const point = Array.from({ length: steps }, () => 10 * rng.normalRedrawingZero());
        const bands = cal.interval(point, [0.05, 0.1, 0.2]);
        for (let h = 0; h < steps; h++) {
          const [b95, b90, b80] = [bands['95'], bands['90'], bands['80']];
          const nested =
            b95.lower[h] <= b90.lower[h] &&
            b90.lower[h] <= b80.lower[h] &&
            b80.upper[h] <= b90.upper[h] &&
            b90.upper[h] <= b95.upper[h];
          if (!nested)
            violations.push(
              `seed ${seed} t ${t} step ${h}: 95 [${b95.lower[h]}, ${b95.upper[h]}] 90 [${b90.lower[h]}, ${b90.upper[h]}] 80 [${b80.lower[h]}, ${b80.upper[h]}]`,
            );
        }
        cal.update(
          point.map((p) => p + 3 * draw()),
          point,
        );
      }
    }
    expect(violations).toEqual([]);
  });

  it('nestByUnion takes the hull of the narrower bands and leaves nested ones alone', () => {
    // 90% [-0.869, 1.254] with 95% [-0.601, 2.179] (the EnbPI example): 95% becomes [-0.869, 2.179]
    expect(
      nestByUnion(
        [0.1, 0.05],
        [
          { lower: -0.869, upper: 1.254 },
          { lower: -0.601, upper: 2.179 },
        ],
      ),
    ).toEqual([
      { lower: -0.869, upper: 1.254 },
      { lower: -0.869, upper: 2.179 },
    ]);
    const nested = [
      { lower: -1, upper: 1 },
      { lower: -2, upper: 2 },
    ];
    expect(nestByUnion([0.1, 0.05], nested)).toEqual(nested);
    // an empty band (lower > upper) of a wider level becomes the narrower one; a lone empty band stays empty
    expect(
      nestByUnion(
        [0.2, 0.1],
        [
          { lower: -1, upper: 1 },
          { lower: Infinity, upper: -Infinity },
        ],
      )[1],
    ).toEqual({ lower: -1, upper: 1 });
    expect(nestByUnion([0.1], [{ lower: Infinity, upper: -Infinity }])).toEqual([
      { lower: Infinity, upper: -Infinity },
    ]);
  });
});
