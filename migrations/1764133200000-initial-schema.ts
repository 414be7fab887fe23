import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from './portable-columns';

/** Datasets and their versions, models and their versions, jobs, forecasts, schedules. */
export class InitialSchema1764133200000 implements MigrationInterface {
  name = 'InitialSchema1764133200000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(
      new Table({
        name: 'dataset',
        columns: [c.id(), c.varchar('name', 200), c.varchar('kind', 16), c.text('description', true), c.created(), c.updated()],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'dataset_version',
        columns: [
          c.id(),
          c.ref('datasetId'),
          c.int('version'),
          c.json('files'),
          c.varchar('contentHash', 64),
          c.json('schema'),
          c.json('stats'),
          c.int('rowCount'),
          c.int('seriesCount', { default: 0 }),
          c.int('eventCount', { default: 0 }),
          c.date('timeStart'),
          c.date('timeEnd'),
          c.varchar('frequency', 32, { isNullable: true }),
          c.created(),
        ],
        indices: [new TableIndex({ name: 'uq_dataset_version', columnNames: ['datasetId', 'version'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'model',
        columns: [
          c.id(),
          c.varchar('name', 200),
          c.varchar('kind', 64),
          c.json('config'),
          c.ref('datasetId', true),
          c.varchar('target', 200, { isNullable: true }),
          c.int('lookback', { isNullable: true }),
          c.int('horizon', { isNullable: true }),
          c.varchar('status', 16, { default: "'created'" }),
          c.ref('latestVersionId', true),
          c.created(),
          c.updated(),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'model_version',
        columns: [
          c.id(),
          c.ref('modelId'),
          c.int('version'),
          c.varchar('artifactRef', 500),
          c.ref('datasetVersionId', true),
          c.json('metrics', true),
          c.varchar('backend', 32, { isNullable: true }),
          c.created(),
        ],
        indices: [new TableIndex({ name: 'uq_model_version', columnNames: ['modelId', 'version'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'job',
        columns: [
          c.id(),
          c.varchar('type', 100),
          c.json('payload'),
          c.varchar('status', 16),
          c.float('progress', { default: 0 }),
          c.text('progressMessage', true),
          c.json('result', true),
          c.text('error', true),
          c.int('attempts', { default: 0 }),
          c.int('maxAttempts', { default: 1 }),
          c.bool('cancelRequested', false),
          c.ref('scheduleId', true),
          c.created(),
          c.updated(),
          c.date('startedAt'),
          c.date('finishedAt'),
        ],
        indices: [new TableIndex({ name: 'ix_job_status', columnNames: ['status'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'forecast',
        columns: [
          c.id(),
          c.ref('modelId'),
          c.ref('modelVersionId', true),
          c.varchar('seriesKey', 500),
          c.date('origin'),
          c.int('horizon'),
          c.json('values'),
          c.ref('jobId', true),
          c.created(),
        ],
        indices: [new TableIndex({ name: 'ix_forecast_model', columnNames: ['modelId', 'seriesKey'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'schedule',
        columns: [
          c.id(),
          c.varchar('name', 200),
          c.varchar('cron', 100),
          c.varchar('timezone', 64, { default: "'UTC'" }),
          c.varchar('jobType', 100),
          c.json('payload'),
          c.bool('enabled', true),
          c.date('lastFiredAt'),
          c.created(),
          c.updated(),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['schedule', 'forecast', 'job', 'model_version', 'model', 'dataset_version', 'dataset']) {
      await qr.dropTable(t);
    }
  }
}
