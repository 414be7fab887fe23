import { Conflict } from '@seqcast/core';
import { throughOutage } from '@seqcast/jobs';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';

export type NewVersion = Pick<ModelVersionEntity, 'artifactRef' | 'datasetVersionId' | 'metrics' | 'backend'> &
  Partial<Pick<ModelVersionEntity, 'fitOn'>>;

export interface VersionOptions {
  /**
   * The version the new one builds on (an update): the new one becomes current only if this
   * one still is, else Conflict (another job changed the model meanwhile) and nothing is recorded.
   */
  basedOn?: string;
  /**
   * Undoes what the work wrote (its artifact) when its version cannot be recorded: called
   * only once the database says no version refers to it.
   */
  discard?: (version: NewVersion) => Promise<void>;
}

/**
 * Runs a training function with the model marked `training`. On success the new version
 * (numbered after the last) becomes the model's current one in the same transaction; on
 * failure the model goes back to `trained` if it had a version, else `failed`.
 */
export async function trainVersion<R>(
  ds: DataSource,
  modelId: string,
  train: () => Promise<{ version: NewVersion; result: R }>,
  options: VersionOptions = {},
): Promise<{ row: ModelVersionEntity; result: R }> {
  const models = ds.getRepository(ModelEntity);
  await models.update({ id: modelId }, { status: 'training' });
  try {
    const { version, result } = await train();
    const row = await ds
      .transaction(async (m) => {
        const repo = m.getRepository(ModelVersionEntity);
        const last = await repo.findOne({ where: { modelId }, order: { version: 'DESC' } });
        const v = await repo.save(
          repo.create({ id: randomUUID(), modelId, version: (last?.version ?? 0) + 1, ...version }),
        );
        const where =
          options.basedOn === undefined ? { id: modelId } : { id: modelId, latestVersionId: options.basedOn };
        const moved = await m
          .getRepository(ModelEntity)
          .update(where, { status: 'trained', latestVersionId: v.id });
        if (options.basedOn !== undefined && moved.affected === 0)
          throw new Conflict(`model ${modelId} changed while this job ran (another version became current)`, [
            { field: 'model', reason: `version ${options.basedOn} is no longer current; run again` },
          ]);
        return v;
      })
      .catch(async (e: unknown) => {
        if (options.discard && !(await versionRecorded(ds, version.artifactRef))) {
          await options.discard(version).catch(() => undefined);
        }
        throw e;
      });
    return { row, result };
  } catch (e) {
    const latest = await models.findOneBy({ id: modelId });
    await models.update({ id: modelId }, { status: latest?.latestVersionId ? 'trained' : 'failed' });
    throw e;
  }
}

/**
 * Whether a version refers to this artifact. Asked through a database outage (the usual
 * reason a version could not be recorded), since a commit whose answer was lost with its
 * connection may have gone through: weights are removed only on a clear no, and kept
 * (true) when the database stays away, for a version must never point at removed weights.
 */
async function versionRecorded(ds: DataSource, artifactRef: string): Promise<boolean> {
  try {
    return await throughOutage(
      () => ds.getRepository(ModelVersionEntity).existsBy({ artifactRef }),
      () => undefined,
    );
  } catch {
    return true;
  }
}
