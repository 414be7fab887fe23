// @seqcast/forecast: the forecasting model zoo (baselines, Classic-AR, DLinear/NLinear
// ridge, AR-Net, SpaceTime), its registry, and the pieces the API wires: Forecast value
// objects, artifacts through @seqcast/tensor's ArtifactStore, metrics.

// contract
export type { Series, FitContext, FitReport } from './types';
export type {
  Forecaster,
  ForecasterArtifact,
  ArtifactTensor,
  ForecasterClass,
  ForecasterCapabilities,
  UpdateReport,
} from './forecaster';
export { Forecast, intervalLevelName } from './forecast';
export type { ForecastInit, ForecastJSON, ForecastMeta, IntervalBands, StepClock } from './forecast';
export { checkPredictRequest, checkSeries, checkTrainingSeries } from './input-checks';

// registry
export { ForecasterRegistry } from './registry/forecaster-registry';
export type { ForecasterDefinition, ForecasterDescription } from './registry/forecaster-registry';
export { forecasterRegistry, createForecasterRegistry, generativeKinds } from './registry/builtin';

// pipeline: per-series scaling inside the model
export { ScaledForecaster, PIPELINE_STATE } from './pipeline/scaled-forecaster';
export type {
  SeriesForecastRequest,
  KeyedSeries,
  TimedKeyedSeries,
  TimedForecastRequest,
} from './pipeline/scaled-forecaster';
export { SeriesScaler } from './pipeline/series-scaler';
export type { SeriesScalerJSON } from './pipeline/series-scaler';
export { fitSeriesScale, scaleValues, unscaleValues } from './pipeline/series-scale';
export type { SeriesScale } from './pipeline/series-scale';
export { loadScaledForecaster } from './pipeline/pipeline-artifacts';
export { servedPipeline } from './pipeline/served-pipeline';
export { refitConfig } from './pipeline/refit-config';

// artifacts
export { saveForecaster, loadForecaster, readForecasterArtifact } from './artifacts/forecaster-artifacts';
export type { SaveForecasterOptions } from './artifacts/forecaster-artifacts';

// models
export { NaiveForecaster, SeasonalNaiveForecaster } from './baselines/naive';
export { DriftForecaster } from './baselines/drift';
export { ClassicArForecaster } from './baselines/classic-ar';
export { DLinearForecaster, movingAverageMatrix } from './baselines/dlinear';
export { NLinearForecaster } from './baselines/nlinear';
export { LinearForecaster } from './baselines/linear';
export { TrainableForecaster } from './trainable/trainable-forecaster';
export type { TrainingPlan, UpdateOptions, TrainableShape } from './trainable/trainable-forecaster';
export { DeclaredParams } from './trainable/declared-params';
export type { ParamDeclaration, ParamInit } from './trainable/declared-params';
export { ArNetForecaster } from './arnet/arnet';
export type { ArNetConfig, ArNetSettings } from './arnet/arnet';
export { sparsityValue, sparsityLambda, regulariserRamp } from './arnet/sparsity';
export { estimateSparsity } from './arnet/auto-sparsity';
export { SpaceTimeForecaster } from './spacetime/spacetime';
export type { SpaceTimeConfig } from './spacetime/spacetime-config';
export {
  companionKernel,
  companionKrylov,
  closedLoopRows,
  companionMatrix,
  shiftPowers,
} from './spacetime/companion-ssm';
export { lastState, lastStateByRecurrence } from './spacetime/closed-loop-decoder';
export {
  preprocessingKernels,
  differencingKernel,
  movingAverageResidualKernel,
} from './spacetime/preprocessing';

// data, maths, simulation
export { WindowSet } from './data/windows';
export { simulateAr, isStationary } from './simulate/ar-process';
// for specs of other libs that run every kind: a SpaceTime that fits in a second
export { tinySpaceTime } from './trainable/tiny-spacetime';
export type { ArProcessSpec } from './simulate/ar-process';
// the numeric layer's, still exported here for callers of this lib's earlier API
export { mse, mae, stpe, qrLeastSquares, solveSpd, cholesky, choleskySolve } from '@seqcast/numeric';

