import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';
import {
  checkpointOf,
  createResumableModel,
  midEpochCheckpoint,
  uploadTrainingSeries,
} from '../../../../test/support/training-checkpoints';

/** `seqcast models train --wait` says how far a cancelled training got, and `--resume` goes on from there. */
describe('CLI train --resume', () => {
  let api: TestApi;
  let url: string;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu', SHUTDOWN_GRACE_MS: '0' });
    url = await api.app.getUrl();
  }, 60000);
  afterAll(() => api?.close());

  const cli = (...args: string[]) => runEntry('apps/cli/src/main.ts', { SEQCAST_URL: url }, args);

  it('prints the checkpoint of a cancelled training and resumes it', async () => {
    const id = await createResumableModel(api, await uploadTrainingSeries(api));
    const first = cli('models', 'train', id, '--wait', '--checkpoint-steps', '5');
    const at = await midEpochCheckpoint(api, id);
    await api.http().post(`/jobs/${at.jobId}/cancel`).expect(200);
    expect(await first.exited).toBe(1);
    const saved = (await checkpointOf(api, id))!;
    const where = `epoch ${saved.epoch} of 3, step ${saved.step} of ${saved.steps}`;
    expect(first.output()).toContain('training cancelled');
    expect(first.output()).toContain(`checkpoint at ${where}: seqcast models train ${id} --resume`);

    const second = cli('models', 'train', id, '--resume', '--wait');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain(`resume at ${where} (checkpoint saved ${saved.savedAt})`);
    expect(second.output()).toContain(`resumed at ${where}\n`);
    const job = await waitFor(
      async () => (await api.http().get('/jobs?limit=5').expect(200)).body.items[0],
      (j) => j.status === 'succeeded',
    );
    expect(job.result.resumed.message).toBe(`resumed at ${where}`);
    expect(await checkpointOf(api, id)).toBeNull();
  }, 120000);
});
