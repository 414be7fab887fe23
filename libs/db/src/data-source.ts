import * as fs from 'fs';
import * as path from 'path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig, dataPaths } from '@seqcast/core';
import { MIGRATIONS } from '@seqcast/migrations';
import { ENTITIES } from './entities';

export type DatabaseEngine = 'sqlite' | 'postgres';

export function databaseEngine(config: AppConfig): DatabaseEngine {
  return config.DATABASE_URL ? 'postgres' : 'sqlite';
}

/**
 * The one place that says how seqcast talks to its database; the app, the worker, the
 * CLI and the TypeORM CLI all build their DataSource here. Schema changes only through
 * migrations (`synchronize` is off).
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false } as const;
  if (config.DATABASE_URL) {
    return { ...common, type: 'postgres', url: config.DATABASE_URL, extra: { max: 10 } };
  }
  const file = dataPaths(config).sqlite;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // WAL lets readers (GET /jobs/:id) proceed while a job writes progress.
    enableWAL: true,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      // In WAL mode NORMAL is crash-safe (a power cut may lose the last commits, never corrupt).
      db.pragma('synchronous = NORMAL');
    },
  };
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(config: AppConfig, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  if (opts.migrate ?? true) await migrateLocked(ds);
  return ds;
}

/** Arbitrary but fixed: the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK = 74_210_931;

/**
 * Runs pending migrations. On PostgreSQL several replicas may boot at once, so the run
 * holds an advisory lock; the others wait, then find nothing left to do.
 */
async function migrateLocked(ds: DataSource): Promise<void> {
  if (ds.options.type !== 'postgres') {
    await ds.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
