import { Conflict } from '@seqcast/core';
import { JobEntity } from '@seqcast/db';
import { EntityManager, In } from 'typeorm';

/**
 * Queued or running jobs whose payload names one of `ids` (a model or a dataset id,
 * wherever it sits: `modelId`, `datasetId`, the lists of an evaluation). Ids are UUIDs, so
 * finding one in the payload's JSON is finding a reference to it.
 */
export async function activeJobsNaming(m: EntityManager, ids: string[]): Promise<JobEntity[]> {
  const active = await m.find(JobEntity, {
    where: { status: In(['queued', 'running']) },
    order: { createdAt: 'ASC' },
  });
  return active.filter((j) => {
    const text = JSON.stringify(j.payload);
    return ids.some((id) => text.includes(id));
  });
}

/** 409 naming each job that still needs what a DELETE would remove. */
export function busyWith(what: string, jobs: JobEntity[]): Conflict {
  return new Conflict(
    `${what} is used by ${jobs.length} queued or running job(s): ${jobs.map((j) => j.id).join(', ')}; cancel them or wait for them to end`,
    jobs.map((j) => ({ field: 'jobs', reason: `job ${j.id} (${j.type}) is ${j.status}` })),
  );
}
