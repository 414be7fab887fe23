import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { ForecastEntity, ModelEntity, transactionRetryingConflicts } from '@seqcast/db';
import { DataSource, EntityManager } from 'typeorm';

const FLUSH_MS = 50;
/** Rows per INSERT statement: 13 parameters each stays far under SQLite's 32766. */
const ROWS_PER_INSERT = 500;

/**
 * Inserts forecast rows with multi-row INSERT statements whose values the driver prepares
 * exactly as typeorm's insert does (JSON columns, dates per database). typeorm's insert
 * builder, and the read-back of the created rows it does after, cost ~5% of a forecast
 * request's CPU under load, for rows nobody reads again in this process.
 */
async function insertRows(m: EntityManager, rows: ForecastEntity[]): Promise<void> {
  const { driver } = m.connection;
  const meta = m.connection.getMetadata(ForecastEntity);
  const table = meta.tablePath
    .split('.')
    .map((part) => driver.escape(part))
    .join('.');
  const names = meta.columns.map((c) => driver.escape(c.databaseName)).join(', ');
  for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
    const params: unknown[] = [];
    const tuples = rows.slice(from, from + ROWS_PER_INSERT).map((row) => {
      const marks = meta.columns.map((c) => {
        params.push(driver.preparePersistentValue(c.getEntityValue(row), c));
        return driver.createParameter(`p${params.length - 1}`, params.length - 1);
      });
      return `(${marks.join(', ')})`;
    });
    await m.query(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
}

/**
 * Persists forecasts write-behind: requests hand rows over and return; rows are
 * written in one transaction every FLUSH_MS, so a burst of forecast requests costs one
 * commit instead of one each. Shutdown flushes what is pending.
 */
@Injectable()
export class ForecastWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ForecastWriter');
  private pending: ForecastEntity[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly ds: DataSource) {}

  add(row: ForecastEntity): void {
    this.pending.push(row);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = this.pending;
    this.pending = [];
    if (rows.length) {
      this.flushing = this.flushing
        .then(() =>
          transactionRetryingConflicts(this.ds, async (m) => {
            const live = await this.liveModels(m, rows);
            const kept = rows.filter((r) => live.has(r.modelId));
            if (kept.length) await insertRows(m, kept);
          }),
        )
        .catch((e) => this.logger.error(`could not persist ${rows.length} forecasts: ${String(e)}`));
    }
    return this.flushing;
  }

  /**
   * The rows' models that still exist. On PostgreSQL their rows are locked (FOR SHARE) until
   * this insert commits, so a model deleted meanwhile in another process either waits and
   * then deletes these forecasts with it, or is gone and they are dropped: none outlives
   * its model. SQLite runs one writing transaction at a time, so the read is enough there.
   */
  private async liveModels(m: EntityManager, rows: ForecastEntity[]): Promise<Set<string>> {
    const q = m
      .getRepository(ModelEntity)
      .createQueryBuilder('model')
      .select('model.id', 'id')
      .where('model.id IN (:...ids)', { ids: [...new Set(rows.map((r) => r.modelId))] });
    if (m.connection.options.type === 'postgres') q.setLock('pessimistic_read');
    return new Set((await q.getRawMany<{ id: string }>()).map((r) => r.id));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
