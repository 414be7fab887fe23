import { InitialSchema1764133200000 } from './1764133200000-initial-schema';
import { Calibrators1764136800000 } from './1764136800000-calibrators';
import { ModelFamily1764140400000 } from './1764140400000-model-family';
import { ForecastChannels1764144000000 } from './1764144000000-forecast-channels';
import { ModelTargets1764147600000 } from './1764147600000-model-targets';
import { ScheduleSkips1764151200000 } from './1764151200000-schedule-skips';
import { ApiKeys1764155000000 } from './1764155000000-api-keys';
import { DiskBytes1764158800000 } from './1764158800000-disk-bytes';
import { OnlineState1764162400000 } from './1764162400000-online-state';
import { ModelVersionFitOn1764166000000 } from './1764166000000-model-version-fit-on';
import { JobProgressCurve1764169600000 } from './1764169600000-job-progress-curve';

/** Every migration, oldest first. New migrations are appended here. */
export const MIGRATIONS = [
  InitialSchema1764133200000,
  Calibrators1764136800000,
  ModelFamily1764140400000,
  ForecastChannels1764144000000,
  ModelTargets1764147600000,
  ScheduleSkips1764151200000,
  ApiKeys1764155000000,
  DiskBytes1764158800000,
  OnlineState1764162400000,
  ModelVersionFitOn1764166000000,
  JobProgressCurve1764169600000,
];
