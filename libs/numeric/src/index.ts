// @seqcast/numeric: the one numeric layer (seeded Rng, quantiles, linear interpolation, least squares and
// Cholesky, erf / fastExp / GELU, point errors and their accumulator). Pure functions over
// typed arrays: no tfjs, no Nest.

export { Rng, deriveSeed, bootstrapCounts } from './rng';
export { quantile } from './quantile';
export { interpolateLinear } from './linear-interpolation';
export { cholesky, choleskySolve, solveSpd, qrLeastSquares } from './least-squares';
export { fitSoftmaxRegression, softmaxProbabilities } from './softmax-regression';
export type { SoftmaxRegression, SoftmaxRegressionOptions } from './softmax-regression';
export { fastExp, fastTanh, fastSigmoid } from './fast-math';
export { erf, inverseSoftplus, softplus } from './special-functions';
export {
  gelu,
  geluDerivative,
  geluArrays,
  GELU_TANH_A,
  GELU_TANH_C,
  geluTanhArgument,
  geluTanhValue,
  geluTanhDerivative,
} from './gelu';
export { mse, mae, smape, smapeTerm, mase, seasonalNaiveScale, stpe } from './point-errors';
export { PointErrorAccumulator } from './error-accumulator';
export type { PointMetrics } from './error-accumulator';
export { crpsFromSamples, crpsFromQuantiles, gaussianCrps } from './crps';
