import { Module } from '@nestjs/common';
import { DatasetsModule } from '@seqcast/data';
import { ArtifactStoreModule } from '../artifact-store.module';
import { BatchForecastJobHandler } from './batch/batch-forecast.handler';
import { AdapterStates } from './forecast/adapter-states';
import { CalibratorStates } from './forecast/calibrator-states';
import { ForecastWriter } from './forecast/forecast-writer';
import { ForecastService } from './forecast/forecast.service';
import { ModelCache } from './forecast/model-cache';
import { ModelsService } from './models.service';
import { TrainModelJobHandler } from './train/train-model.handler';
import { ModelUpdatesService } from './update/model-updates.service';
import { UpdateModelJobHandler } from './update/update-model.handler';

/**
 * Series models: creating, training and updating forecasters, serving their forecasts (JSON, Arrow,
 * stored) and batch forecasts. The live calibrators belong here because every served
 * forecast goes through them; the calibrators feature fits them.
 */
@Module({
  imports: [DatasetsModule, ArtifactStoreModule],
  providers: [
    ModelCache,
    ForecastWriter,
    CalibratorStates,
    AdapterStates,
    ForecastService,
    ModelsService,
    TrainModelJobHandler,
    BatchForecastJobHandler,
    ModelUpdatesService,
    UpdateModelJobHandler,
  ],
  exports: [
    ArtifactStoreModule,
    ModelsService,
    ModelUpdatesService,
    ForecastService,
    ForecastWriter,
    ModelCache,
    CalibratorStates,
    AdapterStates,
  ],
})
export class SeriesModelsModule {}
