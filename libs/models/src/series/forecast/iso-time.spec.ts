import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('is toISOString of the same instant, also after the memo has started over', () => {
    const start = Date.UTC(1969, 11, 31, 23);
    // more instants than the memo keeps, each asked twice (formatted, then remembered)
    for (let i = 0; i < 20000; i += 7) {
      const t = start + i * 3_600_123;
      expect(isoTime(t)).toBe(new Date(t).toISOString());
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    }
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('throws on an invalid time like Date#toISOString', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
