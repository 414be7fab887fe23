import { Unprocessable } from '@seqcast/core';
import { evenlySpaced, futureOnAxis, gapClock, nominalGapOf, onAxis, timeAxis } from './time-axis';

const utc = (s: string) => Date.parse(`${s}Z`);

describe('time axis of a timed model', () => {
  it('counts calendar months as whole steps whatever their length in days', () => {
    // month ends: 31, 29 (2024 is a leap year), 31 days apart ...; then a gap of two missing months
    const times = ['2024-01-31T00:00', '2024-02-29T00:00', '2024-03-31T00:00', '2024-06-30T00:00'].map(utc);
    const axis = timeAxis('1ME');
    expect(Array.from(onAxis(axis, times, 'contextTimes'))).toEqual([0, 1, 2, 5]);
    expect(nominalGapOf(axis, [[0, 1, 2, 5]])).toBe(1);
  });

  it('takes fractions of a fixed step, and stamps as they are without a frequency', () => {
    const times = ['2024-01-01T00:00', '2024-01-01T01:00', '2024-01-01T01:30', '2024-01-01T04:00'].map(utc);
    expect(Array.from(onAxis(timeAxis('1h'), times, 'contextTimes'))).toEqual([0, 1, 1.5, 4]);
    expect(Array.from(onAxis(timeAxis('15min'), times, 'contextTimes'))).toEqual([0, 4, 6, 16]);
    expect(Array.from(onAxis(timeAxis(null), times, 'contextTimes'))).toEqual(times);
    // gaps of 60, 30 and 150 minutes: the median is 60 minutes
    expect(nominalGapOf(timeAxis(null), [times])).toBe(3_600_000);
  });

  it('refuses a stamp off a calendar grid, naming its place in the request', () => {
    const times = ['2024-01-31T00:00', '2024-02-29T00:00', '2024-03-15T00:00'].map(utc);
    try {
      onAxis(timeAxis('1ME'), times, 'contextTimes', 10);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(Unprocessable);
      expect((e as Unprocessable).details[0].field).toBe('contextTimes[12]');
    }
  });

  it('tells evenly spaced times (dt 1 everywhere) from uneven ones', () => {
    expect(
      evenlySpaced(
        [
          [0, 1, 2, 3],
          [10, 11],
        ],
        1,
      ),
    ).toBe(true);
    expect(
      evenlySpaced(
        [
          [0, 1, 2, 3],
          [10, 12],
        ],
        1,
      ),
    ).toBe(false);
    expect(evenlySpaced([[1e12, 1e12 + 60_000, 1e12 + 120_000]], 60_000)).toBe(true);
  });

  it('places forecast steps one nominal gap apart and labels that step', () => {
    expect(Array.from(futureOnAxis(7, 2.5, 3))).toEqual([9.5, 12, 14.5]);
    expect(gapClock(3_600_000).label).toBe('1h');
    expect(gapClock(2_220_000).label).toBe('37min');
    expect(gapClock(90_061).label).toBe('90061ms');
    expect(gapClock(2 * 86_400_000).label).toBe('2D');
    const { clock } = gapClock(2_220_000);
    expect(clock(utc('2024-01-01T00:00'), 2)).toBe(utc('2024-01-01T01:14'));
  });
});
