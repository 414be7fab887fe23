import { Module } from '@nestjs/common';
import { artifactStoreProvider, ARTIFACT_STORE } from './artifact-store.provider';
import { TrainCheckpoints } from './series/train/train-checkpoints';

/**
 * The artifact store under `<DATA_DIR>/artifacts`: every model family keeps its artifacts
 * there, and its training checkpoints beside them (TrainCheckpoints).
 */
@Module({
  providers: [artifactStoreProvider, TrainCheckpoints],
  exports: [ARTIFACT_STORE, TrainCheckpoints],
})
export class ArtifactStoreModule {}
