/**
 * Solves A X = B for square A (n x n, rows) and B (n x k, rows) by Gaussian elimination
 * with partial pivoting; null when A is singular to working precision (a pivot below
 * n x machine epsilon x the largest entry), where R's `solve` stops with an error.
 */
export function solveLinear(a: ArrayLike<number>[], b: ArrayLike<number>[]): Float64Array[] | null {
  const n = a.length;
  const m = a.map((row) => Float64Array.from(row));
  const x = b.map((row) => Float64Array.from(row));
  // inline |v| and max: jest's sandbox makes builtin calls in loops like this one slow
  const abs = (v: number) => (v < 0 ? -v : v);
  let largest = 0;
  for (const row of m) for (let c = 0; c < n; c++) if (abs(row[c]) > largest) largest = abs(row[c]);
  const tiny = n * 2.220446049250313e-16 * largest;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (abs(m[r][col]) > abs(m[pivot][col])) pivot = r;
    if (!(abs(m[pivot][col]) > tiny)) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    [x[col], x[pivot]] = [x[pivot], x[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      if (f === 0) continue;
      for (let c = col; c < n; c++) m[r][c] -= f * m[col][c];
      for (let c = 0; c < x[r].length; c++) x[r][c] -= f * x[col][c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let k = r + 1; k < n; k++) {
      const f = m[r][k];
      if (f !== 0) for (let c = 0; c < x[r].length; c++) x[r][c] -= f * x[k][c];
    }
    for (let c = 0; c < x[r].length; c++) x[r][c] /= m[r][r];
  }
  return x;
}
