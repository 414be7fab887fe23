import { AciCalibrator, calibratorRegistry } from '@seqcast/conformal';

/**
 * ACI's update alpha_{t+1} = clip(alpha_t + gamma (alpha - err_t), 0, 1) followed by hand on
 * a made-up sequence. Scores |e| = 1..9 (n = 9); the half-width at alpha_t is the
 * ceil(10 (1 - alpha_t))-th smallest score, the largest score when that rank exceeds 9.
 */
describe('ACI', () => {
  it('follows its update rule exactly on a hand-made sequence', () => {
    const cal = calibratorRegistry.create('aci', [0.2], { gamma: 0.1 }) as AciCalibrator;
    cal.fit([1, -2, 3, -4, 5, -6, 7, -8, 9]);
    // t | alpha_t | rank ceil(10(1-alpha_t)) | half-width | y (point 0) | err | alpha_{t+1}
    // 0 | 0.20    | 8                        | 8          | 9           | 1   | 0.20 + 0.1(0.2 - 1) = 0.12
    // 1 | 0.12    | ceil(8.8) = 9            | 9          | 8.5         | 0   | 0.12 + 0.02 = 0.14
    // 2 | 0.14    | ceil(8.6) = 9            | 9          | -9.5        | 1   | 0.14 - 0.08 = 0.06
    // 3 | 0.06    | ceil(9.4) = 10 > 9       | 9 (max)    | 0           | 0   | 0.08
    // 4 | 0.08    | ceil(9.2) = 10 > 9       | 9 (max)    | -9          | 0   | 0.10 (on the bound covers)
    // 5 | 0.10    | ceil(9.0) = 9            | 9          | 3           | 0   | 0.12
    // 6 | 0.12    | 9                        | 9          | -
    const steps: Array<[number, number, number]> = [
      [0.2, 8, 9],
      [0.12, 9, 8.5],
      [0.14, 9, -9.5],
      [0.06, 9, 0],
      [0.08, 9, -9],
      [0.1, 9, 3],
    ];
    for (const [alphaT, half, y] of steps) {
      expect(cal.currentAlpha(0.2)).toBeCloseTo(alphaT, 12);
      const band = cal.interval([0])['80'];
      expect(band.lower[0]).toBe(-half);
      expect(band.upper[0]).toBe(half);
      cal.update([y], [0]);
    }
    expect(cal.currentAlpha(0.2)).toBeCloseTo(0.12, 12);
    // The calibration set is fixed by default (window 0): updates adapt alpha_t only.
    expect(cal.residualCount()).toBe(9);
  });

  it('clips alpha_t to [0, 1]; at 1 the interval is the point, at 0 the largest score', () => {
    const cal = calibratorRegistry.create('aci', [0.2], { gamma: 1 }) as AciCalibrator;
    cal.fit([1, 2, 3, 4]);
    cal.update([100], [0]); // miss: 0.2 + (0.2 - 1) < 0 -> 0
    expect(cal.currentAlpha(0.2)).toBe(0);
    expect(cal.interval([5])['80']).toMatchObject({ lower: [1], upper: [9] });
    for (let i = 0; i < 6; i++) cal.update([0], [0]); // covered: +0.2 each, clipped at 1
    expect(cal.currentAlpha(0.2)).toBe(1);
    expect(cal.interval([5])['80']).toMatchObject({ lower: [5], upper: [5] });
  });

  it('keeps one alpha_t per level and per horizon step', () => {
    const cal = calibratorRegistry.create('aci', [0.1, 0.5], { gamma: 0.1 }) as AciCalibrator;
    cal.fit([
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      [2, 4, 6, 8, 10, 12, 14, 16, 18],
    ]);
    cal.update([3, 3], [0, 0]); // step 0 scores: 3 is inside the 90% (9) and the 50% (5) intervals; step 1: inside both (18, 10)
    expect(cal.currentAlpha(0.1, 0)).toBeCloseTo(0.11, 12);
    expect(cal.currentAlpha(0.5, 0)).toBeCloseTo(0.55, 12);
    cal.update([6, 0], [0, 0]); // step 0: outside 50% (q = 5 at ceil(10*0.45) = 5), inside 90%
    expect(cal.currentAlpha(0.5, 0)).toBeCloseTo(0.55 + 0.1 * (0.5 - 1), 12);
    expect(cal.currentAlpha(0.1, 1)).toBeCloseTo(0.12, 12);
  });
});
