import * as fs from 'node:fs';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { DatasetsService } from './datasets.service';

/** The real series a new installation shows: monthly CO2 at Mauna Loa, from the `vega-datasets` package. */
export const DEMO_DATASET = {
  name: 'co2-concentration',
  description:
    'Monthly mean CO2 at Mauna Loa (ppm), 1958 onwards, with the seasonally adjusted series (vega-datasets).',
  file: 'vega-datasets/data/co2-concentration.csv',
};

/**
 * On first start (no datasets yet) loads the demo dataset, so `GET /datasets` shows
 * real data at once. SEQCAST_DEMO_DATA=false turns it off.
 */
@Injectable()
export class DemoDataLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger('datasets');

  constructor(
    private readonly datasets: DatasetsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEQCAST_DEMO_DATA || this.config.ROLE === 'worker') return;
    try {
      await this.datasets.store.init();
      if ((await this.datasets.count()) > 0) return;
      const file = require.resolve(DEMO_DATASET.file);
      const d = await this.datasets.create(
        fs.createReadStream(file),
        { name: DEMO_DATASET.name, description: DEMO_DATASET.description, kind: 'series' },
        {
          format: 'csv',
          roles: { timeColumn: 'Date', valueColumns: ['CO2', 'adjusted CO2'], keyColumns: [] },
        },
      );
      this.logger.log(`loaded the demo dataset ${d.name} (${d.latest?.rowCount} rows) as ${d.id}`);
    } catch (e) {
      // A missing demo must not stop the server.
      this.logger.warn(`demo dataset not loaded: ${(e as Error).message}`);
    }
  }
}
