import { AppConfig, dataPaths } from '@seqcast/core';
import { ArtifactStore } from '@seqcast/tensor';

export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');

export const artifactStoreProvider = {
  provide: ARTIFACT_STORE,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => new ArtifactStore(dataPaths(config).artifacts),
};
