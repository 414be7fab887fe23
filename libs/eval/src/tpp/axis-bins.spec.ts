import { alongAxis, axisBin, fitAxisBins } from './axis-bins';

/** Leading eigenvector of a symmetric 2 x 2 matrix by power iteration (independent of the closed form). */
function powerIteration(sxx: number, sxy: number, syy: number): [number, number] {
  let v: [number, number] = [1, 0.3];
  for (let k = 0; k < 500; k++) {
    const w: [number, number] = [sxx * v[0] + sxy * v[1], sxy * v[0] + syy * v[1]];
    const n = Math.hypot(w[0], w[1]);
    v = [w[0] / n, w[1] / n];
  }
  return v;
}

describe('fitAxisBins', () => {
  it('finds the direction of points on a line and cuts them into equal-count bins in order along it', () => {
    const theta = Math.PI / 6;
    const ts = Array.from({ length: 30 }, (_, i) => i - 10);
    const xs = ts.map((t) => 5 + t * Math.cos(theta));
    const ys = ts.map((t) => -2 + t * Math.sin(theta));
    const b = fitAxisBins(xs, ys, 3);
    expect(b.angle).toBeCloseTo(theta, 12);
    expect(b.mx).toBeCloseTo(5 + 4.5 * Math.cos(theta), 12);
    // positions along the axis are t - mean(t) = t - 4.5; the cuts are the 10th and 20th order statistics
    ts.forEach((t, i) => expect(alongAxis(b, xs[i], ys[i])).toBeCloseTo(t - 4.5, 10));
    expect(b.cuts[0]).toBeCloseTo(0 - 4.5, 10);
    expect(b.cuts[1]).toBeCloseTo(10 - 4.5, 10);
    expect(ts.map((_, i) => axisBin(b, xs[i], ys[i]))).toEqual(ts.map((_, i) => Math.floor(i / 10)));
  });

  it('agrees with the covariance eigenvector found by power iteration on a correlated cloud', () => {
    let s = 7;
    const u = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 500; i++) {
      const a = 10 * u();
      const c = u();
      xs.push(a * 0.8 - c * 0.6);
      ys.push(-a * 0.6 - c * 0.8 + 3);
    }
    const b = fitAxisBins(xs, ys, 4);
    const mx = xs.reduce((p, q) => p + q, 0) / xs.length;
    const my = ys.reduce((p, q) => p + q, 0) / ys.length;
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    xs.forEach((x, i) => {
      sxx += (x - mx) ** 2;
      sxy += (x - mx) * (ys[i] - my);
      syy += (ys[i] - my) ** 2;
    });
    const [vx, vy] = powerIteration(sxx, sxy, syy);
    // the same line (an eigenvector's sign is arbitrary)
    expect(Math.abs(Math.cos(b.angle) * vx + Math.sin(b.angle) * vy)).toBeCloseTo(1, 10);
    const counts = [0, 0, 0, 0];
    xs.forEach((x, i) => counts[axisBin(b, x, ys[i])]++);
    expect(counts).toEqual([125, 125, 125, 125]);
  });

  it('puts points beyond the fitted range into the end bins and refuses empty input', () => {
    const b = fitAxisBins([0, 1, 2, 3], [0, 0, 0, 0], 2);
    expect(axisBin(b, -100, 0)).toBe(0);
    expect(axisBin(b, 100, 0)).toBe(1);
    expect(() => fitAxisBins([], [], 3)).toThrow(/non-empty/);
  });
});
