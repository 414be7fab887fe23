import { calibrateForecast, CalibratableForecast } from './calibrator';
import { calibratorRegistry } from '@seqcast/conformal';

type Bands = Record<string, { lower: number[][]; upper: number[][] }>;

/** A two-channel forecast that records the intervals it is given. */
function forecast(points: number[][]): CalibratableForecast<{ bands: Bands; source?: unknown }> {
  return {
    channels: points.length,
    channel: (c) => points[c],
    withIntervals: (bands, source) => ({ bands, source }),
  };
}

describe('calibrateForecast', () => {
  it("puts each channel's split-conformal interval around its point path", () => {
    // Residuals +-1..+-19 (n = 19): at alpha 0.1 the ceil(20 x 0.9) = 18th smallest |e| is 18;
    // at alpha 0.5 the ceil(20 x 0.5) = 10th is 10. The second channel's residuals are doubled.
    const residuals = Array.from({ length: 19 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1));
    const a = calibratorRegistry.create('split', [0.1, 0.5], {});
    a.fit(residuals);
    const b = calibratorRegistry.create('split', [0.1, 0.5], {});
    b.fit(residuals.map((r) => 2 * r));
    const out = calibrateForecast(
      forecast([
        [100, 101],
        [0, 5],
      ]),
      [a, b],
      {
        source: { calibratorId: 'c', method: 'split' },
        // one calibrated step serves both: asked for explicitly
        extrapolate: true,
      },
    );
    expect(out.bands['90']).toEqual({
      lower: [
        [82, 83],
        [-36, -31],
      ],
      upper: [
        [118, 119],
        [36, 41],
      ],
    });
    expect(out.bands['50']).toEqual({
      lower: [
        [90, 91],
        [-20, -15],
      ],
      upper: [
        [110, 111],
        [20, 25],
      ],
    });
    expect(out.source).toEqual({ calibratorId: 'c', method: 'split', calibratedSteps: 1 });
  });

  it('refuses steps past the calibrated ones unless asked to extrapolate', () => {
    const a = calibratorRegistry.create('split', [0.1], {});
    a.fit([
      [1, 2, 3],
      [2, 4, 6],
    ]);
    expect(() => calibrateForecast(forecast([[1, 2, 3]]), [a])).toThrow(/calibrated for 2 steps; 3 asked/);
    const out = calibrateForecast(forecast([[1, 2, 3]]), [a], {
      extrapolate: true,
      source: { calibratorId: 'c', method: 'split' },
    });
    // n = 3, alpha 0.1: rank ceil(4 * 0.9) = 4 > 3 -> infinite; use the widths through the level names only
    expect(out.source).toEqual({ calibratorId: 'c', method: 'split', calibratedSteps: 2 });
  });

  it('needs one calibrator per channel', () => {
    const a = calibratorRegistry.create('split', [0.1], {});
    a.fit([1, 2, 3]);
    expect(() => calibrateForecast(forecast([[1], [2]]), [a])).toThrow(/one per channel|calibrators/);
  });
});
