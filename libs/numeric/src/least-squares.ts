import { Unprocessable } from '@seqcast/core';

/**
 * Dense Float64 least squares: Cholesky on the normal equations for the closed-form
 * models and the calibrators' AR fits, Householder QR as the independent reference.
 * Matrices are row-major Float64Array with explicit sizes.
 */

/** In-place Cholesky of a symmetric positive-definite n x n matrix (lower triangle). Returns false if not SPD. */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      const ri = i * n;
      const rj = j * n;
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L L^T X = B for X (n x m, row-major), B overwritten with X. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): void {
  // forward: L Z = B
  for (let i = 0; i < n; i++) {
    const ri = i * m;
    for (let k = 0; k < i; k++) {
      const lik = l[i * n + k];
      if (lik === 0) continue;
      const rk = k * m;
      for (let c = 0; c < m; c++) b[ri + c] -= lik * b[rk + c];
    }
    const inv = 1 / l[i * n + i];
    for (let c = 0; c < m; c++) b[ri + c] *= inv;
  }
  // backward: L^T X = Z
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * m;
    for (let k = i + 1; k < n; k++) {
      const lki = l[k * n + i];
      if (lki === 0) continue;
      const rk = k * m;
      for (let c = 0; c < m; c++) b[ri + c] -= lki * b[rk + c];
    }
    const inv = 1 / l[i * n + i];
    for (let c = 0; c < m; c++) b[ri + c] *= inv;
  }
}

/**
 * Solves (G + lambda I) W = R for symmetric positive semi-definite G (n x n) and R (n x m)
 * by Cholesky; G and R are not modified. Throws Unprocessable when the system is singular.
 */
export function solveSpd(g: Float64Array, n: number, r: Float64Array, m: number, lambda = 0): Float64Array {
  const a = new Float64Array(g);
  for (let i = 0; i < n; i++) a[i * n + i] += lambda;
  if (!cholesky(a, n)) {
    throw new Unprocessable(
      'The least-squares system is singular: the training data is too short or too regular for this model (try a smaller order or a ridge penalty)',
      [{ field: 'train', reason: 'normal equations are not positive definite' }],
    );
  }
  const x = new Float64Array(r);
  choleskySolve(a, n, x, m);
  return x;
}

/**
 * Least squares min ||X w - y|| by Householder QR (X is rows x cols, row-major), an
 * independent route from the normal equations (used by tests as the reference).
 */
export function qrLeastSquares(x: Float64Array, rows: number, cols: number, y: Float64Array): Float64Array {
  const a = new Float64Array(x);
  const b = new Float64Array(y);
  for (let k = 0; k < cols; k++) {
    let norm = 0;
    for (let i = k; i < rows; i++) norm += a[i * cols + k] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = a[k * cols + k] > 0 ? -norm : norm;
    const v = new Float64Array(rows - k);
    for (let i = k; i < rows; i++) v[i - k] = a[i * cols + k];
    v[0] -= alpha;
    let vnorm2 = 0;
    for (let i = 0; i < v.length; i++) vnorm2 += v[i] * v[i];
    if (vnorm2 === 0) continue;
    for (let j = k; j < cols; j++) {
      let dot = 0;
      for (let i = k; i < rows; i++) dot += v[i - k] * a[i * cols + j];
      const f = (2 * dot) / vnorm2;
      for (let i = k; i < rows; i++) a[i * cols + j] -= f * v[i - k];
    }
    let dot = 0;
    for (let i = k; i < rows; i++) dot += v[i - k] * b[i];
    const f = (2 * dot) / vnorm2;
    for (let i = k; i < rows; i++) b[i] -= f * v[i - k];
  }
  const w = new Float64Array(cols);
  for (let i = cols - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < cols; j++) s -= a[i * cols + j] * w[j];
    w[i] = s / a[i * cols + i];
  }
  return w;
}
