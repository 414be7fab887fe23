import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from './portable-columns';

/**
 * Online adaptation: adapters attached to models, and one per-series online state store for
 * everything that learns from observations (calibrators and adapters alike): `online_state`
 * replaces `calibrator_state` (its rows move over as owner kind 'calibrator'); adapters keep
 * earlier states of a series in `online_snapshot` for rollback.
 */
export class OnlineState1764162400000 implements MigrationInterface {
  name = 'OnlineState1764162400000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(
      new Table({
        name: 'adapter',
        columns: [
          c.id(),
          c.ref('modelId'),
          c.varchar('method', 32),
          c.json('options'),
          c.varchar('status', 16),
          c.ref('modelVersionId', true),
          c.created(),
          c.updated(),
        ],
        indices: [new TableIndex({ name: 'ix_adapter_model', columnNames: ['modelId'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'online_state',
        columns: [
          { ...c.ref('ownerId'), isPrimary: true },
          { ...c.varchar('seriesKey', 500), isPrimary: true },
          c.varchar('ownerKind', 16),
          c.json('state'),
          c.int('updates', { default: 0 }),
          c.updated(),
        ],
      }),
    );
    await qr.query(
      `INSERT INTO online_state ("ownerId", "seriesKey", "ownerKind", "state", "updates", "updatedAt")
       SELECT "calibratorId", "seriesKey", 'calibrator', "state", "updates", "updatedAt" FROM calibrator_state`,
    );
    await qr.dropTable('calibrator_state');
    await qr.createTable(
      new Table({
        name: 'online_snapshot',
        columns: [
          { ...c.ref('ownerId'), isPrimary: true },
          { ...c.varchar('seriesKey', 500), isPrimary: true },
          { ...c.int('seq'), isPrimary: true },
          c.json('state'),
          c.created(),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.dropTable('online_snapshot');
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
    await qr.query(
      `INSERT INTO calibrator_state ("calibratorId", "seriesKey", "state", "updates", "updatedAt")
       SELECT "ownerId", "seriesKey", "state", "updates", "updatedAt" FROM online_state WHERE "ownerKind" = 'calibrator'`,
    );
    await qr.dropTable('online_state');
    await qr.dropTable('adapter');
  }
}
