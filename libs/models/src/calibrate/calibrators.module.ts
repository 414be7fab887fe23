import { Module } from '@nestjs/common';
import { SeriesModelsModule } from '../series/series-models.module';
import { CalibrateJobHandler } from './calibrate.handler';
import { CalibrationService } from './calibration.service';

/** Conformal calibrators of a series model: fitted by a job, updated by observations. */
@Module({
  imports: [SeriesModelsModule],
  providers: [CalibrationService, CalibrateJobHandler],
  exports: [CalibrationService],
})
export class CalibratorsModule {}
