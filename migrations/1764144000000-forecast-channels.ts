import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * Stored forecasts carry every channel, interval levels, quantiles and sample paths (in
 * `values`, format 2); these columns say which, so they can be queried without parsing it.
 * Rows from before describe one channel without quantiles or samples: the defaults.
 */
export class ForecastChannels1764144000000 implements MigrationInterface {
  name = 'ForecastChannels1764144000000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.addColumns('forecast', [
      new TableColumn(c.int('channels', { default: 1 })),
      new TableColumn(c.json('levels', true)),
      new TableColumn(c.json('quantiles', true)),
      new TableColumn(c.int('samples', { default: 0 })),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const name of ['samples', 'quantiles', 'levels', 'channels']) await qr.dropColumn('forecast', name);
  }
}
