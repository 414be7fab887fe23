import { seq2seqCsvLines } from '@seqcast/data';
import { CHUNK_STATISTICS_HISS, chunkStatisticsData } from '@seqcast/forecast';
import type { TrainCheckpointView } from '@seqcast/models';
import * as fs from 'fs';
import { settleJob, startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';

const RATIO = 4;
// 56 train sequences in batches of 4: 14 steps an epoch; dropout on, so its streams must resume too
const CONFIG = { ...CHUNK_STATISTICS_HISS, batchSize: 4, dropout: 0.1, epochs: 4, patience: 0 };

/**
 * Resumable seq2seq training over HTTP and the CLI: `seqcast seq2seq train --wait` cancelled
 * mid-epoch says where its checkpoint stands and how to go on, `--resume` goes on from there,
 * and the model it ends with predicts what an uninterrupted training of the same request does.
 */
describe('seq2seq training resumes (HTTP and CLI)', () => {
  let api: TestApi;
  let url: string;
  let dir: string;
  let datasetId: string;
  const fresh = chunkStatisticsData(6, 10, RATIO, 3);

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu', SHUTDOWN_GRACE_MS: '0' });
    url = await api.app.getUrl();
    const csv = seq2seqCsvLines({
      ...chunkStatisticsData(80, 10, RATIO, 1),
      ratio: RATIO,
      inputColumns: ['x'],
      targetColumns: ['y'],
    });
    datasetId = (
      await api
        .http()
        .post(
          `/datasets?name=chunks&kind=seq2seq&sequenceColumn=sequence&timeColumn=step&targetColumns=y&ratio=${RATIO}`,
        )
        .set('content-type', 'text/csv')
        .send([...csv].join('\n'))
        .expect(201)
    ).body.id;
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const http = () => api.http();
  const cli = (...args: string[]) => runEntry('apps/cli/src/main.ts', { SEQCAST_URL: url }, args);
  const create = async () =>
    (await http().post('/seq2seq-models').send({ kind: 'hiss', datasetId, config: CONFIG }).expect(201)).body
      .id as string;
  const checkpointOf = async (id: string): Promise<TrainCheckpointView | null> =>
    (await http().get(`/seq2seq-models/${id}`).expect(200)).body.checkpoint;
  const predict = async (id: string): Promise<number[]> =>
    (
      await http()
        .post(`/seq2seq-models/${id}/predict`)
        .send({ inputs: fresh.inputs.map((s) => s.map((c) => Array.from(c))) })
        .expect(200)
    ).body.predictions.flat(2);

  it('checks the train body: resume and checkpointSteps named; nothing to resume is a 409', async () => {
    const id = await create();
    let r = await http().post(`/seq2seq-models/${id}/train`).send({ resume: 'yes' }).expect(400);
    expect(r.body.details).toEqual([expect.objectContaining({ field: 'resume' })]);
    r = await http().post(`/seq2seq-models/${id}/train`).send({ checkpointSteps: -1 }).expect(400);
    expect(r.body.details).toEqual([expect.objectContaining({ field: 'checkpointSteps' })]);
    r = await http().post(`/seq2seq-models/${id}/train`).send({ resume: true }).expect(409);
    expect(r.body).toMatchObject({ error: 'conflict', details: [{ field: 'resume' }] });
    expect(r.body.message).toContain('no training checkpoint');
  });

  it('cancelled mid-epoch, resumed with --resume, ends with the uninterrupted training’s model', async () => {
    const reference = await create();
    const done = await settleJob(
      api,
      (await http().post(`/seq2seq-models/${reference}/train`).send({}).expect(202)).body.id,
    );
    expect(done.error).toBeNull();
    expect(done.result!.resumed).toBeUndefined();
    expect(await checkpointOf(reference)).toBeNull();

    const id = await create();
    const first = cli('seq2seq', 'train', id, '--wait', '--checkpoint-steps', '1');
    const at = (await waitFor(
      () => checkpointOf(id),
      (c) => c !== null && c.step > 0,
      60000,
      20,
    ))!;
    await http().post(`/jobs/${at.jobId}/cancel`).expect(200);
    expect(await first.exited).toBe(1);
    const saved = (await checkpointOf(id))!;
    const where = `epoch ${saved.epoch} of 4, step ${saved.step} of 14`;
    expect(saved.message).toBe(`resume at ${where}`);
    expect(first.output()).toContain('training cancelled');
    expect(first.output()).toContain(`checkpoint at ${where}: seqcast seq2seq train ${id} --resume`);

    const second = cli('seq2seq', 'train', id, '--resume', '--wait');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain(`resume at ${where} (checkpoint saved ${saved.savedAt})`);
    expect(second.output()).toContain(`resumed at ${where}\n`);
    expect(second.output()).toContain('test MSE');
    expect(await checkpointOf(id)).toBeNull();
    const got = await predict(id);
    const want = await predict(reference);
    expect(got.length).toBe(want.length);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i])))).toBeLessThan(1e-5);
  }, 180000);
});
