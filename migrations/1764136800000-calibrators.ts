import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from './portable-columns';

/** Conformal calibrators of models and their per-series residual state. */
export class Calibrators1764136800000 implements MigrationInterface {
  name = 'Calibrators1764136800000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(
      new Table({
        name: 'calibrator',
        columns: [
          c.id(),
          c.ref('modelId'),
          c.varchar('method', 32),
          c.json('alpha'),
          c.json('options'),
          c.varchar('status', 16),
          c.ref('modelVersionId', true),
          c.ref('jobId', true),
          c.created(),
          c.updated(),
        ],
        indices: [new TableIndex({ name: 'ix_calibrator_model', columnNames: ['modelId'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'calibrator_state',
        columns: [
          { ...c.ref('calibratorId'), isPrimary: true },
          { ...c.varchar('seriesKey', 500), isPrimary: true },
          c.json('state'),
          c.int('updates', { default: 0 }),
          c.updated(),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('calibrator_state');
    await qr.dropTable('calibrator');
  }
}
