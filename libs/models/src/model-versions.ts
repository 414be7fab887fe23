import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';

export type NewVersion = Pick<ModelVersionEntity, 'artifactRef' | 'datasetVersionId' | 'metrics' | 'backend'>;

/**
 * Runs a training function with the model marked `training`. On success the new version
 * (numbered after the last) becomes the model's current one in the same transaction; on
 * failure the model goes back to `trained` if it had a version, else `failed`.
 */
export async function trainVersion<R>(
  ds: DataSource,
  modelId: string,
  train: () => Promise<{ version: NewVersion; result: R }>,
): Promise<{ row: ModelVersionEntity; result: R }> {
  const models = ds.getRepository(ModelEntity);
  await models.update({ id: modelId }, { status: 'training' });
  try {
    const { version, result } = await train();
    const row = await ds.transaction(async (m) => {
      const repo = m.getRepository(ModelVersionEntity);
      const last = await repo.findOne({ where: { modelId }, order: { version: 'DESC' } });
      const v = await repo.save(
        repo.create({ id: randomUUID(), modelId, version: (last?.version ?? 0) + 1, ...version }),
      );
      await m
        .getRepository(ModelEntity)
        .update({ id: modelId }, { status: 'trained', latestVersionId: v.id });
      return v;
    });
    return { row, result };
  } catch (e) {
    const latest = await models.findOneBy({ id: modelId });
    await models.update({ id: modelId }, { status: latest?.latestVersionId ? 'trained' : 'failed' });
    throw e;
  }
}
