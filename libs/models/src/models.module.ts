import { Module } from '@nestjs/common';
import { DatasetsModule } from '@seqcast/data';
import { artifactStoreProvider, ARTIFACT_STORE } from './artifact-store.provider';
import { BatchForecastJobHandler } from './batch/batch-forecast.handler';
import { EventModelsService } from './events/event-models.service';
import { TppEvaluationJobHandler } from './events/tpp-eval.handler';
import { TrainEventModelJobHandler } from './events/train-event-model.handler';
import { CalibrateJobHandler } from './calibrate/calibrate.handler';
import { CalibrationService } from './calibrate/calibration.service';
import { CalibratorStates } from './calibrate/calibrator-states';
import { BacktestJobHandler } from './evaluate/backtest.handler';
import { EvaluationsService } from './evaluate/evaluations.service';
import { ForecastWriter } from './forecast/forecast-writer';
import { ForecastService } from './forecast/forecast.service';
import { ModelCache } from './forecast/model-cache';
import { ModelsService } from './models.service';
import { TrainModelJobHandler } from './train/train-model.handler';

/** Forecasting models as a feature: services, the model cache and the job handlers. */
@Module({
  imports: [DatasetsModule],
  providers: [
    artifactStoreProvider,
    ModelCache,
    ForecastWriter,
    ForecastService,
    ModelsService,
    TrainModelJobHandler,
    BatchForecastJobHandler,
    BacktestJobHandler,
    EvaluationsService,
    CalibratorStates,
    CalibrationService,
    CalibrateJobHandler,
    EventModelsService,
    TrainEventModelJobHandler,
    TppEvaluationJobHandler,
  ],
  exports: [
    EventModelsService,
    CalibrationService,
    EvaluationsService,
    ModelsService,
    ForecastService,
    ARTIFACT_STORE,
    ModelCache,
  ],
})
export class ModelsModule {}
