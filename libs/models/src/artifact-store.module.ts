import { Module } from '@nestjs/common';
import { artifactStoreProvider, ARTIFACT_STORE } from './artifact-store.provider';

/** The artifact store under `<DATA_DIR>/artifacts`: series and event models keep their artifacts there. */
@Module({
  providers: [artifactStoreProvider],
  exports: [ARTIFACT_STORE],
})
export class ArtifactStoreModule {}
