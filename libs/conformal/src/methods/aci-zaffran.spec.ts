import { AciCalibrator, calibratorRegistry, Rng } from '@seqcast/conformal';

/**
 * ACI with `quantile: 'linear', clip: false` against Zaffran et al. (2022)'s rule, written
 * here from the paper and not from the calibrator: scores |e| of the calibration set;
 * at time t the half-width is the linear-interpolation (numpy default) empirical quantile of
 * the scores at level 1 - alpha_t; alpha_t <= 0 gives the real line, alpha_t >= 1 the empty
 * set; err_t = 1 when y_t is outside; alpha_{t+1} = alpha_t + gamma (alpha - err_t), unclipped.
 */
function zaffranBounds(
  scores: number[],
  alpha: number,
  gamma: number,
  stream: Array<{ point: number; y: number }>,
): Array<{ lower: number; upper: number; alphaT: number }> {
  const sorted = [...scores].sort((a, b) => a - b);
  const n = sorted.length;
  const linear = (q: number): number => {
    const pos = (n - 1) * q;
    const i = Math.floor(pos);
    const j = Math.min(i + 1, n - 1);
    return sorted[i] * (1 - (pos - i)) + sorted[j] * (pos - i);
  };
  let alphaT = alpha;
  return stream.map(({ point, y }) => {
    let lower: number;
    let upper: number;
    if (alphaT >= 1) {
      lower = Infinity; // the empty set
      upper = -Infinity;
    } else if (alphaT <= 0) {
      lower = -Infinity;
      upper = Infinity;
    } else {
      const q = linear(1 - alphaT);
      lower = point - q;
      upper = point + q;
    }
    const out = { lower, upper, alphaT };
    const err = y >= lower && y <= upper ? 0 : 1;
    alphaT = alphaT + gamma * (alpha - err);
    return out;
  });
}

describe("ACI as Zaffran et al. (quantile 'linear', clip false)", () => {
  it('reproduces the bounds of the paper rule exactly, through alpha_t < 0 and > 1', () => {
    const rng = new Rng(3);
    const scores = Array.from({ length: 37 }, () => rng.normalRedrawingZero());
    const alpha = 0.5;
    const gamma = 0.3;
    // a stream that misses in a burst (alpha_t falls below 0: the whole line, always covered)
    // then is exactly on the point for long (alpha_t climbs above 1: empty sets, always missed)
    const stream = [
      ...Array.from({ length: 12 }, () => ({ point: rng.normalRedrawingZero(), y: 0 })).map((s) => ({
        ...s,
        y: s.point + 40,
      })),
      ...Array.from({ length: 20 }, () => {
        const point = rng.normalRedrawingZero();
        return { point, y: point };
      }),
      ...Array.from({ length: 30 }, () => {
        const point = 5 * rng.normalRedrawingZero();
        return { point, y: point + 2 * rng.normalRedrawingZero() };
      }),
    ];
    const expected = zaffranBounds(scores.map(Math.abs), alpha, gamma, stream);
    // the stream does reach both edge cases
    expect(expected.some((e) => e.alphaT <= 0)).toBe(true);
    expect(expected.some((e) => e.alphaT >= 1)).toBe(true);
    const cal = calibratorRegistry.create('aci', [alpha], {
      gamma,
      quantile: 'linear',
      clip: false,
    }) as AciCalibrator;
    cal.fit(scores);
    stream.forEach(({ point, y }, t) => {
      expect(cal.currentAlpha(alpha)).toBeCloseTo(expected[t].alphaT, 12);
      const band = cal.interval([point])['50'];
      if (Number.isFinite(expected[t].lower)) {
        expect(band.lower[0]).toBeCloseTo(expected[t].lower, 12);
        expect(band.upper[0]).toBeCloseTo(expected[t].upper, 12);
      } else {
        expect(band.lower[0]).toBe(expected[t].lower);
        expect(band.upper[0]).toBe(expected[t].upper);
      }
      cal.update([y], [point]);
    });
  });

  it('keepState: fit on fresh calibration residuals keeps alpha_t; by default it restarts', () => {
    for (const keepState of [true, false]) {
      const cal = calibratorRegistry.create('aci', [0.1], { gamma: 0.1, keepState }) as AciCalibrator;
      cal.fit([
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [2, 4, 6],
      ]);
      cal.update([100, 100], [0, 0]); // both steps miss: alpha_t = 0.1 + 0.1 (0.1 - 1) = 0.01
      expect(cal.currentAlpha(0.1, 1)).toBeCloseTo(0.01, 12);
      cal.fit([
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
      ]);
      expect(cal.currentAlpha(0.1, 0)).toBeCloseTo(keepState ? 0.01 : 0.1, 12);
      expect(cal.currentAlpha(0.1, 1)).toBeCloseTo(keepState ? 0.01 : 0.1, 12);
      expect(cal.currentAlpha(0.1, 2)).toBe(0.1); // a step new to this fit starts at alpha
      expect(cal.describe().steps[0].levels['90']).toMatchObject({
        alpha: 0.1,
        alphaT: cal.currentAlpha(0.1, 0),
      });
    }
  });

  it('describes its state: alpha_t and rolling coverage per step and level', () => {
    const cal = calibratorRegistry.create('aci', [0.1, 0.5], { gamma: 0.1 });
    cal.fit([
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ]);
    cal.update([3, 8], [0, 0]); // step 1: inside both (9, 5); step 2: inside 90 (9), outside 50 (5)
    cal.update([6], [0]); // step 1: inside 90, outside 50
    const d = cal.describe();
    expect(d.calibratedSteps).toBe(2);
    expect(d.steps[0]).toMatchObject({ step: 1, residuals: 9, seen: 9 });
    expect(d.steps[0].levels['90']).toMatchObject({ truths: 2, rollingCoverage: 1 });
    expect(d.steps[0].levels['50']).toMatchObject({ truths: 2, rollingCoverage: 0.5 });
    expect(d.steps[1].levels['50']).toMatchObject({
      truths: 1,
      rollingCoverage: 0,
      alphaT: 0.5 + 0.1 * (0.5 - 1),
    });
  });
});
