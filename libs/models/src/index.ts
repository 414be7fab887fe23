// @seqcast/models: the model features as Nest modules, each with its services and job
// handlers (series models, calibrators, event models, evaluations); ModelsModule holds all four.
export { ModelsModule } from './models.module';
export { SeriesModelsModule } from './series/series-models.module';
export { CalibratorsModule } from './calibrate/calibrators.module';
export { AdaptersModule } from './adapt/adapters.module';
export { EventModelsModule } from './events/event-models.module';
export { Seq2SeqModelsModule } from './seq2seq/seq2seq-models.module';
export { EvaluationsModule } from './evaluate/evaluations.module';
export { ArtifactStoreModule } from './artifact-store.module';
export { StorageModule } from './storage/storage.module';
export { DeletionsService } from './storage/deletions.service';
export { ModelDiskUsage } from './storage/model-disk-usage';
export * from './series/job-types';
export {
  ModelsService,
  MODEL_SCHEDULE_ACTIONS,
  type ModelScheduleAction,
  type NewModel,
} from './series/models.service';
export { ModelCache } from './series/forecast/model-cache';
export { ForecastService, clockOf, type ForecastRequest } from './series/forecast/forecast.service';
export {
  toForecastResult,
  forecastFromResult,
  type ForecastResult,
  type ForecastStep,
  type ForecastIds,
} from './series/forecast/forecast-result';
export { forecastsToIpc, forecastsToTable, forecastsFromTable } from './series/forecast/forecast-arrow';
export { toForecastRow, forecastFromRow } from './series/forecast/stored-forecast';
export { ARTIFACT_STORE } from './artifact-store.provider';
export {
  loadTargetSeries,
  loadChannelSeries,
  checkSeriesTarget,
  checkSeriesTargets,
  modelTargets,
  type TargetSeries,
  type ChannelSeries,
} from './series-data';
export type { BatchForecastResult, BatchForecastPayload } from './series/batch/batch-forecast.handler';
export type { TrainJobResult, TrainModelPayload } from './series/train/train-model.handler';
export { checkpointFile, TrainCheckpoints, trainRequestKey } from './series/train/train-checkpoints';
export type { TrainCheckpointView } from './series/train/train-checkpoints';
export {
  ModelUpdatesService,
  type UpdateSource,
  type UpdatePayload,
} from './series/update/model-updates.service';
export type { UpdateJobResult } from './series/update/update-model.handler';
export { EvaluationsService, EVALUATION_TYPES, type NewEvaluation } from './evaluate/evaluations.service';
export { EVALUATION_BACKTEST, type BacktestJobResult } from './evaluate/backtest.handler';
export { CalibrationService, type NewCalibrator, type Observation } from './calibrate/calibration.service';
export { AdaptationService, type NewAdapter, type AdapterSeriesState } from './adapt/adaptation.service';
export { MODEL_CALIBRATE, type CalibrationSettings } from './calibrate/calibrate.handler';
export { EventModelsService, type EventHistoryInput } from './events/event-models.service';
export { EVENT_MODEL_TRAIN } from './events/event-job-types';
export { Seq2SeqModelsService, MAX_PREDICT_SEQUENCES } from './seq2seq/seq2seq-models.service';
export { SEQ2SEQ_MODEL_TRAIN } from './seq2seq/seq2seq-job-types';
export { EVALUATION_TPP } from './evaluate/tpp-eval.handler';
export { EVALUATION_SEQUENCES } from './evaluate/sequences-eval.handler';
export { trainDevTestSplit } from './events/event-splits';
