import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';
import { freshPostgresUrl } from '../../../test/support/postgres';
import { Proc, startWorkerProcess, stop } from '../../../test/support/processes';
import { appendSeries, arCsv } from '../../../test/support/stored-objects';
import {
  checkpointOf,
  createResumableModel,
  midEpochCheckpoint,
  uploadTrainingSeries,
} from '../../../test/support/training-checkpoints';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Resumable training in production mode (PostgreSQL, BullMQ, worker processes): a train job
 * whose worker is killed mid-epoch (or stopped with SIGTERM) is run again by another worker,
 * which resumes the checkpoint; a cancelled training resumes on request. Both end with the model an uninterrupted run with
 * the same seed trains, to float tolerance.
 */
describe('resumable training (worker processes killed and cancelled mid-epoch)', () => {
  let api: TestApi;
  let env: Record<string, string>;
  let dropDb: () => Promise<void>;
  let datasetId: string;
  let reference: number[];
  let referenceWeights: Float32Array;
  const workers: Proc[] = [];

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    dropDb = db.drop;
    env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      DATA_DIR: tempDataDir(),
      QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`,
      JOBS_LOCK_MS: '1000',
      SHUTDOWN_GRACE_MS: '0',
      TRAIN_CHECKPOINT_STEPS: '5',
    };
    api = await startApi({ ...env, ROLE: 'api' });
    workers.push(await startWorkerProcess(env));
    datasetId = await uploadTrainingSeries(api);
  }, 60000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w, 'SIGKILL')));
    await api?.close();
    await dropDb?.();
    fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  const http = () => api.http();
  const job = async (id: string) => (await http().get(`/jobs/${id}`).expect(200)).body;
  const createModel = () => createResumableModel(api, datasetId);
  const forecast = async (id: string): Promise<number[]> =>
    (await http().post(`/models/${id}/forecast`).send({ seriesKey: 'a', horizon: 4 }).expect(200)).body.steps.map(
      (s: { value: number }) => s.value,
    );
  /** The trained weights as stored: the current version's artifact. */
  const weights = async (id: string): Promise<Float32Array> => {
    const [latest] = (await http().get(`/models/${id}/versions`).expect(200)).body;
    const buf = fs.readFileSync(path.join(env.DATA_DIR, 'artifacts', latest.artifactRef, 'weights.bin'));
    return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  };
  const expectReferenceModel = async (id: string) => {
    const w = await weights(id);
    expect(w.length).toBe(referenceWeights.length);
    let diff = 0;
    w.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - referenceWeights[i]))));
    expect(diff).toBeLessThan(1e-6);
    (await forecast(id)).forEach((v, i) => expect(v).toBeCloseTo(reference[i], 5));
  };
  const checkpointFile = (id: string) => path.join(env.DATA_DIR, 'artifacts', '.checkpoints', `${id}.ckpt`);
  const live = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  it('trains the uninterrupted reference, leaving no checkpoint behind', async () => {
    const id = await createModel();
    const started = (await http().post(`/models/${id}/train`).expect(202)).body;
    const done = await waitFor(() => job(started.id), (j) => ['succeeded', 'failed'].includes(j.status), 90000);
    expect(done.error ?? null).toBeNull();
    expect(done.result.resumed).toBeUndefined();
    expect((await checkpointOf(api, id))).toBeNull();
    expect(fs.existsSync(checkpointFile(id))).toBe(false);
    reference = await forecast(id);
    referenceWeights = await weights(id);
    // nothing to resume: 409 naming resume
    const refused = await http().post(`/models/${id}/train`).send({ resume: true }).expect(409);
    expect(refused.body).toMatchObject({ error: 'conflict', details: [{ field: 'resume' }] });
    expect(refused.body.message).toContain('no training checkpoint');
  }, 120000);

  it('resumes a job whose worker was killed mid-epoch in another worker, ending with the same model', async () => {
    const id = await createModel();
    const started = (await http().post(`/models/${id}/train`).send({ checkpointSteps: 7 }).expect(202)).body;
    const at = await midEpochCheckpoint(api, id);
    expect(at.jobId).toBe(started.id);
    await Promise.all(live().map((w) => stop(w, 'SIGKILL')));
    // the checkpoint the new worker finds (training may have gone on a little before the kill)
    const saved = (await checkpointOf(api, id))!;
    expect(saved.step).toBeGreaterThan(0);
    workers.push(await startWorkerProcess(env));
    const done = await waitFor(() => job(started.id), (j) => ['succeeded', 'failed'].includes(j.status), 90000);
    expect(done.error ?? null).toBeNull();
    expect(done.attempts).toBe(2);
    expect(done.result.resumed).toMatchObject({ epoch: saved.epoch, step: saved.step, steps: saved.steps });
    expect(done.result.resumed.message).toBe(`resumed at epoch ${saved.epoch} of 3, step ${saved.step} of ${saved.steps}`);
    expect((await checkpointOf(api, id))).toBeNull();
    expect(fs.existsSync(checkpointFile(id))).toBe(false);
    await expectReferenceModel(id);
  }, 180000);

  it('resumes a job its worker handed back on SIGTERM, in the next worker', async () => {
    const id = await createModel();
    const started = (await http().post(`/models/${id}/train`).send({ checkpointSteps: 11 }).expect(202)).body;
    await midEpochCheckpoint(api, id);
    // SHUTDOWN_GRACE_MS 0: the worker stops the run at once and hands the job back (no attempt counted)
    await Promise.all(live().map((w) => stop(w, 'SIGTERM')));
    const saved = (await checkpointOf(api, id))!;
    expect(saved.jobId).toBe(started.id);
    workers.push(await startWorkerProcess(env));
    const done = await waitFor(() => job(started.id), (j) => ['succeeded', 'failed'].includes(j.status), 90000);
    expect(done.error ?? null).toBeNull();
    expect(done.result.resumed).toMatchObject({ epoch: saved.epoch, step: saved.step, steps: saved.steps });
    await expectReferenceModel(id);
  }, 180000);

  it('resumes a cancelled training on request (POST train {resume: true}), ending with the same model', async () => {
    const id = await createModel();
    const first = (await http().post(`/models/${id}/train`).send({ checkpointSteps: 9 }).expect(202)).body;
    await midEpochCheckpoint(api, id);
    await http().post(`/jobs/${first.id}/cancel`).expect(200);
    await waitFor(() => job(first.id), (j) => j.status === 'cancelled');
    // the Trainer saved where the cancel found it
    const saved = (await checkpointOf(api, id))!;
    expect(saved).toMatchObject({ jobId: first.id, epochs: 3 });
    expect(saved.message).toBe(`resume at epoch ${saved.epoch} of 3, step ${saved.step} of ${saved.steps}`);
    // a plain train (another job) would start afresh; resume takes the checkpoint up
    const again = (await http().post(`/models/${id}/train`).send({ resume: true }).expect(202)).body;
    const done = await waitFor(() => job(again.id), (j) => ['succeeded', 'failed'].includes(j.status), 90000);
    expect(done.error ?? null).toBeNull();
    expect(done.result.resumed).toMatchObject({ epoch: saved.epoch, step: saved.step });
    await expectReferenceModel(id);
  }, 180000);

  it('refuses to resume once the dataset has a newer version, and DELETE /models/:id removes the checkpoint', async () => {
    const id = await createModel();
    const first = (await http().post(`/models/${id}/train`).expect(202)).body;
    await midEpochCheckpoint(api, id);
    await http().post(`/jobs/${first.id}/cancel`).expect(200);
    await waitFor(() => job(first.id), (j) => j.status === 'cancelled');
    expect(fs.existsSync(checkpointFile(id))).toBe(true);
    // new rows make a new dataset version: the checkpoint belongs to the old request
    await appendSeries(api, datasetId, arCsv(5, 24, 750));
    const refused = await http().post(`/models/${id}/train`).send({ resume: true }).expect(409);
    expect(refused.body).toMatchObject({ error: 'conflict', details: [{ field: 'resume' }] });
    expect(refused.body.message).toContain('belongs to another training request');
    await http().delete(`/models/${id}`).expect(204);
    expect(fs.existsSync(checkpointFile(id))).toBe(false);
  }, 120000);
});
