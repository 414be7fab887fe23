import { randomUUID } from 'crypto';
import { tableFromIPC } from 'apache-arrow';
import * as fs from 'fs';
import * as path from 'path';
import { collectBytes, startApi, tempDataDir, TestApi, waitFor } from '../../support/api';
import { Proc, startWorkerProcess, stop } from '../../support/processes';

/**
 * What every fault scenario shares: the production layout (an api-only process that
 * enqueues, worker processes that run the jobs, one DATA_DIR), a generated dataset, jobs
 * that take seconds rather than milliseconds, and the count that each scenario ends with.
 */

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];

export interface JobRow {
  id: string;
  type: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  result: Record<string, unknown> | null;
}

/** Settings of every process in a scenario: short locks so a killed worker's job moves on in a second or two. */
export function faultEnv(
  databaseUrl: string,
  redisUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATA_DIR: tempDataDir('seqcast-fault-'),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    // A queue of the scenario's own, so suites on the same Redis never take each other's jobs.
    QUEUE_NAME: `fault-${randomUUID().slice(0, 8)}`,
    JOBS_LOCK_MS: '1500',
    JOBS_RECONCILE_INTERVAL_MS: '1000',
    SHUTDOWN_GRACE_MS: '0',
    TF_BACKEND: 'cpu',
    ...extra,
  };
}

/** The api (ROLE=api, in this process) and worker processes on one configuration. */
export class FaultStack {
  api!: TestApi;
  readonly workers: Proc[] = [];
  /** Every model made through createModel, for the artifact count. */
  readonly models: string[] = [];

  constructor(readonly env: Record<string, string>) {}

  async start(workers: number): Promise<this> {
    this.api = await startApi({ ...this.env, ROLE: 'api' });
    for (let i = 0; i < workers; i++) await this.addWorker();
    return this;
  }

  async addWorker(): Promise<Proc> {
    // At info level a worker's log tells its shutdown and hand-backs, which the scenarios read.
    const w = await startWorkerProcess({ ...this.env, LOG_LEVEL: 'info' }, 60000);
    this.workers.push(w);
    return w;
  }

  /** The live worker that started the job's current attempt (its log says so). */
  async holderOf(id: string, ms = 30000): Promise<Proc> {
    const started = (w: Proc) =>
      w
        .output()
        .split('\n')
        .some((line) => line.includes(`job ${id} `) && line.includes(`started in process ${w.child.pid}`));
    const [holder] = await waitFor(
      async () => this.live().filter(started),
      (ws) => ws.length === 1,
      ms,
    );
    return holder;
  }

  live(): Proc[] {
    return this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => stop(w, 'SIGKILL')));
    await this.api?.close();
    fs.rmSync(this.env.DATA_DIR, { recursive: true, force: true });
  }

  http() {
    return this.api.http();
  }

  async job(id: string): Promise<JobRow> {
    return (await this.http().get(`/jobs/${id}`).expect(200)).body;
  }

  /**
   * A dataset of `series` sine-plus-noise series of `length` hourly points, uploaded as CSV
   * (column `value`, key `key`); returns its id.
   */
  async uploadSeries(series: number, length: number): Promise<string> {
    const body = seriesCsv(series, length);
    const res = await this.http()
      .post(`/datasets?name=fault-${series}x${length}&kind=series&keyColumns=key&timeColumn=ts`)
      .set('Content-Type', 'text/csv')
      .send(body)
      .expect(201);
    return res.body.id;
  }

  async createModel(datasetId: string, kind: string, config: Record<string, unknown> = {}): Promise<string> {
    const res = await this.http()
      .post('/models')
      .send({ kind, datasetId, target: 'value', lookback: 24, horizon: 6, config })
      .expect(201);
    this.models.push(res.body.id);
    return res.body.id;
  }

  /**
   * A trained closed-form model (NLinear ridge) over `series` series of 60 rows: its training
   * is quick, its batch forecast is not, so a batch can be interrupted mid-way.
   */
  async trainedBatchModel(series: number): Promise<string> {
    const model = await this.createModel(await this.uploadSeries(series, 60), 'nlinear');
    const [fitted] = await this.settle([await this.train(model)], 60000);
    if (fitted.status !== 'succeeded' || fitted.error !== null)
      throw new Error(`the batch model did not train: ${fitted.status} ${fitted.error}`);
    return model;
  }

  async train(modelId: string): Promise<string> {
    return (await this.http().post(`/models/${modelId}/train`).expect(202)).body.id;
  }

  async batchForecast(modelId: string, horizon: number): Promise<string> {
    return (await this.http().post(`/models/${modelId}/batch-forecasts`).send({ horizon }).expect(202)).body
      .id;
  }

  /**
   * Entries of DATA_DIR/artifacts that no model version refers to: the weights of a run
   * whose version was never recorded (or recorded twice over), or a temporary left by one.
   */
  async orphanArtifacts(): Promise<string[]> {
    const referenced = new Set<string>();
    for (const m of this.models)
      for (const v of await this.versions(m)) referenced.add((v as { artifactRef: string }).artifactRef);
    // `.checkpoints` holds resumable training state by model, not artifacts of versions.
    return this.artifactEntries().filter((f) => f !== '.checkpoints' && !referenced.has(f));
  }

  /** What DATA_DIR/artifacts holds: a directory per stored version's weights, temporaries, `.checkpoints`. */
  artifactEntries(): string[] {
    const dir = path.join(this.env.DATA_DIR, 'artifacts');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  }

  async versions(modelId: string): Promise<unknown[]> {
    return (await this.http().get(`/models/${modelId}/versions`).expect(200)).body;
  }

  /** The rows of a batch forecast's Arrow file: series key and step of each. */
  async batchRows(modelId: string, jobId: string): Promise<{ seriesKey: string; step: number }[]> {
    const res = await this.http()
      .get(`/models/${modelId}/batch-forecasts/${jobId}`)
      .buffer(true)
      .parse(collectBytes)
      .expect(200);
    const table = tableFromIPC(res.body as Buffer);
    const keys = table.getChild('series')!;
    const steps = table.getChild('step')!;
    return Array.from({ length: table.numRows }, (_, i) => ({
      seriesKey: String(keys.get(i)),
      step: Number(steps.get(i)),
    }));
  }

  /** Files under DATA_DIR/forecasts (temporaries included: none may be left). */
  forecastFiles(): string[] {
    const dir = path.join(this.env.DATA_DIR, 'forecasts');
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  }

  /** Waits until the job's row says it is running and `fraction` of it is done. */
  async runningPast(id: string, fraction: number, ms = 60000): Promise<JobRow> {
    return waitFor(
      () => this.job(id),
      (j) =>
        (j.status === 'running' &&
          (j as unknown as { progress: { fraction: number } }).progress.fraction >= fraction) ||
        TERMINAL.includes(j.status),
      ms,
      50,
    );
  }

  /** Waits (at most `ms`) for every job to finish; returns the rows as they are then. */
  async settle(ids: string[], ms: number): Promise<JobRow[]> {
    const until = Date.now() + ms;
    let rows = await Promise.all(ids.map((id) => this.job(id)));
    while (rows.some((r) => !TERMINAL.includes(r.status)) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      rows = await Promise.all(ids.map((id) => this.job(id)));
    }
    return rows;
  }
}

