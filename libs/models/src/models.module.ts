import { Module } from '@nestjs/common';
import { AdaptersModule } from './adapt/adapters.module';
import { CalibratorsModule } from './calibrate/calibrators.module';
import { EvaluationsModule } from './evaluate/evaluations.module';
import { EventModelsModule } from './events/event-models.module';
import { Seq2SeqModelsModule } from './seq2seq/seq2seq-models.module';
import { SeriesModelsModule } from './series/series-models.module';
import { StorageModule } from './storage/storage.module';

const FEATURES = [
  SeriesModelsModule,
  CalibratorsModule,
  AdaptersModule,
  EventModelsModule,
  Seq2SeqModelsModule,
  EvaluationsModule,
  StorageModule,
];

/** Every model feature with its services and job handlers: what a seqcast process imports. */
@Module({ imports: FEATURES, exports: FEATURES })
export class ModelsModule {}
