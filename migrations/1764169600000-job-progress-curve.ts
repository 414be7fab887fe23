import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * `progressCurve` of jobs: the epochs a training job has ended so far ({epoch, epochs, loss,
 * valLoss}), so GET /jobs/:id gives the loss curve as numbers. Null for other jobs.
 */
export class JobProgressCurve1764169600000 implements MigrationInterface {
  name = 'JobProgressCurve1764169600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('job', new TableColumn(columns(qr).json('progressCurve', true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('job', 'progressCurve');
  }
}
