import type { FindOneOptions, Repository } from 'typeorm';

const TTL_MS = 1000;

/**
 * The newest `ready` row per model of a table of things attached to models (calibrators,
 * adapters), read at most once a second per model: every served forecast asks, and a change
 * (attach, supersede, detach) calls `invalidate`, so the same process sees it at once.
 */
export class ActiveRows<T extends { modelId: string; status: string; createdAt: Date }> {
  private readonly cache = new Map<string, { at: number; row: T | null }>();

  constructor(private readonly repo: Repository<T>) {}

  async of(modelId: string): Promise<T | null> {
    const hit = this.cache.get(modelId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.row;
    // TypeORM's where type does not follow a generic entity's fields
    const row = await this.repo.findOne({
      where: { modelId, status: 'ready' },
      order: { createdAt: 'DESC' },
    } as unknown as FindOneOptions<T>);
    this.cache.set(modelId, { at: Date.now(), row });
    return row;
  }

  invalidate(modelId: string): void {
    this.cache.delete(modelId);
  }
}
