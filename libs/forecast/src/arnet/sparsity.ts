/**
 * AR-Net's sparsity regulariser R(w) = mean(2 / (1 + exp(-c1 |w|^(1/c2))) - 1): steep near zero
 * (it pulls small weights to zero hard), saturating at 1 for large weights (it barely shrinks
 * the true ones). The paper uses c1 = c2 = 3, the v1 reference code 2.
 */
export function sparsityValue(w: ArrayLike<number>, c1: number, c2: number): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += 2 / (1 + Math.exp(-c1 * Math.abs(w[i]) ** (1 / c2))) - 1;
  return s / w.length;
}

/**
 * Adds weight x dR/dw to `grad` and returns R(w). dR/dw_i = 2 sigma'(u) c1 / c2 |w_i|^(1/c2 - 1)
 * sign(w_i) / N with u = c1 |w_i|^(1/c2); a tiny epsilon keeps |w|^(1/c2 - 1) finite at w = 0
 * (where sign(0) = 0 leaves the gradient at 0, as torch's abs backward does).
 */
export function sparsityGradient(
  w: ArrayLike<number>,
  c1: number,
  c2: number,
  grad: Float64Array,
  weight: number,
): number {
  const N = w.length;
  const e = 1 / c2;
  let r = 0;
  for (let i = 0; i < N; i++) {
    const a = Math.abs(w[i]) + 1e-9;
    const root = a ** e;
    const sig = 1 / (1 + Math.exp(-c1 * root));
    r += 2 * sig - 1;
    grad[i] += (weight * 2 * sig * (1 - sig) * c1 * e * (root / a) * Math.sign(w[i])) / N;
  }
  return r / N;
}

/**
 * lambda = c_lambda * (1/s - 1), s = expected fraction of non-zero lags; 0 when s = 1
 * (no sparsity expected, no regularisation).
 */
export function sparsityLambda(cLambda: number, sparsity: number): number {
  return sparsity >= 1 ? 0 : cLambda * (1 / sparsity - 1);
}

/**
 * The noise level (mean absolute first difference) of the series the reference generates
 * for its examples (create_ar_data: AR coefficients 0.2, 0.3, -0.5, noise_std 0.1), measured
 * on 200,000 samples.
 */
export const REFERENCE_NOISE_LEVEL = 0.13;

/**
 * c_lambda by the reference code's rule, reg_strength 0.01 times the series' noise level m
 * (estimated as the mean absolute first difference, utils_data.estimate_noise), made
 * independent of the data's units. The rule is not: the data loss scales with the square of
 * the units, 0.01 m with their first power, so on the standardised series this platform
 * trains on it is about 7 times weaker than on the reference's own data (sTPE 9.0 instead of
 * 2.7 at n = 1,000 in bench:arnet). It is evaluated here in the units in which the series'
 * noise level is the reference data's, which gives c_lambda = 0.01 m (m / 0.13).
 */
export function referenceCLambda(noiseLevel: number): number {
  return 0.01 * noiseLevel * (noiseLevel / REFERENCE_NOISE_LEVEL);
}

/**
 * Weight of the regulariser at a training progress in [0, 1]: AR-Net v1 ramps it in
 * quadratically, reaching full strength at `rampEnd` (0.5) of training.
 */
export function regulariserRamp(progress: number, rampEnd = 0.5): number {
  if (rampEnd <= 0) return 1;
  return Math.min(1, (progress / rampEnd) ** 2);
}
