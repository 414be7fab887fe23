/**
 * A real set for LS4's generation protocol from series of any lengths: the last `length`
 * values of every series long enough and without missing values, each z-scored by its own
 * mean and std (LS4 normalises every series, so the metrics compare shapes, not levels).
 * Constant windows are left out: they have no scale. Returns the windows and which series
 * each came from.
 */
export function lastWindows(
  series: ReadonlyArray<ArrayLike<number>>,
  length: number,
): { windows: Float32Array[]; from: number[] } {
  const windows: Float32Array[] = [];
  const from: number[] = [];
  series.forEach((s, i) => {
    if (s.length < length) return;
    const w = Array.from({ length }, (_, k) => Number(s[s.length - length + k]));
    if (!w.every(Number.isFinite)) return;
    const mean = w.reduce((a, v) => a + v, 0) / length;
    const std = Math.sqrt(w.reduce((a, v) => a + (v - mean) ** 2, 0) / length);
    if (!(std > 0)) return;
    windows.push(Float32Array.from(w, (v) => (v - mean) / std));
    from.push(i);
  });
  return { windows, from };
}
