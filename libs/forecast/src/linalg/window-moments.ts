import type { WindowSet } from '../data/windows';

/**
 * First and second moments of (input, target) windows, accumulated in Float64:
 * sums of x, y, x x^T and x y^T. Every closed-form linear model (Classic-AR, DLinear,
 * NLinear) is fitted from these alone, so the windows are read once.
 */
export interface WindowMoments {
  n: number;
  /** input length */
  p: number;
  /** target length */
  h: number;
  sx: Float64Array;
  sy: Float64Array;
  /** p x p, full symmetric */
  sxx: Float64Array;
  /** p x h */
  sxy: Float64Array;
}

export function windowMoments(
  windows: WindowSet,
  targetLength = windows.horizon,
  signal?: AbortSignal,
): WindowMoments {
  return addWindowMoments(emptyMoments(windows.lookback, targetLength), windows, signal);
}

/** Moments of no windows: the start of an accumulation. */
export function emptyMoments(p: number, h: number): WindowMoments {
  return {
    n: 0,
    p,
    h,
    sx: new Float64Array(p),
    sy: new Float64Array(h),
    sxx: new Float64Array(p * p),
    sxy: new Float64Array(p * h),
  };
}

/**
 * Adds the windows' sums into `m` (in place, returned): moments are sums, so the moments
 * of old plus new windows are those of all of them, which is what makes update exact.
 */
export function addWindowMoments(m: WindowMoments, windows: WindowSet, signal?: AbortSignal): WindowMoments {
  const { p, h, sx, sy, sxx, sxy } = m;
  const x = new Float64Array(p);
  const y = new Float64Array(h);
  for (let r = 0; r < windows.size; r++) {
    if (signal?.aborted && r % 1024 === 0) break;
    const xi = windows.input(r);
    const yi = windows.target(r);
    for (let i = 0; i < p; i++) x[i] = xi[i];
    for (let j = 0; j < h; j++) y[j] = yi[j];
    for (let i = 0; i < p; i++) {
      const xv = x[i];
      sx[i] += xv;
      const row = i * p;
      for (let j = i; j < p; j++) sxx[row + j] += xv * x[j];
      const rowy = i * h;
      for (let j = 0; j < h; j++) sxy[rowy + j] += xv * y[j];
    }
    for (let j = 0; j < h; j++) sy[j] += y[j];
    m.n++;
  }
  // the loop fills the upper triangle; the lower one mirrors it
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) sxx[i * p + j] = sxx[j * p + i];
  return m;
}
