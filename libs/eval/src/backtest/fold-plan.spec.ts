import { Unprocessable } from '@seqcast/core';
import { checkLengths, foldOrigins, requiredLength } from './fold-plan';

describe('fold plan', () => {
  it('places the last fold so that its horizon ends at the series end', () => {
    // length 20, horizon 3, 3 folds 2 apart: 17..19 is the last fold, then 15, 13
    expect(foldOrigins(20, 3, 3, 2)).toEqual([13, 15, 17]);
    // step = horizon tiles the tail: 14..15, 16..17, 18..19
    expect(foldOrigins(20, 2, 3, 2)).toEqual([14, 16, 18]);
  });

  it('needs one training window before the first origin', () => {
    // lookback 4 + horizon 3 to train, then (3-1)*2 + 3 for the folds
    expect(requiredLength(4, 3, 3, 2)).toBe(14);
    // with step = horizon: lookback + folds*step + horizon
    expect(requiredLength(10, 5, 4, 5)).toBe(10 + 4 * 5 + 5);
  });

  it('names every short series and the length it needs', () => {
    const run = () => checkLengths([{ key: 'ok', length: 14 }, { key: 'short', length: 13 }, { key: 'tiny', length: 2 }], 4, 3, 3, 2);
    expect(run).toThrow(Unprocessable);
    try {
      run();
    } catch (e) {
      const err = e as Unprocessable;
      expect(err.message).toContain("'short'");
      expect(err.message).toContain("'tiny'");
      expect(err.message).toContain('14');
      expect(err.details.map((d) => d.field)).toEqual(['series[1]', 'series[2]']);
      expect(err.details[0].reason).toMatch(/'short' has 13 steps; needs at least 14/);
    }
  });
});
