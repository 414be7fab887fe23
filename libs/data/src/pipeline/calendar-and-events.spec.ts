import { calendarFeatures } from './calendar-features';
import { makeEventBatch } from './event-batches';

describe('calendar features', () => {
  it('hourly: hour, weekday (Monday 0), day of month, day of year in [-0.5, 0.5]', () => {
    // 2016-07-01 13:00 UTC was a Friday (weekday 4), day 183 of a leap year.
    const f = calendarFeatures([Date.UTC(2016, 6, 1, 13)], '1h');
    expect(f.names).toEqual(['hour_of_day', 'day_of_week', 'day_of_month', 'day_of_year']);
    const expected = [13 / 23 - 0.5, 4 / 6 - 0.5, 0 / 30 - 0.5, 182 / 365 - 0.5];
    Array.from(f.values).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('monthly: month of year only', () => {
    const f = calendarFeatures([Date.UTC(2020, 11, 1)], '1M');
    expect(f.names).toEqual(['month_of_year']);
    expect(f.values[0]).toBeCloseTo(0.5, 6);
  });
});

describe('event batches in the EasyTPP layout', () => {
  it('pads, masks and recomputes gaps', () => {
    const b = makeEventBatch(
      [
        { key: 'a', times: Float64Array.from([0.5, 1.25, 3]), types: Int32Array.from([1, 0, 2]) },
        { key: 'b', times: Float64Array.from([2]), types: Int32Array.from([0]) },
      ],
      { numTypes: 3 },
    );
    expect(b.maxLen).toBe(3);
    expect(Array.from(b.times)).toEqual([0.5, 1.25, 3, 2, 0, 0]);
    expect(Array.from(b.gaps)).toEqual([0, 0.75, 1.75, 0, 0, 0]);
    expect(Array.from(b.types)).toEqual([1, 0, 2, 0, 3, 3]);
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(b.lengths)).toEqual([3, 1]);
    expect(Array.from(b.typeMask.subarray(0, 9))).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(b.typeMask.subarray(12, 18))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects types outside [0, numTypes)', () => {
    expect(() =>
      makeEventBatch([{ key: 'a', times: Float64Array.from([1]), types: Int32Array.from([3]) }], {
        numTypes: 3,
      }),
    ).toThrow(RangeError);
  });
});
