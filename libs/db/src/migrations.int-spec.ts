import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@seqcast/core';
import { dataSourceOptions } from '@seqcast/db';
import { MIGRATIONS } from '@seqcast/migrations';
import { freshPostgresUrl } from '../../../test/support/postgres';

async function checkUpDown(ds: DataSource): Promise<void> {
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    // The migrated schema is exactly what the entities declare: no pending changes.
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables = await ds.query(
      ds.options.type === 'postgres'
        ? "select table_name as name from information_schema.tables where table_schema = current_schema() and table_name <> 'migrations'"
        : "select name from sqlite_master where type = 'table' and name not in ('migrations', 'sqlite_sequence')",
    );
    expect(tables).toEqual([]);
    // And up again after down: migrations are re-runnable.
    expect((await ds.runMigrations()).length).toBe(MIGRATIONS.length);
  } finally {
    await ds.destroy();
  }
}

describe('migrations', () => {
  it('run up and down on SQLite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-mig-'));
    await checkUpDown(new DataSource(dataSourceOptions(loadConfig({ DATA_DIR: dir }))));
  });

  it('run up and down on PostgreSQL', async () => {
    const { url, drop } = await freshPostgresUrl();
    try {
      await checkUpDown(new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: url }))));
    } finally {
      await drop();
    }
  });
});
