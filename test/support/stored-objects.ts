import { simulateAr } from '@seqcast/forecast';
import * as fs from 'fs';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { TestApi, waitFor } from './api';

/**
 * Datasets and trained models over HTTP, and what they leave on disk and in the database,
 * for the specs of disk usage and deletion.
 */

const H = 3_600_000;
const START = Date.UTC(2024, 0, 1);

/** Two hourly AR(2) series as CSV (key,time,value); `seed` changes the values, hence the stored file. */
export function arCsv(seed: number, rows = 120, from = 0): string {
  const lines = ['key,time,value'];
  for (const key of ['a', 'b']) {
    const values = simulateAr({ coefficients: [0.5, -0.2], length: from + rows, noiseStd: 1, seed: seed + key.charCodeAt(0) });
    for (let i = from; i < from + rows; i++) lines.push(`${key},${new Date(START + i * H).toISOString()},${10 + values[i]}`);
  }
  return lines.join('\n');
}

export async function uploadSeries(api: TestApi, name: string, csv: string): Promise<string> {
  return (
    await api
      .http()
      .post(`/datasets?name=${name}&keyColumns=key&timeColumn=time&valueColumns=value`)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201)
  ).body.id;
}

export async function appendSeries(api: TestApi, datasetId: string, csv: string): Promise<void> {
  await api
    .http()
    .post(`/datasets/${datasetId}/observations?keyColumns=key&timeColumn=time&valueColumns=value`)
    .set('Content-Type', 'text/csv')
    .send(csv)
    .expect(201);
}

/** Waits for a job to end and returns its row as GET /jobs/:id shows it. */
export async function settled(api: TestApi, jobId: string): Promise<{ status: string; error: string | null }> {
  return waitFor(
    async () => (await api.http().get(`/jobs/${jobId}`).expect(200)).body,
    (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
    60000,
  );
}

/** A Classic-AR model (closed form: trains in well under a second) on the dataset, trained. */
export async function trainedModel(api: TestApi, datasetId: string, name = 'ar on value'): Promise<string> {
  const id = (
    await api
      .http()
      .post('/models')
      .send({ kind: 'classic-ar', name, config: { order: 2 }, datasetId, target: 'value', lookback: 2, horizon: 3 })
      .expect(201)
  ).body.id;
  const job = await settled(api, (await api.http().post(`/models/${id}/train`).expect(202)).body.id);
  if (job.status !== 'succeeded') throw new Error(`training ${id} ended ${job.status}: ${job.error}`);
  return id;
}

/** Paths of a dataset's stored files (Arrow files and their indexes), from its newest version's file list. */
export async function datasetFiles(api: TestApi, datasetId: string): Promise<string[]> {
  const versions = (await api.http().get(`/datasets/${datasetId}/versions`).expect(200)).body as { files: string[] }[];
  const root = path.join(api.config.DATA_DIR, 'datasets');
  const names = [...new Set(versions.flatMap((v) => v.files))];
  return names.flatMap((f) => [path.join(root, f), path.join(root, f.replace(/\.arrow$/, '.index.json'))]);
}

/** Paths of the files in a model's artifact folders (every version). */
export async function artifactFiles(api: TestApi, modelId: string): Promise<string[]> {
  return (await artifactDirs(api, modelId)).flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f)));
}

/** The artifact folders of a model's versions, read from the database. */
export async function artifactDirs(api: TestApi, modelId: string): Promise<string[]> {
  const ds = api.app.get(DataSource);
  const rows = (await ds.query(`select "artifactRef" from model_version where "modelId" = ${param(ds)(1)}`, [
    modelId,
  ])) as { artifactRef: string }[];
  return rows.map((r) => path.join(api.config.DATA_DIR, 'artifacts', r.artifactRef));
}

/** The summed size of files, as the file system reports it. */
export function bytesOnDisk(files: string[]): number {
  return files.reduce((n, f) => n + fs.statSync(f).size, 0);
}

function param(ds: DataSource): (i: number) => string {
  return ds.options.type === 'postgres' ? (i) => `$${i}` : () => '?';
}

function inList(ds: DataSource, ids: string[]): string {
  return ids.length ? ids.map((_, i) => param(ds)(i + 1)).join(', ') : `''`;
}

const count = async (ds: DataSource, sql: string, params: unknown[]) => Number((await ds.query(sql, params))[0].n);

/** The ids of the models' calibrators and adapters (read before a deletion, to count their online states after). */
export async function calibratorIdsOf(ds: DataSource, modelIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const table of ['calibrator', 'adapter']) {
    const rows = (await ds.query(`select id from ${table} where "modelId" in (${inList(ds, modelIds)})`, modelIds)) as {
      id: string;
    }[];
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** Rows that name a dataset, models, or their calibrators and adapters, table by table. */
export async function rowsNaming(
  ds: DataSource,
  of: { datasetId?: string; modelIds: string[]; calibratorIds: string[] },
): Promise<Record<string, number>> {
  const p = param(ds);
  const models = inList(ds, of.modelIds);
  const out: Record<string, number> = {};
  if (of.datasetId !== undefined) {
    out.dataset = await count(ds, `select count(*) as n from dataset where id = ${p(1)}`, [of.datasetId]);
    out.dataset_version = await count(ds, `select count(*) as n from dataset_version where "datasetId" = ${p(1)}`, [
      of.datasetId,
    ]);
  }
  out.model = await count(ds, `select count(*) as n from model where id in (${models})`, of.modelIds);
  out.model_version = await count(ds, `select count(*) as n from model_version where "modelId" in (${models})`, of.modelIds);
  out.calibrator = await count(ds, `select count(*) as n from calibrator where "modelId" in (${models})`, of.modelIds);
  out.adapter = await count(ds, `select count(*) as n from adapter where "modelId" in (${models})`, of.modelIds);
  for (const table of ['online_state', 'online_snapshot'])
    out[table] = await count(
      ds,
      `select count(*) as n from ${table} where "ownerId" in (${inList(ds, of.calibratorIds)})`,
      of.calibratorIds,
    );
  out.forecast = await count(ds, `select count(*) as n from forecast where "modelId" in (${models})`, of.modelIds);
  const schedules = (await ds.query('select payload from schedule')) as { payload: string }[];
  out.schedule = schedules.filter((s) => of.modelIds.some((id) => s.payload.includes(id))).length;
  return out;
}
