import { FALLBACK_PERIOD, dominantPeriod } from './period';

const sine = (L: number, period: number, phase = 0, amp = 1) =>
  Array.from({ length: L }, (_, t) => amp * Math.sin((2 * Math.PI * t) / period + phase));

describe('dominantPeriod (TAFAS PAAS rule)', () => {
  it('finds the period of a sine that divides the window', () => {
    expect(dominantPeriod([sine(96, 24)])).toBe(24);
    expect(dominantPeriod([sine(96, 12, 0.3)])).toBe(12);
  });

  it('takes floor(L / f) of the strongest bin, from the channel of largest power', () => {
    // channel 2 has the larger power: its period 32 (bin 3 of 96) wins
    expect(dominantPeriod([sine(96, 8, 0, 0.2), sine(96, 32, 1, 2)])).toBe(32);
    // a period that does not divide L: 96 / 5 bins = 19.2 -> bin 5 -> floor(96 / 5) = 19
    expect(dominantPeriod([sine(96, 96 / 5)])).toBe(19);
  });

  it('falls back to 24 for a flat window (no peak)', () => {
    expect(dominantPeriod([new Array(96).fill(3.5)])).toBe(FALLBACK_PERIOD);
  });
});
