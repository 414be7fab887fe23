import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * A schedule does not start a run while its previous one is still queued or running;
 * `skippedRuns` and `lastSkippedAt` record those skipped fires.
 */
export class ScheduleSkips1764151200000 implements MigrationInterface {
  name = 'ScheduleSkips1764151200000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.addColumn('schedule', new TableColumn(c.int('skippedRuns', { default: 0 })));
    await qr.addColumn('schedule', new TableColumn(c.date('lastSkippedAt')));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('schedule', 'lastSkippedAt');
    await qr.dropColumn('schedule', 'skippedRuns');
  }
}
