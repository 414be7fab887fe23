import { Module } from '@nestjs/common';
import { DatasetsModule } from '@seqcast/data';
import { ArtifactStoreModule } from '../artifact-store.module';
import { EventModelsService } from './event-models.service';
import { TrainEventModelJobHandler } from './train-event-model.handler';

/** Event models (temporal point processes): creating, training, predicting and generating. */
@Module({
  imports: [DatasetsModule, ArtifactStoreModule],
  providers: [EventModelsService, TrainEventModelJobHandler],
  exports: [EventModelsService],
})
export class EventModelsModule {}
