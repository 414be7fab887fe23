import { Module } from '@nestjs/common';
import { AppConfig, dataPaths } from '@seqcast/core';
import { DatasetStore } from './store/dataset-store';
import { DATASET_STORE, DatasetsService } from './service/datasets.service';
import { DemoDataLoader } from './service/demo-data';

/**
 * The datasets feature for Nest: the store under `<DATA_DIR>/datasets`, the service,
 * and the first-start demo loader. Needs the global AppConfig and DataSource (DbModule).
 * HTTP controllers live in apps/api.
 */
@Module({
  providers: [
    {
      provide: DATASET_STORE,
      useFactory: (config: AppConfig) =>
        new DatasetStore(dataPaths(config).datasets, { leaseTtlMs: config.UPLOAD_LEASE_TTL_MS }),
      inject: [AppConfig],
    },
    DatasetsService,
    DemoDataLoader,
  ],
  exports: [DatasetsService, DATASET_STORE],
})
export class DatasetsModule {}
