import { RowRange } from './windows';

export interface Splits {
  train: RowRange;
  valid: RowRange;
  test: RowRange;
}

/**
 * Time-ordered splits by fractions, in the layout of the long-horizon benchmarks
 * (Informer, Autoformer, Time-Series-Library): train takes floor(n * train) rows,
 * test floor(n * test), validation the rest; validation and test start `lookback`
 * rows early so their first window's input may read the end of the previous split.
 */
export function splitByFractions(
  n: number,
  fractions: { train: number; test: number },
  lookback: number,
): Splits {
  const nTrain = Math.floor(n * fractions.train);
  const nTest = Math.floor(n * fractions.test);
  const nValid = n - nTrain - nTest;
  return splitByBorders([nTrain, nTrain + nValid, n], lookback);
}

/** Splits at explicit row borders [trainEnd, validEnd, testEnd]; later splits reach back by `lookback`. */
export function splitByBorders(borders: [number, number, number], lookback: number): Splits {
  const [a, b, c] = borders;
  if (!(a > 0 && a <= b && b <= c)) throw new RangeError(`borders must increase: ${borders.join(', ')}`);
  return {
    train: { start: 0, end: a },
    valid: { start: Math.max(0, a - lookback), end: b },
    test: { start: Math.max(0, b - lookback), end: c },
  };
}

/**
 * The ETT benchmark borders: 12 months of train, 4 of validation, 4 of test, with
 * 30-day months, counted in rows of the file's frequency (24 a day for ETTh, 96 for ETTm).
 */
export function ettBorders(rowsPerDay: 24 | 96, lookback: number): Splits {
  const month = 30 * rowsPerDay;
  return splitByBorders([12 * month, 16 * month, 20 * month], lookback);
}

/** Splits at timestamps: validation from `validFrom`, test from `testFrom` (rows of sorted `times`). */
export function splitByTime(
  times: ArrayLike<number>,
  validFrom: number,
  testFrom: number,
  lookback: number,
): Splits {
  const firstAtOrAfter = (t: number) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return splitByBorders([firstAtOrAfter(validFrom), firstAtOrAfter(testFrom), times.length], lookback);
}
