import { addMonths, inferFrequency, parseFrequency, stepsBetween } from './frequency';
import { parseTimestamp } from './parse-timestamp';

describe('parseTimestamp (UTC, whatever the machine)', () => {
  it.each([
    ['2016-07-01 00:00:00', Date.UTC(2016, 6, 1)],
    ['2016-07-01T13:45:10.5Z', Date.UTC(2016, 6, 1, 13, 45, 10, 500)],
    ['1990/1/2 0:00', Date.UTC(1990, 0, 2)],
    ['1975-12-01 00-00-00', Date.UTC(1975, 11, 1)],
    ['2020-01-01T02:00:00+02:00', Date.UTC(2020, 0, 1)],
    ['2008-01-01 05:19:47.961', Date.UTC(2008, 0, 1, 5, 19, 47, 961)],
  ])('%s', (text, ms) => expect(parseTimestamp(text)).toBe(ms));

  it.each(['2020-02-30', '2020-13-01', 'yesterday', '12/31/2020', ''])('rejects %p', (text) =>
    expect(parseTimestamp(text)).toBeNaN(),
  );
});

describe('frequency', () => {
  const days = (n: number) => n * 86_400_000;
  it('infers fixed steps in the largest dividing unit', () => {
    expect(inferFrequency([0, 900_000, 1_800_000])?.label).toBe('15min');
    expect(inferFrequency([0, days(7), days(14), days(28)])?.label).toBe('1W');
    expect(inferFrequency([0, days(1), days(2), days(5)])?.label).toBe('1D');
  });

  it('infers calendar months, quarters, years and month ends', () => {
    const m = (y: number, mo: number, d = 1) => Date.UTC(y, mo, d);
    expect(inferFrequency([m(2020, 0), m(2020, 1), m(2020, 2), m(2020, 3)])?.label).toBe('1M');
    expect(inferFrequency([m(2020, 0), m(2020, 3), m(2020, 6)])?.label).toBe('1Q');
    expect(inferFrequency([m(2019, 0), m(2020, 0), m(2021, 0)])?.label).toBe('1Y');
    expect(inferFrequency([m(2020, 0, 31), m(2020, 1, 29), m(2020, 2, 31), m(2020, 3, 30)])?.label).toBe(
      '1ME',
    );
  });

  it('gives up on stamps with no common step', () => {
    expect(inferFrequency([0, 7, 20, 23, 100])).toBeNull();
  });

  it('counts steps across gaps, NaN off the grid', () => {
    const f = parseFrequency('1M')!;
    expect(stepsBetween(Date.UTC(2020, 0, 15), Date.UTC(2020, 3, 15), f)).toBe(3);
    expect(stepsBetween(Date.UTC(2020, 0, 15), Date.UTC(2020, 3, 16), f)).toBeNaN();
    expect(addMonths(Date.UTC(2020, 0, 31), 1, true)).toBe(Date.UTC(2020, 1, 29));
    expect(parseFrequency('half_hourly')?.label).toBe('30min');
    expect(parseFrequency('10_minutes')?.label).toBe('10min');
  });
});