// LS4: latent state-space generation and probabilistic forecasts (irregular sampling through time gaps)
export { Ls4Forecaster, ls4Definition } from './ls4/ls4';
export type { TimedSeries, TimedFitOptions } from './ls4/timed-series';
export { asTimed } from './timed-forecaster';
export { nominalGap } from './ls4/timed-series';
export type { TimedForecaster } from './timed-forecaster';

// statistical models fitted per series at forecast time (ETS, Theta, ARIMA), as the forecast package fits them
export { EtsForecaster, etsDefinition } from './statistical/ets-forecaster';
export { ThetaForecaster, thetaDefinition } from './statistical/theta-forecaster';
export { ArimaForecaster, arimaDefinition } from './statistical/arima-forecaster';
export { LocalForecaster } from './statistical/local-forecaster';
export { autoEts, automaticEtsSearch, etsCandidates } from './statistical/ets/ets-auto';
export type { EtsSearch, InformationCriterion } from './statistical/ets/ets-auto';
export { fitEts, evaluateEts } from './statistical/ets/ets-fit';
export type { EtsFit } from './statistical/ets/ets-fit';
export { etsFilter, etsPointForecast, etsName } from './statistical/ets/ets-model';
export type { EtsSpec, EtsParams } from './statistical/ets/ets-model';
export { etsForecast } from './statistical/ets/ets-forecast';
export type { QuantileForecast } from './statistical/ets/ets-forecast';
export { standardTheta, optimisedTheta } from './statistical/theta';
export { fitArima } from './statistical/arima/arima-fit';
export type { ArimaFit, ArimaConstant, ArimaMethod } from './statistical/arima/arima-fit';
export { withCriteria } from './statistical/arima/arima-criteria';
export type { ArimaModel } from './statistical/arima/arima-criteria';
export { arimaForecast } from './statistical/arima/arima-forecast';
export { autoArima } from './statistical/arima/auto-arima';
export type { AutoArimaOptions, AutoArimaResult, ArimaCriterion } from './statistical/arima/auto-arima';
export { arimaLabel } from './statistical/arima/arima-order';
export type { ArimaOrder } from './statistical/arima/arima-order';
export { multiplicativeAdjustment, seasonalAtNinety } from './statistical/seasonality';
export { EnsembleForecaster, ensembleDefinition, combineValues } from './ensemble/ensemble';
export type { EnsembleMember } from './ensemble/ensemble';

// sequence-to-sequence (HiSS and its flat baselines: high-rate inputs to low-rate outputs)
export type { Seq2SeqData, Seq2SeqModel, Seq2SeqFitReport, Seq2SeqArtifact } from './seq2seq/types';
export { seq2seqRegistry } from './seq2seq/registry';
export type { Seq2SeqDefinition } from './seq2seq/registry';
export { NeuralSeq2SeqModel } from './seq2seq/neural-seq2seq';
export { HissModel } from './seq2seq/hiss';
export { FlatS4DModel, LstmSeq2SeqModel, CausalTransformerModel } from './seq2seq/flat-model';
export type { HissConfig, FlatConfig, Seq2SeqTrainingConfig } from './seq2seq/seq2seq-config';
export { checkSeq2SeqData, checkSeq2SeqInputs } from './seq2seq/input-checks';
export { chunkFeatures, toOutputRate } from './seq2seq/chunking';
// the training loss and batch, for benchmarks that time one step outside fit (bench/ssm-speed.ts)
export { maskedMse } from './seq2seq/padded-batches';
export type { Seq2SeqBatch } from './seq2seq/padded-batches';
// a generator with a known target (mean of chunk k + max of chunk k-1), for specs over HTTP too
export { chunkStatisticsData, CHUNK_STATISTICS_HISS } from './seq2seq/chunk-statistics.testing';
export { TINY_LS4 } from './ls4/tiny-ls4.testing';
export type { InputRate } from './seq2seq/chunking';
