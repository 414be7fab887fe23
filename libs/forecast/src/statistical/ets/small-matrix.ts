/** Dense row-major matrices for the small products of forecast-variance recursions. */
export type Mat = Float64Array[];

export const zeros = (r: number, c: number): Mat => Array.from({ length: r }, () => new Float64Array(c));

export function matmul(a: Mat, b: Mat): Mat {
  const out = zeros(a.length, b[0].length);
  for (let i = 0; i < a.length; i++)
    for (let k = 0; k < b.length; k++) {
      const v = a[i][k];
      if (v === 0) continue;
      for (let j = 0; j < b[0].length; j++) out[i][j] += v * b[k][j];
    }
  return out;
}

export function transpose(a: Mat): Mat {
  const out = zeros(a[0].length, a.length);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[0].length; j++) out[j][i] = a[i][j];
  return out;
}

/** Kronecker product A (x) B. */
export function kron(a: Mat, b: Mat): Mat {
  const rb = b.length;
  const cb = b[0].length;
  const out = zeros(a.length * rb, a[0].length * cb);
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a[0].length; j++)
      for (let k = 0; k < rb; k++)
        for (let l = 0; l < cb; l++) out[i * rb + k][j * cb + l] = a[i][j] * b[k][l];
  return out;
}

/** sum of c_i A_i (all the same shape). */
export function combine(...terms: Array<[number, Mat]>): Mat {
  const [, first] = terms[0];
  const out = zeros(first.length, first[0].length);
  for (const [c, m] of terms)
    for (let i = 0; i < out.length; i++) for (let j = 0; j < out[0].length; j++) out[i][j] += c * m[i][j];
  return out;
}

/** Column-major vec(A) as a column. */
export function vec(a: Mat): Mat {
  const out: Mat = [];
  for (let j = 0; j < a[0].length; j++) for (let i = 0; i < a.length; i++) out.push(Float64Array.of(a[i][j]));
  return out;
}
