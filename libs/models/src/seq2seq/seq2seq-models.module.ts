import { Module } from '@nestjs/common';
import { DatasetsModule } from '@seqcast/data';
import { ArtifactStoreModule } from '../artifact-store.module';
import { Seq2SeqModelsService } from './seq2seq-models.service';
import { TrainSeq2SeqModelJobHandler } from './train-seq2seq-model.handler';

/** Sequence-to-sequence models (HiSS and its flat baselines): creating, training, predicting. */
@Module({
  imports: [DatasetsModule, ArtifactStoreModule],
  providers: [Seq2SeqModelsService, TrainSeq2SeqModelJobHandler],
  exports: [Seq2SeqModelsService],
})
export class Seq2SeqModelsModule {}