export function seriesCsv(series: number, length: number): string {
  const lines = ['key,ts,value'];
  const t0 = Date.UTC(2024, 0, 1);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  for (let s = 0; s < series; s++) {
    for (let i = 0; i < length; i++) {
      const v = 10 + s + Math.sin((2 * Math.PI * i) / 24 + s) + noise();
      lines.push(
        `s${String(s).padStart(3, '0')},${new Date(t0 + i * 3600_000).toISOString()},${v.toFixed(4)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export interface FaultCount {
  scenario: string;
  jobs: number;
  succeeded: number;
  failed: number;
  /** Rows not finished when the scenario's time was up (queued or running for good), or gone. */
  lost: number;
  /** Results made twice: a second model version, a forecast row written twice, a job run to success twice. */
  duplicated: number;
  /** Failed rows without a reason. */
  unexplained: number;
  seconds: number;
}

/** Counts a scenario's jobs from their rows and prints the summary line the docs table is made of. */
export function countJobs(
  scenario: string,
  rows: JobRow[],
  duplicated: number,
  startedAt: number,
): FaultCount {
  const c: FaultCount = {
    scenario,
    jobs: rows.length,
    succeeded: rows.filter((r) => r.status === 'succeeded').length,
    failed: rows.filter((r) => r.status === 'failed').length,
    lost: rows.filter((r) => !TERMINAL.includes(r.status)).length,
    duplicated,
    unexplained: rows.filter((r) => r.status === 'failed' && !r.error).length,
    seconds: Math.round((Date.now() - startedAt) / 100) / 10,
  };
  console.log(
    `fault summary | ${c.scenario} | jobs ${c.jobs} | succeeded ${c.succeeded} | failed ${c.failed} | lost ${c.lost} | duplicated ${c.duplicated} | ${c.seconds} s`,
  );
  return c;
}

/** Duplicate (series, step) rows of a batch forecast file, and series missing from it. */
export function batchDefects(rows: { seriesKey: string; step: number }[], series: string[], horizon: number) {
  const seen = new Set<string>();
  let duplicated = 0;
  for (const r of rows) {
    const k = `${r.seriesKey}\u0000${r.step}`;
    if (seen.has(k)) duplicated++;
    seen.add(k);
  }
  const missing = series.filter(
    (s) => !Array.from({ length: horizon }, (_, i) => i + 1).every((st) => seen.has(`${s}\u0000${st}`)),
  );
  return { duplicated, missing };
}

export function seriesKeys(n: number): string[] {
  return Array.from({ length: n }, (_, s) => `s${String(s).padStart(3, '0')}`);
}
