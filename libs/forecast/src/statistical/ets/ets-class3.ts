import type { EtsFit } from './ets-fit';
import { combine, kron, Mat, matmul, transpose, vec, zeros } from './small-matrix';

/**
 * Forecast means and variances of the class-3 models (multiplicative error and season,
 * trend N/A/Ad: MNM, MAM, MAdM) by the recursions of Hyndman, Koehler, Ord & Snyder (2008,
 * ch. 6.4), which the forecast package uses: the state is written as the outer product of
 * the level-and-growth part and the seasonal part, whose mean M_h and covariance V_h (of
 * vec M_h) are propagated step by step. The mean differs from the point forecast by terms
 * of order sigma^2.
 */
export function class3Moments(fit: EtsFit, horizon: number): { mu: Float64Array; variance: Float64Array } {
  const { spec, par, sigma2 } = fit;
  const m = spec.m;
  const trend = spec.trend !== 'N';
  const p1 = trend ? 2 : 1;
  const x = fit.last;
  const H1: Mat = [new Float64Array(p1).fill(1)];
  const H2: Mat = [Float64Array.from({ length: m }, (_, j) => (j === m - 1 ? 1 : 0))];
  const F1: Mat = trend
    ? [Float64Array.of(1, 1), Float64Array.of(0, spec.damped ? par.phi : 1)]
    : [Float64Array.of(1)];
  const G1: Mat = trend
    ? [Float64Array.of(par.alpha, par.alpha), Float64Array.of(par.beta, par.beta)]
    : [Float64Array.of(par.alpha)];
  // F2 rotates the seasonal states: the oldest becomes the newest, the rest move down one
  const F2 = zeros(m, m);
  F2[0][m - 1] = 1;
  for (let i = 1; i < m; i++) F2[i][i - 1] = 1;
  const G2 = zeros(m, m);
  G2[0][m - 1] = par.gamma;
  let Mh: Mat = Array.from({ length: p1 }, (_, i) =>
    Float64Array.from({ length: m }, (_, j) => x[i] * x[p1 + j]),
  );
  let Vh = zeros(p1 * m, p1 * m);
  const H21 = kron(H2, H1);
  const H21t = transpose(H21);
  const F21 = kron(F2, F1);
  const G21 = kron(G2, G1);
  const F21t = transpose(F21);
  const G21t = transpose(G21);
  const K = combine([1, kron(G2, F1)], [1, kron(F2, G1)]);
  const Kt = transpose(K);
  const F2t = transpose(F2);
  const G2t = transpose(G2);
  const H2t = transpose(H2);
  const mu = new Float64Array(horizon);
  const variance = new Float64Array(horizon);
  for (let i = 0; i < horizon; i++) {
    mu[i] = matmul(matmul(H1, Mh), H2t)[0][0];
    variance[i] = (1 + sigma2) * matmul(matmul(H21, Vh), H21t)[0][0] + sigma2 * mu[i] * mu[i];
    const v = vec(Mh);
    const vv = matmul(v, transpose(v));
    Vh = combine(
      [1, matmul(matmul(F21, Vh), F21t)],
      [sigma2, matmul(matmul(F21, Vh), G21t)],
      [sigma2, matmul(matmul(G21, Vh), F21t)],
      [sigma2, matmul(matmul(K, combine([1, Vh], [1, vv])), Kt)],
      [sigma2 * sigma2, matmul(matmul(G21, combine([3, Vh], [2, vv])), G21t)],
    );
    Mh = combine([1, matmul(matmul(F1, Mh), F2t)], [sigma2, matmul(matmul(G1, Mh), G2t)]);
  }
  return { mu, variance };
}
