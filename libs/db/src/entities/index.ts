import { ApiKeyEntity } from './api-key.entity';
import { AdapterEntity } from './adapter.entity';
import { OnlineSnapshotEntity, OnlineStateEntity } from './online-state.entity';
import { CalibratorEntity } from './calibrator.entity';
import { DatasetVersionEntity } from './dataset-version.entity';
import { DatasetEntity } from './dataset.entity';
import { ForecastEntity } from './forecast.entity';
import { JobEntity } from './job.entity';
import { ModelVersionEntity } from './model-version.entity';
import { ModelEntity } from './model.entity';
import { ScheduleEntity } from './schedule.entity';

export * from './dataset.entity';
export * from './dataset-version.entity';
export * from './model.entity';
export * from './model-version.entity';
export * from './job.entity';
export * from './forecast.entity';
export * from './schedule.entity';
export * from './calibrator.entity';
export * from './online-state.entity';
export * from './adapter.entity';
export * from './api-key.entity';

export const ENTITIES = [
  DatasetEntity,
  DatasetVersionEntity,
  ModelEntity,
  ModelVersionEntity,
  JobEntity,
  ForecastEntity,
  ScheduleEntity,
  CalibratorEntity,
  OnlineStateEntity,
  OnlineSnapshotEntity,
  AdapterEntity,
  ApiKeyEntity,
];
