import { ApiClient } from '../api-client';
import { followJob } from './jobs.command';

/** A model's checkpoint as GET /models/:id and GET /seq2seq-models/:id show it (TrainCheckpointView). */
interface TrainCheckpoint {
  epoch: number;
  step: number;
  steps: number;
  epochs: number;
  savedAt: string;
  message: string;
}

/**
 * Starts a training job of the model at `path` (`/models/:id` or `/seq2seq-models/:id`) and,
 * with `wait`, follows it. It says how far it gets: before a resume, where the checkpoint
 * stands; after the job, where it resumed; and when it does not succeed, where its checkpoint
 * is and `resumeCommand`, which goes on from there. Returns the finished job (null without `wait`).
 */
export async function startTraining(
  api: ApiClient,
  path: string,
  body: Record<string, unknown>,
  o: { wait?: boolean; resumeCommand: string },
): Promise<{ status: string; result: unknown } | null> {
  const checkpoint = async () =>
    (await api.request<{ checkpoint: TrainCheckpoint | null }>('GET', path)).checkpoint;
  if (body.resume) {
    const at = await checkpoint();
    if (at) console.log(`${at.message} (checkpoint saved ${at.savedAt})`);
  }
  const job = await api.request<{ id: string }>('POST', `${path}/train`, body);
  console.log(`job ${job.id}`);
  if (!o.wait) return null;
  const done = await followJob(api, job.id, 'train');
  const resumed = (done.result as { resumed?: { message: string } } | null)?.resumed;
  if (resumed) console.log(resumed.message);
  if (done.status === 'succeeded') return done;
  const left = await checkpoint();
  console.log(`training ${done.status}${done.error ? `: ${done.error}` : ''}`);
  if (left)
    console.log(
      `checkpoint at epoch ${left.epoch} of ${left.epochs}, step ${left.step} of ${left.steps}: ${o.resumeCommand}`,
    );
  return done;
}
