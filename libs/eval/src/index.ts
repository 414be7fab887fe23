// @seqcast/eval: point metrics, rolling-origin backtests (points and conformal intervals),
// the EasyTPP-style evaluation of event models, the evaluation datasets read from files, and
// the reports (Markdown and a server-side SVG chart). It stands on the zoos (forecast,
// events, conformal), which never import it; plain TypeScript: HTTP, CLI and jobs wire it
// elsewhere.

// metrics
export {
  mse,
  mae,
  smape,
  smapeTerm,
  mase,
  seasonalNaiveScale,
  PointErrorAccumulator,
} from '@seqcast/numeric';
export type { PointMetrics } from '@seqcast/numeric';

// backtesting
export { runBacktest } from './backtest/rolling-origin';
export { foldOrigins, requiredLength } from './backtest/fold-plan';
export type {
  BacktestOptions,
  BacktestModel,
  BacktestSeries,
  RefitPolicy,
  BacktestResult,
  BacktestSettings,
  SeriesPlan,
  FoldMetrics,
  ModelSummary,
  BacktestChartData,
  ChartForecast,
} from './backtest/backtest-types';

// reports and charts
export { renderBacktestReport, renderBacktestChart, formatMetric } from './report/backtest-report';
export type { BacktestReportOptions } from './report/backtest-report';
export { renderForecastReport, renderForecastChart } from './report/forecast-report';
export type { ForecastReportOptions } from './report/forecast-report';
export {
  renderLineChart,
  CHART_PALETTE,
  modelStroke,
  TRUTH_STROKE,
  defaultBandOpacity,
} from './report/svg-line-chart';
export { OKABE_ITO, MODEL_PALETTE, MODEL_DASHES, TRUTH_COLOR, modelColor, modelDash } from './report/palette';
export type { LineChartOptions, LineSeries, LineBand } from './report/svg-line-chart';
export { escapeXml, escapeMarkdownCell } from './report/escape';

// the online protocol of test-time adaptation
export { runOnlineProtocol } from './online/online-protocol';
export type { OnlineProtocolInput, OnlineProtocolRow } from './online/online-protocol';
export { runOnlineEvaluation } from './online/online-evaluation';
export type {
  OnlineEvaluationOptions,
  OnlineEvaluationRow,
  OnlineEvaluationResult,
} from './online/online-evaluation';

// conformal intervals in a rolling-origin backtest
export { runIntervalBacktest, stepGroupFigures, STEP_GROUP } from './intervals/interval-backtest';
export type {
  IntervalBacktestOptions,
  IntervalBacktestResult,
  IntervalSummaryRow,
  IntervalChartData,
  IntervalChartModel,
} from './intervals/interval-backtest';

// EasyTPP-style evaluation of event models
export { TYPE_TIME_BOUND, MAJORITY_CLASS, runTppEvaluation } from './tpp/run-evaluation';
export type { TppEvalResult, TppEvalRow, TppEvalRun, TppEvalDatasetSummary } from './tpp/tpp-eval-results';
export { scoreOnTest, TPP_SCORE_DEFAULTS } from './tpp/score-test';
export { BELOW_POISSON, TIES_POISSON, AT_MAJORITY, majorityClass, sanityFlags } from './tpp/sanity-gate';
export { loadTppEvalConfig, readTppEvalFile, validateTppEvalConfig } from './tpp/tpp-eval-config';
export type { TppEvalConfig, DatasetSource, SourceTruth } from './tpp/tpp-eval-config';
export { loadSplits } from './tpp/load-datasets';
export { alongAxis, axisBin, fitAxisBins } from './tpp/axis-bins';
export type { AxisBins } from './tpp/axis-bins';
export type { LoadedSplits, EventFileReader, EventFileRequest, EventFileData } from './tpp/load-datasets';
export { tppMarkdownTable } from './tpp/tpp-table';
export { horizonScore, parseHorizonOption, HORIZON_DEFAULTS } from './tpp/horizon-score';
export type { HorizonOptions } from './tpp/horizon-score';
export { predictionMetrics } from './tpp/metrics';

// evaluation datasets read from files (the zoos take arrays)
export { ettSplits, readCsvColumn, ETT_HOURLY_BORDERS } from './datasets/ett';
export type { EttSplits } from './datasets/ett';
// irregular sampling made from a regular series (LS4's subsampling protocol)
export { randomlyKept } from './datasets/random-drop';

