import { Unprocessable } from '@seqcast/core';
import { cholesky, choleskySolve, qrLeastSquares, Rng, solveSpd } from '@seqcast/numeric';

describe('least squares', () => {
  it('factors a 2 x 2 SPD matrix as worked out by hand', () => {
    // [[4, 2], [2, 3]] = L L^T with L = [[2, 0], [1, sqrt 2]]
    const a = Float64Array.from([4, 2, 2, 3]);
    expect(cholesky(a, 2)).toBe(true);
    expect(a[0]).toBeCloseTo(2, 14);
    expect(a[2]).toBeCloseTo(1, 14);
    expect(a[3]).toBeCloseTo(Math.SQRT2, 14);
    // two right-hand sides: [6, 5] -> [1, 1] and [2, 1] -> [1/2, 0] (by Cramer's rule)
    const b = Float64Array.from([6, 2, 5, 1]);
    choleskySolve(a, 2, b, 2);
    [1, 0.5, 1, 0].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 14));
  });

  it('fits a line through three points as solved by hand', () => {
    // points (0, 0), (1, 1), (2, 1): X^T X = [[3, 3], [3, 5]], X^T y = [2, 3] -> w = [1/6, 1/2]
    const x = Float64Array.from([1, 0, 1, 1, 1, 2]);
    const y = Float64Array.from([0, 1, 1]);
    const byQr = qrLeastSquares(x, 3, 2, y);
    const byNormal = solveSpd(Float64Array.from([3, 3, 3, 5]), 2, Float64Array.from([2, 3]), 1);
    for (const w of [byQr, byNormal]) {
      expect(w[0]).toBeCloseTo(1 / 6, 13);
      expect(w[1]).toBeCloseTo(1 / 2, 13);
    }
  });

  it('solves the normal equations of a random regression: residuals orthogonal to every column, as QR', () => {
    const rng = new Rng(11);
    const rows = 40;
    const cols = 4;
    const x = Float64Array.from({ length: rows * cols }, () => rng.normal());
    const y = Float64Array.from({ length: rows }, () => rng.normal());
    const g = new Float64Array(cols * cols);
    const r = new Float64Array(cols);
    for (let i = 0; i < rows; i++)
      for (let a = 0; a < cols; a++) {
        r[a] += x[i * cols + a] * y[i];
        for (let b = 0; b < cols; b++) g[a * cols + b] += x[i * cols + a] * x[i * cols + b];
      }
    const w = solveSpd(g, cols, r, 1);
    const residual = Float64Array.from({ length: rows }, (_, i) => {
      let f = 0;
      for (let a = 0; a < cols; a++) f += x[i * cols + a] * w[a];
      return y[i] - f;
    });
    for (let a = 0; a < cols; a++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += x[i * cols + a] * residual[i];
      expect(Math.abs(dot)).toBeLessThan(1e-12);
    }
    const wq = qrLeastSquares(x, rows, cols, y);
    for (let a = 0; a < cols; a++) expect(wq[a]).toBeCloseTo(w[a], 12);
  });

  it('adds the ridge to the diagonal and leaves its inputs alone', () => {
    // (G + 2 I) w = r with G = [[1, 0], [0, 3]]: w = [r0 / 3, r1 / 5]
    const g = Float64Array.from([1, 0, 0, 3]);
    const r = Float64Array.from([3, 10]);
    const w = solveSpd(g, 2, r, 1, 2);
    expect(w[0]).toBeCloseTo(1, 14);
    expect(w[1]).toBeCloseTo(2, 14);
    expect(Array.from(g)).toEqual([1, 0, 0, 3]);
    expect(Array.from(r)).toEqual([3, 10]);
  });

  it('reports a singular system', () => {
    expect(cholesky(Float64Array.from([1, 1, 1, 1]), 2)).toBe(false);
    expect(() => solveSpd(Float64Array.from([1, 1, 1, 1]), 2, Float64Array.from([1, 1]), 1)).toThrow(Unprocessable);
  });
});
