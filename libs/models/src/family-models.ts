import { Conflict, NotFound } from '@seqcast/core';
import { ModelEntity, ModelVersionEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { Lru } from './lru';

type Family = Exclude<ModelEntity['family'], 'series'>;

/**
 * The rows of one model family that has its own routes (event models at /event-models,
 * seq2seq models at /seq2seq-models), and its trained versions loaded once each: the shared
 * part of those services. `noun` and `route` word the 404 and the not-trained 409.
 */
export class FamilyModels<L extends { model: { dispose(): void } }> {
  private readonly models: Repository<ModelEntity>;
  private readonly versions: Repository<ModelVersionEntity>;
  private readonly loaded: Lru<string, Promise<L>>;

  constructor(
    ds: DataSource,
    cacheSize: number,
    private readonly family: Family,
    private readonly noun: string,
    private readonly route: string,
  ) {
    this.models = ds.getRepository(ModelEntity);
    this.versions = ds.getRepository(ModelVersionEntity);
    this.loaded = new Lru(cacheSize, (p) => void p.then((m) => m.model.dispose()).catch(() => undefined));
  }

  /** A new, untrained model row (no target, lookback or horizon: those are series roles). */
  save(fields: {
    kind: string;
    name: string;
    config: Record<string, unknown>;
    datasetId: string;
  }): Promise<ModelEntity> {
    return this.models.save(
      this.models.create({
        id: randomUUID(),
        family: this.family,
        ...fields,
        target: null,
        lookback: null,
        horizon: null,
        status: 'created',
        latestVersionId: null,
      }),
    );
  }

  list(page: { limit: number; offset: number }): Promise<[ModelEntity[], number]> {
    return this.models.findAndCount({
      where: { family: this.family },
      order: { createdAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async get(id: string): Promise<ModelEntity> {
    const m = await this.models.findOneBy({ id, family: this.family });
    if (!m)
      throw new NotFound(`${this.noun} ${id} not found`, [{ field: 'id', reason: `no such ${this.noun}` }]);
    return m;
  }

  /** Drops every loaded version (a training is about to make a new one current). */
  clear(): void {
    this.loaded.clear();
  }

  /** Frees a deleted model's loaded version. */
  forget(versionId: string): void {
    this.loaded.delete(versionId);
  }

  /** The model's current version, built by `load` from its artifact once and kept (409 before training). */
  async current(id: string, load: (artifactRef: string, versionId: string) => Promise<L>): Promise<L> {
    const m = await this.get(id);
    if (!m.latestVersionId)
      throw new Conflict(`${this.noun} ${id} is not trained yet: POST /${this.route}/${id}/train first`, [
        { field: 'status', reason: m.status },
      ]);
    const versionId = m.latestVersionId;
    let p = this.loaded.get(versionId);
    if (!p) {
      p = this.versions.findOneByOrFail({ id: versionId }).then((v) => load(v.artifactRef, versionId));
      p.catch(() => this.loaded.delete(versionId));
      this.loaded.set(versionId, p);
    }
    return p;
  }
}