// LS4's generation metrics and the classical generators they are compared with
export { marginalScore, MARGINAL_BINS } from './generation/marginal-score';
export type { MarginalScore } from './generation/marginal-score';
export { classificationScore } from './generation/classification-score';
export type { ClassificationScore, ClassificationScoreOptions } from './generation/classification-score';
export { predictionScore, fitNextStepPredictor, PREDICTION_STEPS } from './generation/prediction-score';
export type {
  PredictionScore,
  PredictionScoreOptions,
  NextStepPredictor,
} from './generation/prediction-score';
export { generationScores } from './generation/generation-scores';
export type { GenerationScores, GenerationScoreOptions } from './generation/generation-scores';
export { LS4_METRIC_BUDGET } from './generation/metric-training';
export type { MetricTrainingBudget } from './generation/metric-training';
export { MetricNetwork } from './generation/metric-network';
export type { MetricNetworkOptions } from './generation/metric-network';
export { asUnivariate, checkSequenceSet } from './generation/sequence-set';
export type { SequenceSet, SequenceSetShape } from './generation/sequence-set';
export {
  ArGenerator,
  BlockBootstrapGenerator,
  defaultBlockLength,
  pooledAutocovariance,
  yuleWalker,
} from './generation/classical-generators';
export type {
  SeriesGenerator,
  ArGeneratorOptions,
  BlockBootstrapOptions,
  YuleWalkerPath,
} from './generation/classical-generators';
export { lastWindows } from './generation/last-windows';
export {
  CLASSICAL_GENERATORS,
  generationTable,
  runGenerationEvaluation,
  validateGenerationEvalConfig,
} from './generation/generation-evaluation';
export type {
  ClassicalGenerator,
  GenerationEvalConfig,
  GenerationEvalResult,
  GenerationEvalRow,
} from './generation/generation-evaluation';

// sequence-to-sequence sensor benchmarks for HiSS (seeded generators)
export { rateRatio, splitBySequence } from './datasets/seq2seq-set';
export type { Seq2SeqSet, Seq2SeqSplits } from './datasets/seq2seq-set';
export {
  generateImuDeadReckoning,
  DEFAULT_IMU_ERRORS,
  DEFAULT_IMU_MOTION,
  IDEAL_IMU,
  IMU_INPUT_CHANNELS,
} from './datasets/imu-dead-reckoning';
export type {
  ImuBenchmarkOptions,
  ImuDataset,
  ImuInputFrame,
  ImuMotion,
  ImuSensorErrors,
  ImuTruth,
} from './datasets/imu-dead-reckoning';
export { generateTactileArray, DEFAULT_TACTILE_ERRORS, IDEAL_TACTILE } from './datasets/tactile-array';
export type { TactileArrayOptions, TactileDataset, TactileReadoutErrors } from './datasets/tactile-array';

// EBES-style evaluation of sequence-level models (classification and regression of whole sequences)
export { runSequenceEvaluation, splitPool, HPO_SPLIT } from './sequences/run-sequence-evaluation';
export {
  loadSequenceEvalConfig,
  readSequenceEvalFile,
  validateSequenceEvalConfig,
  resolveDataPath,
  SEQUENCE_BUDGETS,
  SEQUENCE_SOURCE_KINDS,
  ABLATIONS,
} from './sequences/sequence-eval-config';
export type {
  SequenceEvalConfig,
  SequenceSource,
  SequenceBudget,
  Ablation,
} from './sequences/sequence-eval-config';
export type {
  SequenceEvalResult,
  SequenceDatasetResult,
  SequenceModelResult,
  MeanStd,
} from './sequences/sequence-eval-results';
export { meanStd } from './sequences/sequence-eval-results';
export { sequenceMarkdown } from './sequences/sequence-table';
export { sequenceMetric, SEQUENCE_METRICS } from './sequences/sequence-metrics';
export type { SequenceMetric } from './sequences/sequence-metrics';
export {
  loadSequenceDataset,
  loadSequenceDatasets,
  JAPANESE_VOWELS,
} from './sequences/load-sequence-datasets';
export { ablate } from './sequences/ablations';
export type { SequenceDataset } from './sequences/datasets/sequence-dataset';
export { readUeaCases, ueaClassification } from './sequences/datasets/uea-ts-file';
export { pendulumDataset, pendulumAngles, DEFAULT_PENDULUM } from './sequences/datasets/pendulum';
export type { PendulumOptions } from './sequences/datasets/pendulum';
export {
  hawkesPairDataset,
  hawkesPairBayesAccuracy,
  DEFAULT_HAWKES_PAIR,
} from './sequences/datasets/hawkes-pair';
export type { HawkesPairOptions } from './sequences/datasets/hawkes-pair';
export { mannWhitneyU, exactUCounts } from './sequences/stats/mann-whitney';
export type { MannWhitneyResult } from './sequences/stats/mann-whitney';
export { benjaminiHochberg } from './sequences/stats/benjamini-hochberg';
export { groupModels, meanRanks } from './sequences/stats/model-groups';
export type { ModelGrouping, PairTest } from './sequences/stats/model-groups';
export { TpeSampler, optimise, DEFAULT_TPE } from './sequences/search/tpe';
export type { TpeOptions } from './sequences/search/tpe';
export { RandomSampler } from './sequences/search/random-search';
export type { Params, Trial, Sampler } from './sequences/search/search-types';
