import { createHash, randomBytes, randomUUID } from 'crypto';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity } from './entities/api-key.entity';

export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** What a listing shows of a key: never the key, never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** Keys look like `sck_<8 prefix chars>_<43 secret chars>`; the prefix names the key in listings. */
const KEY_TAG = 'sck_';
const PREFIX_LENGTH = KEY_TAG.length + 8;

/** SHA-256 suffices: keys carry 256 random bits, so no slow hash is needed against guessing. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function view(e: ApiKeyEntity): ApiKeyView {
  return { id: e.id, name: e.name, prefix: e.prefix, scopes: e.scopes as ApiKeyScope[], createdAt: e.createdAt, revokedAt: e.revokedAt };
}

/** Whether `granted` covers `needed`: admin covers everything, write covers read. */
export function scopeCovers(granted: readonly string[], needed: ApiKeyScope): boolean {
  if (granted.includes('admin') || granted.includes(needed)) return true;
  return needed === 'read' && granted.includes('write');
}

/** Key management over the database, shared by the HTTP routes and the CLI (which needs no key). */
export class ApiKeys {
  constructor(private readonly ds: DataSource) {}

  private get repo() {
    return this.ds.getRepository(ApiKeyEntity);
  }

  /** Makes a key; the returned `key` is the only time it exists outside the caller. */
  async create(scopes: ApiKeyScope[], name = ''): Promise<ApiKeyView & { key: string }> {
    const secret = randomBytes(32).toString('base64url');
    const key = `${KEY_TAG}${secret.slice(0, 8)}_${secret.slice(8)}`;
    const row = this.repo.create({
      id: randomUUID(),
      name,
      prefix: key.slice(0, PREFIX_LENGTH),
      hash: hashApiKey(key),
      scopes: [...new Set(scopes)],
      revokedAt: null,
    });
    const saved = await this.repo.save(row);
    return { ...view(saved), key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.repo.find({ order: { createdAt: 'ASC' } })).map(view);
  }

  /** The live key matching `key`, or null (unknown or revoked). */
  async verify(key: string): Promise<ApiKeyView | null> {
    const row = await this.repo.findOne({ where: { hash: hashApiKey(key), revokedAt: IsNull() } });
    return row ? view(row) : null;
  }

  /** Revokes by id or prefix; returns the key revoked, or null when none matches. */
  async revoke(idOrPrefix: string): Promise<ApiKeyView | null> {
    const row =
      (await this.repo.findOne({ where: { id: idOrPrefix } })) ?? (await this.repo.findOne({ where: { prefix: idOrPrefix } }));
    if (!row) return null;
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      await this.repo.save(row);
    }
    return view(row);
  }
}
