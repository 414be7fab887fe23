// @seqcast/events: the temporal point process zoo (RMTPP, NHP, THP, SAHP, AttNHP, FullyNN,
// IntensityFree and its joint variant), thinning and the Hawkes simulator. Their evaluation
// (the EasyTPP-style runner and its dataset sources) is @seqcast/eval's.

export type {
  EventSequence,
  EventDataset,
  EventHistory,
  EventModel,
  EventModelArtifact,
  NextEventPrediction,
  NextEventSample,
  PredictOptions,
  GenerateOptions,
  GeneratedContinuations,
  LogLikelihoodResult,
  FitResult,
} from './types';

// conventions: the window and unit of reported likelihoods, the backend event work runs on
export { LL_WINDOW } from './conventions/likelihood-window';
export type { TimeUnit } from './conventions/likelihood-window';
export { EVENT_MODELS_AUTO_BACKEND, eventBackendRequest } from './conventions/backend-choice';

// registry and configs
export { eventModelRegistry, eventModel } from './registry';
export type { RegisteredEventModel, EventModelDefinition } from './registry';

// models
export { NeuralEventModel } from './models/neural-event-model';
export { RmtppModel } from './models/rmtpp';
export { NhpModel } from './models/nhp';
export { ThpModel } from './models/thp';
export { SahpModel } from './models/sahp';
export { AttNhpModel } from './models/attnhp';
export { FullyNnModel } from './models/fullynn';
export { IntensityFreeModel } from './models/intensity-free';
export { PoissonModel } from './baselines/poisson';

// Hawkes ground truth
export type { HawkesParams } from './hawkes/hawkes-params';
export { DEFAULT_HAWKES, branchingRatio, validateHawkesParams } from './hawkes/hawkes-params';
export { simulateHawkes, simulateHawkesSequence } from './hawkes/simulate';
export { hawkesLogLikelihood, hawkesSequenceLogLikelihood } from './hawkes/log-likelihood';
export { hawkesIntensity, hawkesCompensator } from './hawkes/intensity';
export { hawkesTypeTimeInformation, hawkesNextTypeProbabilities } from './hawkes/type-time-information';
export { HawkesModel } from './hawkes/hawkes-model';
export { fitHawkesEm, fitHawkesEmOverBetas } from './hawkes/fit-hawkes-em';
export type { HawkesEmFit, HawkesEmOptions } from './hawkes/fit-hawkes-em';
export { realShapedSets } from './testing/real-shaped';
export type { RealShapedSet } from './testing/real-shaped';

// sampling
export { thinningSample } from './sampling/thinning';
export type { IntensityEvaluator, ThinningOptions, ThinningResult } from './sampling/thinning';
export { ksTest, exponentialCdf } from './sampling/ks-test';
export { intensityCurve, intensityOnGrid, defaultHorizon } from './sampling/intensity-curve';
export type { IntensityCurve } from './sampling/intensity-curve';
export { intensityAlong } from './sampling/intensity-along';
export type { IntensityAlong } from './sampling/intensity-along';
export type { EachNextPredictions } from './sampling/predict';

// data
export { makeEventBatch } from './data/event-batch';
export type { EventBatch } from './data/event-batch';
export { splitSequences, validateEventDataset, meanGap } from './data/dataset-utils';

// sequence-level models (EBES: classify or regress whole sequences)
export { sequenceModelRegistry } from './sequences/sequence-registry';
export type { SequenceModelDefinition } from './sequences/sequence-registry';
export { NeuralSequenceModel } from './sequences/neural-sequence-model';
export type { SequenceArtifact, SequenceTrainingConfig } from './sequences/neural-sequence-model';
export { ColesModel, colesLoss } from './sequences/coles';
export { DEFAULT_SEARCH_SPACES } from './sequences/sequence-config';
export type { SearchSpace, SearchDimension } from './sequences/sequence-config';
export { checkSequenceRows } from './sequences/input-encoding';
export type { SequenceRow, SequenceSchema, SequenceTask, SequenceFitReport, SequenceModel } from './sequences/types';

// long horizons: HYPRO and the metrics it is judged by
export { HyproModel, canRerank } from './hypro/hypro-model';
export type { RerankingEventModel } from './hypro/hypro-model';
export type { HyproConfig } from './hypro/hypro-config';
export { generateMany, horizonWindows } from './hypro/continuations';
export type { NextEventSampler } from './sampling/predict';
export type { HorizonWindow } from './hypro/continuations';
export { otd, otdAt, countSquaredError, horizonMetrics, OTD_DELETION_COSTS } from './metrics/otd';
