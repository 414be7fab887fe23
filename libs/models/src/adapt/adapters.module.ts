import { Module } from '@nestjs/common';
import { SeriesModelsModule } from '../series/series-models.module';
import { AdaptationService } from './adaptation.service';

/** Online adapters of a series model: attached here, advanced by forecasts and observations. */
@Module({
  imports: [SeriesModelsModule],
  providers: [AdaptationService],
  exports: [AdaptationService],
})
export class AdaptersModule {}
