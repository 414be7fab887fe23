import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * `fitOn` of model versions: 'split' (the train part of each series, as every version before
 * this was) or 'all' (refitted on every row after validation picked the settings).
 */
export class ModelVersionFitOn1764166000000 implements MigrationInterface {
  name = 'ModelVersionFitOn1764166000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'model_version',
      new TableColumn(columns(qr).varchar('fitOn', 8, { default: "'split'" })),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('model_version', 'fitOn');
  }
}
