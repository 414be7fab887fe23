/** Two-sided Mann-Whitney U test of two samples. */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u: number;
  p: number;
  /** 'exact' (no ties, both samples at most EXACT_MAX), else the normal approximation with tie correction. */
  method: 'exact' | 'normal';
}

/** Largest sample size for the exact null distribution (the count table is n1 x n2 x n1 n2). */
const EXACT_MAX = 50;

/** Midranks of the pooled values (1-based), and the tie term sum(t^3 - t). */
function midranks(values: number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = r;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieTerm };
}

/**
 * Null distribution of U for sample sizes m, n without ties: counts[u] = number of the
 * C(m + n, m) arrangements with that U, by the recursion N(u; m, n) = N(u - n; m - 1, n) +
 * N(u; m, n - 1) (the largest observation belongs to the first sample or not).
 */
export function exactUCounts(m: number, n: number): Float64Array {
  // table[i][j] = counts for sizes (i, j), built row by row
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const c = new Float64Array(i * j + 1);
      const a = prev[j]; // (i - 1, j), shifted by j
      for (let u = 0; u < a.length; u++) c[u + j] += a[u];
      const b = cur[j - 1]; // (i, j - 1)
      for (let u = 0; u < b.length; u++) c[u] += b[u];
      cur.push(c);
    }
    prev = cur;
  }
  return prev[n];
}

function normalSf(z: number): number {
  // upper tail of N(0, 1) via erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7)
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? y : 2 - y;
  return erfc / 2;
}

/**
 * Two-sided Mann-Whitney U. Exact p (twice the smaller tail of the exact null, capped at 1)
 * when there are no ties and both samples have at most 50 values; otherwise the normal
 * approximation with the tie-corrected variance and a 0.5 continuity correction (scipy's
 * `mannwhitneyu(method='asymptotic', use_continuity=True)`).
 */
export function mannWhitneyU(x: number[], y: number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (!m || !n) throw new Error('mannWhitneyU: both samples need values');
  const { ranks, tieTerm } = midranks([...x, ...y]);
  const r1 = ranks.slice(0, m).reduce((a, b) => a + b, 0);
  const u = r1 - (m * (m + 1)) / 2;
  if (tieTerm === 0 && m <= EXACT_MAX && n <= EXACT_MAX) {
    const counts = exactUCounts(m, n);
    const total = counts.reduce((a, b) => a + b, 0);
    const lo = Math.min(u, m * n - u);
    let tail = 0;
    for (let k = 0; k <= lo; k++) tail += counts[k];
    return { u, p: Math.min(1, (2 * tail) / total), method: 'exact' };
  }
  const N = m + n;
  const mean = (m * n) / 2;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, p: 1, method: 'normal' };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalSf(Math.max(z, 0))), method: 'normal' };
}
