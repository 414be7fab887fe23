/**
 * @seqcast/conformal: conformal prediction intervals for any point forecaster.
 * SPCI, EnbPI, ACI and split conformal behind one Calibrator interface and a registry;
 * bootstrap leave-one-out residuals; interval metrics; the quantile regression forest.
 */
export * from './calibrator';
export {
  calibratorRegistry,
  calibratorMethod,
  CalibratorRegistry,
  type CalibratorDefinition,
  type CalibratorDescription,
} from './registry/calibrator-registry';
export {
  SplitConformalCalibrator,
  splitConformalSchema,
  type SplitConformalOptions,
} from './methods/split-conformal';
export { EnbpiCalibrator, enbpiSchema, betaSearch, type EnbpiOptions } from './methods/enbpi';
export { AciCalibrator, aciSchema, type AciOptions } from './methods/aci';
export { SpciCalibrator, spciSchema, type SpciOptions } from './methods/spci';
export { BaseCalibrator, type Offsets } from './methods/base-calibrator';
export { nestByUnion } from './methods/nesting';
export { COVERAGE_WINDOW } from './residuals/coverage-tracker';
export {
  bootstrapLooResiduals,
  type FitPredictFn,
  type BootstrapLooOptions,
  type BootstrapLooResult,
} from './residuals/bootstrap-loo';
export * from './metrics/interval-metrics';
export { QuantileForest, DEFAULT_FOREST_OPTIONS, type QuantileForestOptions } from './forest/quantile-forest';
export { OnlineLaggedForest, poissonWeight, type OnlineForestOptions } from './forest/online-lagged-forest';
export { laggedForestQuantiles } from './forest/lagged-quantile-forest';
export { fitLeastSquaresAr, predictAr, arFitPredict, type ArModel } from './point/least-squares-ar';
export { conformalQuantile, weightedQuantiles } from './stats/quantiles';
// the numeric layer's, under the names this lib's public API gave them
export { quantile as empiricalQuantile, Rng } from '@seqcast/numeric';
