import { Module } from '@nestjs/common';
import { DatasetsModule } from '@seqcast/data';
import { ArtifactStoreModule } from '../artifact-store.module';
import { EventModelsModule } from '../events/event-models.module';
import { Seq2SeqModelsModule } from '../seq2seq/seq2seq-models.module';
import { SeriesModelsModule } from '../series/series-models.module';
import { DeletionsService } from './deletions.service';
import { ModelDiskUsage } from './model-disk-usage';

/** What datasets and models take on disk, and deleting them (rows, then files). */
@Module({
  imports: [DatasetsModule, ArtifactStoreModule, SeriesModelsModule, EventModelsModule, Seq2SeqModelsModule],
  providers: [DeletionsService, ModelDiskUsage],
  exports: [DeletionsService, ModelDiskUsage],
})
export class StorageModule {}
