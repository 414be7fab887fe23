/**
 * STL: seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning
 * 1990), the non-robust variant R's `stl` runs by default (2 inner passes, no robustness
 * iterations), with the same windows, degrees and jumps (loess evaluated every `jump`
 * points and interpolated linearly in between) so that the result is R's.
 */
export interface StlOptions {
  /** Seasonal smoothing window (odd; R's s.window). */
  sWindow: number;
  sDegree?: number;
  /** Trend window (default: the next odd integer from 1.5 m / (1 - 1.5 / sWindow)). */
  tWindow?: number;
  tDegree?: number;
  lWindow?: number;
  lDegree?: number;
  inner?: number;
}

const nextOdd = (x: number) => {
  const r = Math.round(x);
  return r % 2 === 0 ? r + 1 : r;
};

/**
 * Loess fit at xs (1-based positions) from y[nleft..nright] (1-based, inclusive) with
 * tricube weights and degree 0 or 1 (the Fortran `stlest`); NaN where no weight is positive.
 */
function loessAt(
  y: Float64Array,
  n: number,
  len: number,
  degree: number,
  xs: number,
  nleft: number,
  nright: number,
  w: Float64Array,
): number {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    w[j - 1] = 0;
    const r = Math.abs(j - xs);
    if (r <= h9) {
      w[j - 1] = r <= h1 ? 1 : (1 - (r / h) ** 3) ** 3;
      a += w[j - 1];
    }
  }
  if (a <= 0) return NaN;
  for (let j = nleft; j <= nright; j++) w[j - 1] /= a;
  if (h > 0 && degree > 0) {
    let mean = 0;
    for (let j = nleft; j <= nright; j++) mean += w[j - 1] * j;
    let b = xs - mean;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j - 1] * (j - mean) ** 2;
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j - 1] *= b * (j - mean) + 1;
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j - 1] * y[j - 1];
  return ys;
}

/** Loess smooth of y (length n) at every position, evaluated every `jump` points (the Fortran `stless`). */
function loessSmooth(y: Float64Array, n: number, len: number, degree: number, jump: number): Float64Array {
  const ys = new Float64Array(n);
  const w = new Float64Array(n);
  if (n < 2) {
    ys[0] = y[0];
    return ys;
  }
  const step = Math.min(jump, n - 1);
  const fit = (i: number, nl: number, nr: number) => {
    const v = loessAt(y, n, len, degree, i, nl, nr, w);
    ys[i - 1] = Number.isNaN(v) ? y[i - 1] : v;
  };
  let nleft = 1;
  let nright = n;
  if (len >= n) {
    for (let i = 1; i <= n; i += step) fit(i, 1, n);
  } else if (step === 1) {
    const nsh = Math.floor((len + 1) / 2);
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      fit(i, nleft, nright);
    }
  } else {
    const nsh = Math.floor((len + 1) / 2);
    for (let i = 1; i <= n; i += step) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      fit(i, nleft, nright);
    }
  }
  if (step !== 1) {
    for (let i = 1; i <= n - step; i += step) {
      const delta = (ys[i + step - 1] - ys[i - 1]) / step;
      for (let j = i + 1; j <= i + step - 1; j++) ys[j - 1] = ys[i - 1] + delta * (j - i);
    }
    const k = Math.floor((n - 1) / step) * step + 1;
    if (k !== n) {
      fit(n, nleft, nright);
      if (k !== n - 1) {
        const delta = (ys[n - 1] - ys[k - 1]) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[j - 1] = ys[k - 1] + delta * (j - k);
      }
    }
  }
  return ys;
}

function movingAverage(x: Float64Array, n: number, len: number): Float64Array {
  const out = new Float64Array(n - len + 1);
  let s = 0;
  for (let i = 0; i < len; i++) s += x[i];
  out[0] = s / len;
  for (let j = 1; j < out.length; j++) {
    s += x[j + len - 1] - x[j - 1];
    out[j] = s / len;
  }
  return out;
}

/** Seasonal and trend components of y (length above 2 m) with season length m. */
export function stl(
  y: ArrayLike<number>,
  m: number,
  options: StlOptions,
): { seasonal: Float64Array; trend: Float64Array } {
  const n = y.length;
  if (m < 2 || n <= 2 * m) throw new Error('series is not periodic or has less than two periods');
  const sDegree = options.sDegree ?? 0;
  const tDegree = options.tDegree ?? 1;
  const lDegree = options.lDegree ?? tDegree;
  const tWindow0 = options.tWindow ?? nextOdd(Math.ceil((1.5 * m) / (1 - 1.5 / options.sWindow)));
  const lWindow0 = options.lWindow ?? nextOdd(m);
  // jumps from the windows as given, then the windows forced odd and at least 3 (R, then the Fortran)
  const sJump = Math.ceil(options.sWindow / 10);
  const tJump = Math.ceil(tWindow0 / 10);
  const lJump = Math.ceil(lWindow0 / 10);
  const fix = (w: number) => {
    const v = Math.max(3, w);
    return v % 2 === 0 ? v + 1 : v;
  };
  const ns = fix(options.sWindow);
  const nt = fix(tWindow0);
  const nl = fix(lWindow0);
  const np = Math.max(2, m);
  const yy = Float64Array.from(y);
  const trend = new Float64Array(n);
  const season = new Float64Array(n);
  const inner = options.inner ?? 2;
  for (let pass = 0; pass < inner; pass++) {
    const detrended = Float64Array.from(yy, (v, i) => v - trend[i]);
    // cycle-subseries smoothing, each extended one period at both ends
    const cycle = new Float64Array(n + 2 * np);
    const w = new Float64Array(n);
    for (let j = 1; j <= np; j++) {
      const k = Math.floor((n - j) / np) + 1;
      const sub = Float64Array.from({ length: k }, (_, i) => detrended[i * np + j - 1]);
      const smooth = loessSmooth(sub, k, ns, sDegree, sJump);
      const ext = new Float64Array(k + 2);
      ext.set(smooth, 1);
      const before = loessAt(sub, k, ns, sDegree, 0, 1, Math.min(ns, k), w);
      ext[0] = Number.isNaN(before) ? ext[1] : before;
      const after = loessAt(sub, k, ns, sDegree, k + 1, Math.max(1, k - ns + 1), k, w);
      ext[k + 1] = Number.isNaN(after) ? ext[k] : after;
      for (let i = 0; i < k + 2; i++) cycle[i * np + j - 1] = ext[i];
    }
    // low-pass filter of the cycle-subseries: moving averages of np, np and 3, then loess
    const ma = movingAverage(movingAverage(movingAverage(cycle, n + 2 * np, np), n + np + 1, np), n + 2, 3);
    const low = loessSmooth(ma, n, nl, lDegree, lJump);
    for (let i = 0; i < n; i++) season[i] = cycle[np + i] - low[i];
    const deseasoned = Float64Array.from(yy, (v, i) => v - season[i]);
    trend.set(loessSmooth(deseasoned, n, nt, tDegree, tJump));
  }
  return { seasonal: season, trend };
}
