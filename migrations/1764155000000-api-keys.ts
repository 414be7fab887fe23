import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from './portable-columns';

/** API keys: a hash per key (never the key), its public prefix, scopes and revocation time. */
export class ApiKeys1764155000000 implements MigrationInterface {
  name = 'ApiKeys1764155000000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(
      new Table({
        name: 'api_key',
        columns: [
          c.id(),
          c.varchar('name', 200, { default: "''" }),
          c.varchar('prefix', 32),
          c.varchar('hash', 64),
          c.json('scopes'),
          c.date('revokedAt'),
          c.created(),
        ],
        indices: [new TableIndex({ name: 'ux_api_key_hash', columnNames: ['hash'], isUnique: true })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('api_key');
  }
}
