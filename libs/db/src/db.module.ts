import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { DataSource } from 'typeorm';
import { openDatabase } from './data-source';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Provides the validated configuration and an initialised, migrated DataSource.
 * Migrations run at boot, so a new version of seqcast upgrades its own schema.
 */
@Global()
@Module({})
export class DbModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DbModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: AppConfig, useValue: config },
        { provide: DataSource, useFactory: () => openDatabase(config) },
      ],
      exports: [APP_CONFIG, AppConfig, DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
