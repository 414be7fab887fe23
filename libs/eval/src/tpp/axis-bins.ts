/**
 * Types of a catalogue's events by where they lie along its main direction (for a fault
 * catalogue: along the fault): the first principal axis of the training epicentres, cut at
 * equal-count quantiles of the training positions along it. The magnitude of the next
 * earthquake is close to independent of the history (bench:tpp-types), its place along the
 * fault is not, so this typing is the one that tests a model's mark head on real data.
 */
export interface AxisBins {
  /** Centre of the fitted points. */
  mx: number;
  my: number;
  /** Angle of the first principal axis (radians, in (-pi/2, pi/2]). */
  angle: number;
  /** Interior cut points along the axis, ascending: bins.length - 1 of them. */
  cuts: number[];
}

/**
 * Fits the axis and the cuts on (x, y) points: the axis is the leading eigenvector of their
 * 2 x 2 covariance (closed form: half the angle of (sxx - syy, 2 sxy)), the cuts the k/bins
 * quantiles (order statistics) of the points' positions along it.
 */
export function fitAxisBins(xs: ArrayLike<number>, ys: ArrayLike<number>, bins: number): AxisBins {
  const n = xs.length;
  if (n === 0 || ys.length !== n)
    throw new Error(`fitAxisBins needs equal, non-empty x and y (got ${n} and ${ys.length})`);
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new Error(`fitAxisBins needs a positive integer number of bins (got ${bins})`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const axis: AxisBins = { mx, my, angle, cuts: [] };
  const sorted = Float64Array.from({ length: n }, (_, i) => alongAxis(axis, xs[i], ys[i])).sort();
  axis.cuts = Array.from({ length: bins - 1 }, (_, k) => sorted[Math.floor(((k + 1) * n) / bins)]);
  return axis;
}

/** Signed position of a point along the fitted axis, from the centre. */
export function alongAxis(b: AxisBins, x: number, y: number): number {
  return (x - b.mx) * Math.cos(b.angle) + (y - b.my) * Math.sin(b.angle);
}

/** The bin of a point: k where cuts[k-1] <= position < cuts[k]. */
export function axisBin(b: AxisBins, x: number, y: number): number {
  const a = alongAxis(b, x, y);
  let k = 0;
  while (k < b.cuts.length && a >= b.cuts[k]) k++;
  return k;
}
