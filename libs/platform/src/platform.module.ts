import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { DatasetsModule } from '@seqcast/data';
import { DbModule } from '@seqcast/db';
import { JobsModule } from '@seqcast/jobs';
import { ModelsModule } from '@seqcast/models';
import { PlatformMetrics } from './metrics/platform-metrics';
import { TensorModule } from './tensor/tensor.module';

/**
 * Everything a seqcast process needs besides its own edge (HTTP controllers, CLI
 * commands): configuration, database, job system and the feature services with their
 * job handlers. The api, the worker and the CLI all import this one module, so a job
 * type declared by a feature always has its handler wherever jobs run.
 */
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, features: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: PlatformModule,
      imports: [DbModule.forRoot(config), JobsModule.forRoot(), TensorModule, DatasetsModule, ModelsModule, ...(features ?? [])],
      providers: [PlatformMetrics],
      exports: [DbModule, JobsModule, DatasetsModule, ModelsModule, PlatformMetrics],
    };
  }
}
