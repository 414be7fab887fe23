import { Injectable } from '@nestjs/common';
import { ApiKeys, ApiKeyView, hashApiKey } from '@seqcast/db';
import { DataSource } from 'typeorm';

/** How long a verified key is trusted without asking the database again. */
export const VERIFIED_KEY_TTL_MS = 5000;

/**
 * API key verification with a short memory: a key found live is trusted for
 * VERIFIED_KEY_TTL_MS, so a busy client costs one database query per TTL instead of one
 * per request (the forecast route serves thousands a second). A revocation through this
 * process forgets the key at once; one made elsewhere (the CLI, another api replica) takes
 * effect within the TTL. Unknown keys are not remembered: a key made elsewhere works at once.
 */
@Injectable()
export class VerifiedKeys {
  private readonly keys: ApiKeys;
  /** By the key's hash (never the key itself). */
  private readonly cache = new Map<string, { view: ApiKeyView; until: number }>();

  constructor(ds: DataSource) {
    this.keys = new ApiKeys(ds);
  }

  /** The live key matching `key`, or null (unknown or revoked). */
  async verify(key: string): Promise<ApiKeyView | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.view;
    this.cache.delete(hash);
    const found = await this.keys.verify(key);
    if (found) {
      // Expired entries go whenever a key is (re)verified: the map holds only keys seen within the TTL.
      for (const [h, e] of this.cache) if (e.until <= now) this.cache.delete(h);
      this.cache.set(hash, { view: found, until: now + VERIFIED_KEY_TTL_MS });
    }
    return found;
  }

  /** Forgets a key (by id) revoked through this process. */
  forget(id: string): void {
    for (const [h, e] of this.cache) if (e.view.id === id) this.cache.delete(h);
  }
}
