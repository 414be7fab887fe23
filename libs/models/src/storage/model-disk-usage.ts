import { Inject, Injectable } from '@nestjs/common';
import { ModelVersionEntity } from '@seqcast/db';
import { ArtifactStore } from '@seqcast/tensor';
import { DataSource, In, Repository } from 'typeorm';
import { ARTIFACT_STORE } from '../artifact-store.provider';

/**
 * The bytes models' artifacts take. A version's size is measured the first time it is
 * asked for and kept in its row (artifacts never change), so a listing reads one column
 * instead of walking the artifacts folder.
 */
@Injectable()
export class ModelDiskUsage {
  private readonly versions: Repository<ModelVersionEntity>;

  constructor(
    ds: DataSource,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
  ) {
    this.versions = ds.getRepository(ModelVersionEntity);
  }

  /** Fills in `diskBytes` of versions not measured yet; one whose artifact is missing stays null. */
  async measure(versions: ModelVersionEntity[]): Promise<ModelVersionEntity[]> {
    for (const v of versions) {
      if (v.diskBytes !== null) continue;
      const bytes = await this.artifacts.sizeOf(v.artifactRef).catch(() => null);
      if (bytes === null) continue;
      await this.versions.update({ id: v.id }, { diskBytes: bytes });
      v.diskBytes = bytes;
    }
    return versions;
  }

  /** Bytes of all the artifacts of each model (0 for one never trained). */
  async of(modelIds: string[]): Promise<Map<string, number>> {
    const total = new Map(modelIds.map((id) => [id, 0]));
    if (!modelIds.length) return total;
    const rows = await this.versions.find({
      where: { modelId: In(modelIds) },
      select: { id: true, modelId: true, artifactRef: true, diskBytes: true },
    });
    for (const v of await this.measure(rows)) total.set(v.modelId, total.get(v.modelId)! + (v.diskBytes ?? 0));
    return total;
  }
}
