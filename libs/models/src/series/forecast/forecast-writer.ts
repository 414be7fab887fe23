import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { ForecastEntity } from '@seqcast/db';
import { DataSource } from 'typeorm';

const FLUSH_MS = 50;

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
          this.ds
            .transaction((m) => m.getRepository(ForecastEntity).insert(rows as never[]))
            .then(() => undefined),
        )
        .catch((e) => this.logger.error(`could not persist ${rows.length} forecasts: ${String(e)}`));
    }
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
