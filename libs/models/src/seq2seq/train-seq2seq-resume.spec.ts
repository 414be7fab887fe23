import { Cancelled, Conflict, detachedContext } from '@seqcast/core';
import { CHUNK_STATISTICS_HISS, chunkStatisticsData, seq2seqRegistry } from '@seqcast/forecast';
import { ArtifactStore, readCheckpointHeader, TrainerCheckpoint } from '@seqcast/tensor';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkpointFile } from '../series/train/train-checkpoints';
import type { TrainCheckpointInput } from '../series/train/train-checkpoint-port';
import { loadSeq2SeqArtifact } from './seq2seq-artifacts';
import { trainSeq2SeqModel, TrainSeq2SeqInput } from './train-seq2seq-model.task';

// Every checkpoint the train job writes goes through here (the real write, then this hook):
// the spec cancels the job right after a chosen one, as POST /jobs/:id/cancel would.
let mockAfterSave: ((c: TrainerCheckpoint) => void) | null = null;
jest.mock('@seqcast/tensor', () => {
  const actual = jest.requireActual('@seqcast/tensor');
  return {
    ...actual,
    writeCheckpointFile: async (file: string, c: TrainerCheckpoint) => {
      await actual.writeCheckpointFile(file, c);
      mockAfterSave?.(c);
    },
  };
});

const RATIO = 4;
const data = (n: number, seed: number) => chunkStatisticsData(n, 6, RATIO, seed);
// 24 train sequences in batches of 8: 3 steps an epoch; dropout on, so its streams must resume too
const config = seq2seqRegistry.resolveConfig('hiss', {
  ...CHUNK_STATISTICS_HISS,
  ratio: RATIO,
  epochs: 3,
  dropout: 0.2,
  patience: 0,
});

/**
 * The seq2seq train job's worker task with its checkpoints (the file the job hands it, as for
 * series models): a training cancelled mid-epoch and run again with `resume` ends with the
 * weights, validation MSE and test MSE of the uninterrupted run, and says where it resumed.
 */
describe('seq2seq training resumes from its checkpoint file', () => {
  let root: string;
  const input = (checkpoint?: TrainCheckpointInput): TrainSeq2SeqInput => ({
    backend: 'cpu',
    artifactRoot: root,
    kind: 'hiss',
    config,
    columns: { inputColumns: ['x'], targetColumns: ['y'], ratio: RATIO },
    train: data(24, 1),
    validation: data(6, 2),
    test: data(6, 3),
    ...(checkpoint ? { checkpoint } : {}),
  });
  const weights = async (artifactId: string) =>
    Object.values((await loadSeq2SeqArtifact(new ArtifactStore(root), artifactId)).artifact.tensors).flatMap(
      (t) => Array.from(t.values),
    );

  beforeAll(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-resume-'))));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  afterEach(() => (mockAfterSave = null));

  it('cancelled at epoch 2, step 1 and resumed: the uninterrupted run’s model', async () => {
    const reference = await trainSeq2SeqModel(input(), detachedContext());
    expect(reference.resumed).toBeUndefined();

    const file = checkpointFile(root, 'model-1');
    const at = { file, key: 'request-1', jobId: 'job-1', everySteps: 1 };
    const controller = new AbortController();
    mockAfterSave = (c) => {
      if (c.position.globalStep === 4) controller.abort('cancelled');
    };
    await expect(
      trainSeq2SeqModel(input({ ...at, resume: false }), { ...detachedContext(), signal: controller.signal }),
    ).rejects.toBeInstanceOf(Cancelled);
    mockAfterSave = null;
    const saved = (await readCheckpointHeader(file))!;
    expect(saved.position).toMatchObject({ epoch: 2, step: 1, steps: 3, epochs: 3, globalStep: 4 });
    expect(saved.meta).toEqual({ key: 'request-1', jobId: 'job-1' });

    const resumed = await trainSeq2SeqModel(
      input({ ...at, jobId: 'job-2', resume: true }),
      detachedContext(),
    );
    expect(resumed.resumed).toEqual({
      epoch: 2,
      step: 1,
      steps: 3,
      epochs: 3,
      message: 'resumed at epoch 2 of 3, step 1 of 3',
    });
    const got = await weights(resumed.artifactId);
    const want = await weights(reference.artifactId);
    expect(got.length).toBe(want.length);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i])))).toBeLessThan(1e-6);
    expect(resumed.validationMse).toBeCloseTo(reference.validationMse!, 6);
    expect(resumed.test.mse).toBeCloseTo(reference.test.mse, 6);
    expect(resumed.epochs).toBe(reference.epochs);
  });

  it('refuses a checkpoint another request wrote (409 naming resume)', async () => {
    const file = checkpointFile(root, 'model-2');
    const controller = new AbortController();
    mockAfterSave = () => controller.abort('cancelled');
    const at = { file, key: 'request-a', jobId: 'job-1', everySteps: 1 };
    await expect(
      trainSeq2SeqModel(input({ ...at, resume: false }), { ...detachedContext(), signal: controller.signal }),
    ).rejects.toBeInstanceOf(Cancelled);
    const refused = trainSeq2SeqModel(input({ ...at, key: 'request-b', resume: true }), detachedContext());
    await expect(refused).rejects.toBeInstanceOf(Conflict);
    await expect(refused).rejects.toMatchObject({ details: [{ field: 'resume' }] });
  });
});
