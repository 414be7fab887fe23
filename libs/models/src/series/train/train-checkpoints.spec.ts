import { AppConfig, Conflict } from '@seqcast/core';
import { TrainerCheckpoint, writeCheckpointFile } from '@seqcast/tensor';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TrainCheckpoints } from './train-checkpoints';

/** A checkpoint file with just its labels and position (forJob reads only the header). */
function checkpoint(meta: { key: string; jobId: string }): TrainerCheckpoint {
  return {
    position: { epoch: 2, step: 1, steps: 3, epochs: 3, globalStep: 4, finished: false },
    savedAt: new Date(0).toISOString(),
    meta,
    state: {
      epochRng: 1,
      lossSum: 0,
      lossCount: 0,
      history: { epochs: [], stoppedEarly: false, steps: 4, seconds: 0 },
      best: null,
      sinceBest: 0,
      optimizerSteps: 4,
      shapes: [],
    },
    tensors: { params: [], m: [], v: [] },
  };
}

/**
 * The rule every train job (series, event and seq2seq models) follows for the model's
 * checkpoint: a run of the same job again (BullMQ's retry after a kill, a hand-back at
 * shutdown) takes up its own checkpoint of the same request on its own; another job only when
 * asked to resume, and then only a checkpoint of the same request (409 naming resume otherwise).
 */
describe('TrainCheckpoints.forJob', () => {
  let root: string;
  let checkpoints: TrainCheckpoints;
  const opts = { everySteps: 5 };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'train-checkpoints-'));
    checkpoints = new TrainCheckpoints({ DATA_DIR: root } as AppConfig);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('starts afresh when the model has no checkpoint, and refuses to resume one', async () => {
    const run = await checkpoints.forJob('m', 'k', 'job-1', opts);
    expect(run).toEqual({
      file: checkpoints.file('m'),
      key: 'k',
      jobId: 'job-1',
      everySteps: 5,
      resume: false,
    });
    await expect(checkpoints.forJob('m', 'k', 'job-1', { ...opts, resume: true })).rejects.toMatchObject({
      details: [{ field: 'resume' }],
    });
  });

  it('a retry of the job that wrote it resumes on its own; another job only when asked to', async () => {
    await writeCheckpointFile(checkpoints.file('m'), checkpoint({ key: 'k', jobId: 'job-1' }));
    expect((await checkpoints.forJob('m', 'k', 'job-1', opts)).resume).toBe(true);
    expect((await checkpoints.forJob('m', 'k', 'job-2', opts)).resume).toBe(false);
    expect((await checkpoints.forJob('m', 'k', 'job-2', { ...opts, resume: true })).resume).toBe(true);
  });

  it('never takes up the checkpoint of another request', async () => {
    await writeCheckpointFile(checkpoints.file('m'), checkpoint({ key: 'k', jobId: 'job-1' }));
    // the same job with another request key (the config or the data changed under a retry)
    expect((await checkpoints.forJob('m', 'other', 'job-1', opts)).resume).toBe(false);
    const refused = checkpoints.forJob('m', 'other', 'job-2', { ...opts, resume: true });
    await expect(refused).rejects.toBeInstanceOf(Conflict);
    await expect(refused).rejects.toMatchObject({ details: [{ field: 'resume' }] });
  });
});
