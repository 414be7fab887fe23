import { lastWindows } from './last-windows';

describe('lastWindows', () => {
  it('takes the last values of each usable series and z-scores each by itself', () => {
    const { windows, from } = lastWindows(
      [
        [9, 1, 2, 3], // last 3: 1, 2, 3 -> mean 2, population std sqrt(2/3)
        [1, 2], // too short
        [5, 5, 5, 5], // constant: no scale
        [0, 4, NaN, 6], // a missing value in the window
        [10, 0, 0, 6], // mean 2, std sqrt(8)
      ],
      3,
    );
    expect(from).toEqual([0, 4]);
    const s = Math.sqrt(2 / 3);
    expect(Array.from(windows[0])).toEqual([-1 / s, 0, 1 / s].map(Math.fround));
    const t = Math.sqrt(8);
    expect(Array.from(windows[1])).toEqual([-2 / t, -2 / t, 4 / t].map(Math.fround));
  });
});
