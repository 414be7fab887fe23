import { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AppConfig, loadConfig } from '@seqcast/core';
import { DatasetsService, DatasetView, UploadOptions } from '@seqcast/data';
import { DbModule, JobEntity } from '@seqcast/db';
import { JobsModule, JobStore } from '@seqcast/jobs';
import { selectBackend } from '@seqcast/tensor';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** An upload's options but its format (CSV). */
export type CsvOptions = Omit<UploadOptions, 'format'>;

/** A model feature booted as a process runs it, for unit specs: no PostgreSQL, no Redis. */
export interface FeatureApp {
  config: AppConfig;
  get<T>(token: Type<T> | string | symbol): T;
  datasets: DatasetsService;
  /** A dataset from CSV text, with its roles named. */
  uploadCsv(name: string, csv: string, options: CsvOptions): Promise<DatasetView>;
  /** The job once it has succeeded or failed (jobs run on the in-process queue). */
  settle(jobId: string, ms?: number): Promise<JobEntity>;
  close(): Promise<void>;
}

/**
 * Boots `feature` with the database (SQLite in memory, migrated) and the job system (the
 * in-process queue, since no REDIS_URL is given) under a temporary DATA_DIR; training and
 * other heavy tasks still run in worker threads, as in a server.
 */
export async function bootFeature(
  feature: Type<unknown>,
  env: Record<string, string> = {},
): Promise<FeatureApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'seqcast-feature-'));
  const config = loadConfig({
    DATA_DIR: dir,
    SQLITE_PATH: ':memory:',
    TF_BACKEND: 'cpu',
    SEQCAST_DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  // the main thread loads trained models to serve them, as TensorModule's boot would allow
  await selectBackend('cpu');
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [DbModule.forRoot(config), JobsModule.forRoot(), feature],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  const jobs = moduleRef.get(JobStore);
  const datasets = moduleRef.get(DatasetsService);
  return {
    config,
    get: (token) => moduleRef.get(token),
    datasets,
    uploadCsv: (name, csv, options) =>
      datasets.create(
        (async function* () {
          yield csv;
        })(),
        { name, kind: options.kind ?? 'series' },
        { ...options, format: 'csv' },
      ),
    async settle(jobId, ms = 60_000) {
      const until = Date.now() + ms;
      for (;;) {
        const job = await jobs.get(jobId);
        if (job.status === 'succeeded' || job.status === 'failed') return job;
        if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status} after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await moduleRef.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An hourly series as CSV (`time,value`) from 2024-01-01 UTC. */
export function hourlyCsv(values: ArrayLike<number>): string {
  const start = Date.UTC(2024, 0, 1);
  const rows = Array.from(values, (v, i) => `${new Date(start + i * 3_600_000).toISOString()},${v}`);
  return ['time,value', ...rows].join('\n');
}

/** CSV roles of `hourlyCsv`. */
export const HOURLY_ROLES: CsvOptions = {
  roles: { timeColumn: 'time', valueColumns: ['value'], keyColumns: [] },
};
