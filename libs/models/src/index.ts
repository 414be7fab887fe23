export * from './job-types';
export { ModelsModule } from './models.module';
export {
  ModelsService,
  MODEL_SCHEDULE_ACTIONS,
  type ModelScheduleAction,
  type NewModel,
} from './models.service';
export { ForecastService, clockOf, type ForecastRequest } from './forecast/forecast.service';
export {
  toForecastResult,
  forecastFromResult,
  type ForecastResult,
  type ForecastStep,
  type ForecastIds,
} from './forecast/forecast-result';
export { forecastsToIpc, forecastsToTable, forecastsFromTable } from './forecast/forecast-arrow';
export { toForecastRow, forecastFromRow } from './forecast/stored-forecast';
export { ARTIFACT_STORE } from './artifact-store.provider';
export { loadTargetSeries, checkSeriesTarget, type TargetSeries } from './series-data';
export type { BatchForecastResult, BatchForecastPayload } from './batch/batch-forecast.handler';
export type { TrainJobResult } from './train/train-model.handler';
export { EvaluationsService, type NewEvaluation } from './evaluate/evaluations.service';
export { EVALUATION_BACKTEST, type BacktestJobResult } from './evaluate/backtest.handler';
export { CalibrationService, type NewCalibrator, type Observation } from './calibrate/calibration.service';
export { MODEL_CALIBRATE, type CalibrationSettings } from './calibrate/calibrate.handler';
export { EventModelsService, type EventHistoryInput } from './events/event-models.service';
export { EVENT_MODEL_TRAIN } from './events/event-job-types';
export { EVALUATION_TPP } from './events/tpp-eval.handler';
export { trainDevTestSplit } from './events/event-splits';
